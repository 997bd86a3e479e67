"""Reads for the library. `visible_resources` is the one entry point: everything else (search,
facets, collections, bookmarks, downloads) starts from it, so a grantee-only resource never shows
to another tenant anywhere."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from grantees.models import Grantee, Topic
from library.models import Bookmark, Collection, PathwayModel, Resource
from portal.roles import Roles

PAGE_SIZE = 20


def _program_ids(roles: Roles) -> set[int]:
    grantee_ids = roles.staff_of | roles.coach_of
    programs = set(roles.ta_admin_of | roles.state_admin_of)
    if grantee_ids:
        programs |= set(
            Grantee.objects.filter(pk__in=grantee_ids).values_list("program_id", flat=True)
        )
    return programs


def visible_resources(roles: Roles, *, drafts: bool = False) -> QuerySet[Resource]:
    """Published resources this person may see: portal-wide ones, their programs' ones, and one
    grantee's ones if they are its people, coach it, or run or fund its program. TA staff also
    see drafts when `drafts` is set."""
    programs = _program_ids(roles)
    grantees = roles.staff_of | roles.coach_of
    seen = (
        Q(visibility=Resource.Visibility.PORTAL)
        | Q(visibility=Resource.Visibility.PROGRAM, program_id__in=programs)
        | Q(visibility=Resource.Visibility.GRANTEE, grantee_id__in=grantees)
        | Q(
            visibility=Resource.Visibility.GRANTEE,
            program_id__in=roles.ta_admin_of | roles.state_admin_of,
        )
    )
    resources = Resource.objects.filter(seen)
    if not (drafts and (roles.is_coach or roles.is_ta_admin)):
        resources = resources.filter(status=Resource.Status.PUBLISHED)
    return resources


def resource_for(roles: Roles, resource_id: int) -> Resource:
    resource = (
        visible_resources(roles, drafts=True)
        .filter(pk=resource_id)
        .select_related("program", "grantee", "source_event", "created_by")
        .prefetch_related("topics", "pathway_models")
        .first()
    )
    if resource is None:
        raise Http404("No such resource.")
    return resource


# --- Search ---------------------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)
_MARK_START, _MARK_STOP = "\x02", "\x03"


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    page: Page
    query: str
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    total: int = 0


@dataclass(frozen=True)
class SearchFilters:
    query: str = ""
    kind: str = ""
    topic: str = ""  # topic slug
    model: str = ""  # pathway model slug


def _terms(query: str) -> list[str]:
    return _WORD.findall(query.lower())[:8]


def _filtered(resources: QuerySet[Resource], filters: SearchFilters, skip: str = ""):
    if filters.kind and skip != "kind":
        resources = resources.filter(kind=filters.kind)
    if filters.topic and skip != "topic":
        resources = resources.filter(topics__slug=filters.topic)
    if filters.model and skip != "model":
        resources = resources.filter(pathway_models__slug=filters.model)
    return resources


def _matching(resources: QuerySet[Resource], terms: list[str]) -> QuerySet[Resource]:
    if not terms:
        return resources
    if connection.vendor == "postgresql":
        return resources.filter(search_vector=_ts_query(terms))
    # SQLite: every word appears somewhere (no ranking by weight, no stemming).
    for term in terms:
        resources = resources.filter(
            Q(title__icontains=term)
            | Q(tags_text__icontains=term)
            | Q(summary__icontains=term)
            | Q(extracted_text__icontains=term)
        )
    return resources


def _ts_query(terms: list[str]):
    from django.contrib.postgres.search import SearchQuery

    # Prefix matching: "nurs" finds "nursing"; every word must match.
    raw = " & ".join(f"{term}:*" for term in terms)
    return SearchQuery(raw, search_type="raw", config="english")


def search(roles: Roles, filters: SearchFilters, *, page_number: int | str = 1) -> SearchResult:
    """Ranked, faceted, paginated search over what this person may see."""
    terms = _terms(filters.query)
    base = _matching(visible_resources(roles), terms)
    results = _filtered(base, filters).distinct()
    if terms and connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchHeadline, SearchRank

        query = _ts_query(terms)
        results = results.annotate(
            rank=SearchRank(F("search_vector"), query),
            headline=SearchHeadline(
                "summary",
                query,
                config="english",
                start_sel=_MARK_START,
                stop_sel=_MARK_STOP,
                max_words=35,
                min_words=15,
            ),
        ).order_by("-rank", "-published_at", "-pk")
    else:
        results = results.order_by("-published_at", "-pk")
    paginator = Paginator(results.prefetch_related("topics"), PAGE_SIZE)
    page = paginator.get_page(page_number)
    for resource in page.object_list:
        resource.snippet = _snippet(resource, terms)
    return SearchResult(
        page=page,
        query=filters.query,
        facets=_facets(base, filters),
        total=paginator.count,
    )


def _facets(base: QuerySet[Resource], filters: SearchFilters) -> dict[str, list[Facet]]:
    """Counts per value of each facet, given the query and the other facets' choices."""
    kinds = dict(
        _filtered(base, filters, skip="kind")
        .values_list("kind")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    topics = {
        slug: (name, n)
        for slug, name, n in _filtered(base, filters, skip="topic")
        .filter(topics__isnull=False)
        .values_list("topics__slug", "topics__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    }
    models = {
        slug: (name, n)
        for slug, name, n in _filtered(base, filters, skip="model")
        .filter(pathway_models__isnull=False)
        .values_list("pathway_models__slug", "pathway_models__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    }
    return {
        "kind": [
            Facet(value, label, kinds.get(value, 0), value == filters.kind)
            for value, label in Resource.Kind.choices
            if kinds.get(value) or value == filters.kind
        ],
        "topic": [
            Facet(slug, name, n, slug == filters.topic)
            for slug, (name, n) in sorted(topics.items(), key=lambda item: item[1][0])
        ],
        "model": [
            Facet(slug, name, n, slug == filters.model)
            for slug, (name, n) in sorted(models.items(), key=lambda item: item[1][0])
        ],
    }


def _snippet(resource: Resource, terms: list[str]) -> SafeString:
    """The summary with the matched words marked; escaped first, so only <mark> is markup."""
    headline = getattr(resource, "headline", None)
    if headline is None:
        text = resource.summary[:300]
        if terms:
            pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
            text = pattern.sub(lambda m: f"{_MARK_START}{m.group(0)}{_MARK_STOP}", text)
        headline = text
    marked = escape(headline).replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>")
    return mark_safe(marked)  # noqa: S308 - escaped above; only our own <mark> tags remain


def facet_labels() -> dict[str, dict[str, str]]:
    return {
        "topic": dict(Topic.objects.values_list("slug", "name")),
        "model": dict(PathwayModel.objects.values_list("slug", "name")),
    }


# --- Lists ----------------------------------------------------------------------------------------


def new_since(roles: Roles, since, *, limit: int = 5) -> list[Resource]:
    if since is None:
        return []
    return list(
        visible_resources(roles).filter(published_at__gt=since).order_by("-published_at")[:limit]
    )


def bookmarks(roles: Roles, user) -> list[Resource]:
    """The person's bookmarks that they may still see (a resource can be narrowed later)."""
    return list(
        visible_resources(roles)
        .filter(bookmarks__user=user)
        .order_by("-bookmarks__created_at")
        .prefetch_related("topics")
    )


def bookmarked_ids(user, resource_ids) -> set[int]:
    return set(
        Bookmark.objects.filter(user=user, resource_id__in=resource_ids).values_list(
            "resource_id", flat=True
        )
    )


def collections(roles: Roles) -> list[Collection]:
    visible = visible_resources(roles)
    return list(
        Collection.objects.annotate(
            resource_count=Count("items", filter=Q(items__resource__in=visible), distinct=True)
        ).order_by("title")
    )


def collection_for(roles: Roles, collection_id: int) -> tuple[Collection, list[Resource]]:
    collection = collection_by_id(collection_id)
    resources = list(
        visible_resources(roles)
        .filter(collection_items__collection=collection)
        .order_by("collection_items__position")
        .prefetch_related("topics")
    )
    return collection, resources


def collection_by_id(collection_id: int) -> Collection:
    collection = Collection.objects.filter(pk=collection_id).first()
    if collection is None:
        raise Http404("No such collection.")
    return collection


@dataclass
class CollectionEditing:
    items: list[Resource]  # in order, drafts included, only those the editor may see
    hidden_count: int  # items the editor may not see (kept as they are)
    candidates: list[Resource]  # for "add": matches of the query not in the collection yet


CANDIDATES = 10


def collection_editing(roles: Roles, collection: Collection, query: str = "") -> CollectionEditing:
    visible = visible_resources(roles, drafts=True)
    items = list(
        visible.filter(collection_items__collection=collection).order_by(
            "collection_items__position"
        )
    )
    total = collection.items.count()
    candidates: list[Resource] = []
    if query:
        candidates = list(
            visible.filter(Q(title__icontains=query) | Q(summary__icontains=query))
            .exclude(collection_items__collection=collection)
            .order_by("title")[:CANDIDATES]
        )
    return CollectionEditing(items, total - len(items), candidates)
