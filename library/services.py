"""Writes for the library: resources (with safe uploads), collections, bookmarks, counts.

TA staff (coaches and TA admins) add and edit resources. A resource for one program or one
grantee may only be placed where the person works: a TA admin in their programs, a coach in the
programs and grantees they coach."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from grantees.models import User
from library.models import Bookmark, Collection, CollectionItem, LibraryVisit, Resource
from portal.roles import Roles, compute_roles
from portal.services import ServiceError
from portal.uploads import attach_upload
from portal.versions import bump_version_on_commit

Kind = Resource.Kind
Visibility = Resource.Visibility


def _ensure_ta_staff(actor: User) -> Roles:
    roles = compute_roles(actor)
    if not (roles.is_coach or roles.is_ta_admin):
        raise PermissionDenied
    return roles


def program_ids_served(roles: Roles) -> set[int]:
    """Programs where a person may place resources: those they run and those they coach in."""
    return set(roles.ta_admin_of | roles.coached_program_ids)


def _check_placement(roles: Roles, data: dict) -> None:
    visibility = data["visibility"]
    program, grantee = data.get("program"), data.get("grantee")
    if visibility == Visibility.PORTAL:
        data["program"] = data["grantee"] = None
        return
    if visibility == Visibility.GRANTEE:
        if grantee is None:
            raise ServiceError("Choose the grantee who may see it.", field="grantee")
        data["program"] = program = grantee.program
        if grantee.pk not in roles.coach_of and program.pk not in roles.ta_admin_of:
            raise ServiceError("Choose a grantee you work with.", field="grantee")
        return
    data["grantee"] = None
    if program is None:
        raise ServiceError("Choose the program whose people may see it.", field="program")
    if program.pk not in program_ids_served(roles):
        raise ServiceError("Choose a program you work in.", field="program")


def _check_source_event(roles: Roles, data: dict) -> None:
    event = data.get("source_event")
    if event is not None and event.program_id not in program_ids_served(roles):
        raise ServiceError("Choose an event of a program you work in.", field="source_event")


def _check_content(data: dict, *, has_file: bool) -> None:
    if not (has_file or data.get("external_url") or data.get("video_url")):
        raise ServiceError("Upload a file, or give a link or a video link.", field="file")
    if (
        data.get("duration_minutes")
        and not data.get("video_url")
        and data["kind"]
        not in (
            Kind.RECORDING,
            Kind.WEBINAR,
        )
    ):
        raise ServiceError("A duration goes with a video or a recording.", field="duration_minutes")


def _tags_text(resource: Resource) -> str:
    words = [resource.get_kind_display()]
    words += [topic.name for topic in resource.topics.all()]
    words += [model.name for model in resource.pathway_models.all()]
    return " ".join(words)


# What PostgreSQL ranks by (title > tags > summary), and matches on (those and the file's text).
RANK_VECTOR = (
    SearchVector("title", weight="A", config="english")
    + SearchVector("tags_text", weight="B", config="english")
    + SearchVector("summary", weight="C", config="english")
)
SEARCH_VECTOR = RANK_VECTOR + SearchVector("extracted_text", weight="D", config="english")


def refresh_search(resource: Resource) -> None:
    """Recompute the searchable words, and the PostgreSQL search vectors from them."""
    resource.tags_text = _tags_text(resource)
    Resource.objects.filter(pk=resource.pk).update(tags_text=resource.tags_text)
    bump_version_on_commit("library")  # cached search results go (portal/versions.py)
    if connection.vendor == "postgresql":
        Resource.objects.filter(pk=resource.pk).update(
            search_vector=SEARCH_VECTOR, rank_vector=RANK_VECTOR
        )


FIELDS = [
    "title",
    "summary",
    "kind",
    "audience",
    "visibility",
    "program",
    "grantee",
    "external_url",
    "video_url",
    "duration_minutes",
    "source_event",
]


def _apply(resource: Resource, data: dict, upload) -> None:
    for name in FIELDS:
        if name in data:
            setattr(resource, name, data[name])
    resource.title = resource.title.strip()
    resource.summary = resource.summary.strip()
    if upload is not None:
        attach_upload(resource, upload)
        resource.extracted_text = ""
    if data.get("publish"):
        resource.status = Resource.Status.PUBLISHED
        resource.published_at = resource.published_at or timezone.now()
    elif "publish" in data:
        resource.status = Resource.Status.DRAFT


@transaction.atomic
def resource_create(*, actor: User, data: dict, upload=None) -> Resource:
    """Add a resource (a draft unless `publish`). The text of an uploaded PDF or DOCX is read by a
    worker after the commit, then searchable."""
    roles = _ensure_ta_staff(actor)
    if not data.get("title", "").strip():
        raise ServiceError("Give the resource a title.", field="title")
    _check_placement(roles, data)
    _check_source_event(roles, data)
    _check_content(data, has_file=upload is not None)
    resource = Resource(created_by=actor)
    _apply(resource, data, upload)
    resource.save()
    resource.topics.set(data.get("topics") or [])
    resource.pathway_models.set(data.get("pathway_models") or [])
    refresh_search(resource)
    if upload is not None:
        _extract_later(resource)
    return resource


@transaction.atomic
def resource_update(*, actor: User, resource: Resource, data: dict, upload=None) -> Resource:
    roles = _ensure_ta_staff(actor)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if not data.get("title", "").strip():
        raise ServiceError("Give the resource a title.", field="title")
    _check_placement(roles, data)
    _check_source_event(roles, data)
    _check_content(data, has_file=upload is not None or bool(resource.file))
    old_file = resource.file.name if upload is not None and resource.file else None
    _apply(resource, data, upload)
    resource.save()
    resource.topics.set(data.get("topics") or [])
    resource.pathway_models.set(data.get("pathway_models") or [])
    refresh_search(resource)
    if upload is not None:
        _extract_later(resource)
    if old_file:
        storage = resource.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return resource


# What an event material becomes in the library.
KIND_OF_MATERIAL = {"recording": Kind.RECORDING, "slides": Kind.SLIDES, "handout": Kind.TOOL}


def file_event_material(*, actor: User, material, now=None) -> Resource:
    """File an event's recording or slides in the library, for everyone in the event's program:
    published if the event is over, else a draft to publish once it is (a recording shared
    "after" must not reach the library first). The file is copied, so removing the material
    from the event leaves the library's copy. Runs inside the caller's transaction."""
    from django.core.files import File

    event = material.event
    now = now or timezone.now()
    data = {
        "title": f"{material.title} — {event.title}"[:200],
        "summary": event.description,
        "kind": KIND_OF_MATERIAL[material.kind],
        "visibility": Visibility.PROGRAM,
        "program": event.program,
        "source_event": event,
        "topics": [event.topic] if event.topic_id else [],
        "publish": event.ends_at <= now,
    }
    if material.url:
        data["video_url" if material.kind == "recording" else "external_url"] = material.url
    if not material.file:
        return resource_create(actor=actor, data=data)
    with material.file.open("rb") as handle:
        return resource_create(actor=actor, data=data, upload=File(handle, name=material.file_name))


def publish_filed(resource_ids: list[int], *, now=None) -> int:
    """Publish drafts filed from events (see `events.services.publish_filed_materials`)."""
    now = now or timezone.now()
    bump_version_on_commit("library")
    return Resource.objects.filter(pk__in=resource_ids, status=Resource.Status.DRAFT).update(
        status=Resource.Status.PUBLISHED, published_at=now
    )


def _extract_later(resource: Resource) -> None:
    from library.tasks import extract_resource_text

    pk = resource.pk
    transaction.on_commit(lambda: extract_resource_text.delay(pk), robust=True)


def extract_text(resource_id: int) -> bool:
    """Worker: read the text of the resource's PDF or DOCX into the search index. Idempotent;
    a file that cannot be read is searchable by its title and summary only."""
    from library.text import text_of

    resource = Resource.objects.filter(pk=resource_id).exclude(file="").first()
    if resource is None:
        return False
    with resource.file.open("rb") as handle:
        text = text_of(handle, resource.file_type)
    Resource.objects.filter(pk=resource.pk).update(extracted_text=text)
    resource.extracted_text = text
    refresh_search(resource)
    return bool(text)


# --- Use ------------------------------------------------------------------------------------------


def count_view(resource: Resource) -> None:
    Resource.objects.filter(pk=resource.pk).update(view_count=F("view_count") + 1)


def count_download(resource: Resource) -> None:
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)


@transaction.atomic
def bookmark_toggle(*, user: User, resource: Resource) -> bool:
    """Add to or remove from "My library". Returns whether it is bookmarked now."""
    deleted, _ = Bookmark.objects.filter(user=user, resource=resource).delete()
    if deleted:
        return False
    Bookmark.objects.get_or_create(user=user, resource=resource)
    return True


VISIT_GAP_MINUTES = 30  # a visit is a return after this long away, not each page view


def library_visit(*, user: User, now=None):
    """Record a visit; returns the moment of the visit before (for "new since your last
    visit"), or None on the first one."""
    from datetime import timedelta

    now = now or timezone.now()
    visit = LibraryVisit.objects.filter(user=user).first()
    if visit is None:
        LibraryVisit.objects.create(user=user, last_visit_at=now)
        return None
    if now - visit.last_visit_at >= timedelta(minutes=VISIT_GAP_MINUTES):
        visit.previous_visit_at, visit.last_visit_at = visit.last_visit_at, now
        visit.save(update_fields=["previous_visit_at", "last_visit_at"])
    return visit.previous_visit_at


# --- Collections ----------------------------------------------------------------------------------


def _collection_details(collection: Collection, data: dict) -> None:
    title = data.get("title", "").strip()
    if not title:
        raise ServiceError("Give the collection a title.", field="title")
    collection.title = title
    collection.summary = data.get("summary", "").strip()
    collection.save()


@transaction.atomic
def collection_save(
    *, actor: User, data: dict, resources: list[Resource], collection: Collection | None = None
) -> Collection:
    """Create or edit a collection with all its items at once; `resources` in the order people
    should read them (demo data and imports; the pages add, move and remove one at a time)."""
    _ensure_ta_staff(actor)
    collection = collection or Collection(created_by=actor)
    _collection_details(collection, data)
    collection.items.all().delete()
    unique = list(dict.fromkeys(resources))
    CollectionItem.objects.bulk_create(
        CollectionItem(collection=collection, resource=resource, position=position)
        for position, resource in enumerate(unique, start=1)
    )
    return collection


@transaction.atomic
def collection_update(*, actor: User, collection: Collection, data: dict) -> Collection:
    """Rename a collection or change its summary (items are kept)."""
    _ensure_ta_staff(actor)
    _collection_details(collection, data)
    return collection


def _locked(collection: Collection) -> Collection:
    # Item changes lock the collection, so two editors never give two items the same position.
    return Collection.objects.select_for_update().get(pk=collection.pk)


@transaction.atomic
def collection_add(*, actor: User, collection: Collection, resource: Resource) -> CollectionItem:
    """Put a resource (one the actor may see) at the end of the collection."""
    _ensure_ta_staff(actor)
    collection = _locked(collection)
    if collection.items.filter(resource=resource).exists():
        raise ServiceError(f"“{resource.title}” is already in this collection.", field="resource")
    last = collection.items.aggregate(last=Max("position"))["last"] or 0
    return CollectionItem.objects.create(
        collection=collection, resource=resource, position=last + 1
    )


@transaction.atomic
def collection_move(*, actor: User, collection: Collection, resource_id: int, offset: int) -> bool:
    """Swap an item with its neighbour before (offset -1) or after (+1). False at either end."""
    _ensure_ta_staff(actor)
    collection = _locked(collection)
    items = list(collection.items.order_by("position"))
    index = next((i for i, item in enumerate(items) if item.resource_id == resource_id), None)
    if index is None or not 0 <= index + offset < len(items):
        return False
    item, neighbour = items[index], items[index + offset]
    item.position, neighbour.position = neighbour.position, item.position
    CollectionItem.objects.bulk_update([item, neighbour], ["position"])
    return True


@transaction.atomic
def collection_remove(*, actor: User, collection: Collection, resource_id: int) -> None:
    _ensure_ta_staff(actor)
    _locked(collection).items.filter(resource_id=resource_id).delete()


@transaction.atomic
def collection_delete(*, actor: User, collection: Collection) -> None:
    """Delete a collection; its resources stay in the library."""
    _ensure_ta_staff(actor)
    collection.delete()
