"""The resource library: recordings, toolkits, tools and briefs, grouped into collections.

A resource is visible to everyone signed in, to one program's people, or to one grantee's
people (and the TA staff and funder who serve it). `library.selectors.visible_resources` is the
one way to read resources; nothing else filters them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q

from grantees.models import Grantee, Program, Topic
from portal.uploads import PrivateStorage


class PathwayModel(models.Model):
    """Bridge, IET, pre-apprenticeship, registered apprenticeship (rows made by a migration)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


def _upload_to(resource: Resource, filename: str) -> str:
    # The stored name is random; the sanitized original is kept in `file_name` for downloads.
    import uuid

    return f"library/{uuid.uuid4().hex}/{filename}"


class Resource(models.Model):
    class Kind(models.TextChoices):
        RECORDING = "recording", "Recording"
        TOOLKIT = "toolkit", "Toolkit"
        TOOL = "tool", "Tool or template"
        BRIEF = "brief", "Brief"
        SLIDES = "slides", "Slide deck"
        WEBINAR = "webinar", "Webinar"
        LINK = "link", "Link"

    class Visibility(models.TextChoices):
        PORTAL = "portal", "Everyone in the portal"
        PROGRAM = "program", "One program"
        GRANTEE = "grantee", "One grantee"

    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Everyone"
        LEADERS = "leaders", "Consortium leads and administrators"
        INSTRUCTORS = "instructors", "Instructors"
        NAVIGATORS = "navigators", "Navigators and counselors"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    topics = models.ManyToManyField(Topic, blank=True, related_name="resources")
    pathway_models = models.ManyToManyField(PathwayModel, blank=True, related_name="resources")
    audience = models.CharField(max_length=12, choices=Audience.choices, default="everyone")
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default="portal")
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="resources"
    )
    grantee = models.ForeignKey(
        Grantee, on_delete=models.CASCADE, null=True, blank=True, related_name="resources"
    )
    file = models.FileField(storage=PrivateStorage, upload_to=_upload_to, blank=True)
    file_name = models.CharField(max_length=120, blank=True)
    file_type = models.CharField(max_length=120, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    external_url = models.URLField("link", blank=True, max_length=500)
    video_url = models.URLField("video link", blank=True, max_length=500)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    source_event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_resources",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default="draft")
    published_at = models.DateTimeField(null=True, blank=True)
    # Search: kind, topics and models as words (weight B), and the text of PDFs/DOCX (weight D).
    tags_text = models.TextField(blank=True)
    extracted_text = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True, editable=False)  # matching (GIN index)
    # Ranking reads only title, tags and summary: small enough to score thousands of matches
    # quickly, where scoring the whole text of every matching PDF took seconds.
    rank_vector = SearchVectorField(null=True, editable=False)
    view_count = models.PositiveIntegerField(default=0)
    download_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(visibility="portal", program__isnull=True, grantee__isnull=True)
                    | Q(visibility="program", program__isnull=False, grantee__isnull=True)
                    | Q(visibility="grantee", program__isnull=False, grantee__isnull=False)
                ),
                name="resource_visibility_shape",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="resource_published"),
            # Who may see what, with the kind and id: the facet counts and the unfiltered list
            # read this index alone, not the wide rows (PostgreSQL index-only scan).
            models.Index(
                fields=["status", "visibility", "program", "grantee"],
                include=["kind", "id"],
                name="resource_visible",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Collection(models.Model):
    """An ordered group of resources, such as the "Employer engagement toolkit"."""

    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    resources = models.ManyToManyField(Resource, through="CollectionItem", related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="collection_items"
    )
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "resource"], name="collection_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.resource_id} in {self.collection_id}"


class Bookmark(models.Model):
    """A resource in someone's "My library"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "resource"], name="bookmark_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.resource_id}"


class LibraryVisit(models.Model):
    """When someone last looked at the library, for "new since your last visit"."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_visit"
    )
    previous_visit_at = models.DateTimeField(null=True, blank=True)
    last_visit_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id} last visited {self.last_visit_at:%Y-%m-%d %H:%M}"
