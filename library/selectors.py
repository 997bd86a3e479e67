"""Reads for the library. `visible_resources` is the one entry point: everything else (search,
facets, collections, bookmarks, downloads) starts from it, so a grantee-only resource never shows
to another tenant anywhere."""

from __future__ import annotations

import hashlib
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from grantees.models import Topic
from library.models import Bookmark, Collection, PathwayModel, Resource
from portal.roles import Roles
from portal.versions import cached_until_changed

PAGE_SIZE = 20


def _program_ids(roles: Roles) -> set[int]:
    return set(roles.ta_admin_of | roles.state_admin_of | roles.member_program_ids)


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


def _filtered(resources: QuerySet[Resource], filters: SearchFilters):
    # The same choices as the facet statement's conditions (`_facet_sql`), for the page.
    if filters.kind:
        resources = resources.filter(kind=filters.kind)
    if filters.topic:
        resources = resources.filter(topics__slug=filters.topic)
    if filters.model:
        resources = resources.filter(pathway_models__slug=filters.model)
    return resources


def _matching(resources: QuerySet[Resource], terms: list[str]) -> QuerySet[Resource]:
    if not terms:
        return resources
    if connection.vendor == "postgresql":
        # As a semi-join: the planner then ranks and pages the visible rows and checks the
        # (large) search vector of the few it keeps, instead of the vector of every row.
        matches = Resource.objects.filter(search_vector=_ts_query(terms)).values("pk")
        return resources.filter(pk__in=matches)
    # SQLite: every word appears somewhere (no ranking by weight, no stemming).
    for term in terms:
        resources = resources.filter(
            Q(title__icontains=term)
            | Q(tags_text__icontains=term)
            | Q(summary__icontains=term)
            | Q(extracted_text__icontains=term)
        )
    return resources


def _raw_ts_query(terms: list[str]) -> str:
    # Prefix matching: "nurs" finds "nursing"; every word must match. Terms are \w+ only.
    return " & ".join(f"{term}:*" for term in terms)


def _ts_query(terms: list[str]):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(_raw_ts_query(terms), search_type="raw", config="english")


class CountedPaginator(Paginator):
    """A paginator told the total (the facet query already counted it): one query fewer."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def search(roles: Roles, filters: SearchFilters, *, page_number: int | str = 1) -> SearchResult:
    """Ranked, faceted, paginated search over what this person may see. Two queries do the
    work: one matches once and counts every facet (and the total), one ranks and pages. Their
    result is cached until the library changes (a common word ranks thousands of resources);
    a third query reads the page's twenty resources, live."""
    terms = _terms(filters.query)
    visible = visible_resources(roles)
    facets, total, number, ids = cached_until_changed(
        "library",
        _search_key(visible, terms, filters, page_number),
        lambda: _ranked(visible, filters, terms, page_number),
        settings.LIBRARY_SEARCH_CACHE_SECONDS,
    )
    page = Page(ids, number, CountedPaginator([], PAGE_SIZE, count=total))
    query = _ts_query(terms) if terms and connection.vendor == "postgresql" else None
    rows = Resource.objects.filter(pk__in=ids).defer(
        "extracted_text", "search_vector", "rank_vector"
    )
    if query is not None:
        from django.contrib.postgres.search import SearchHeadline

        rows = rows.annotate(
            headline=SearchHeadline(
                "summary",
                query,
                config="english",
                start_sel=_MARK_START,
                stop_sel=_MARK_STOP,
                max_words=35,
                min_words=15,
            )
        )
    by_id = {resource.pk: resource for resource in rows.prefetch_related("topics")}
    # A resource deleted since the ids were cached would have moved the version; skip it anyway.
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    for resource in page.object_list:
        resource.snippet = _snippet(resource, terms)
    return SearchResult(page=page, query=filters.query, facets=facets, total=total)


def _search_key(visible: QuerySet[Resource], terms: list[str], filters, page_number) -> str:
    # Everything the result depends on: the database, who sees what (the visible resources'
    # SQL names their programs and grantees), the words, the facets chosen and the page.
    parts = repr(
        (connection.settings_dict["NAME"], str(visible.query), terms, filters, str(page_number))
    )
    return f"library-search:{hashlib.sha256(parts.encode()).hexdigest()}"


@contextmanager
def _matching_by_index(terms: list[str]):
    """On PostgreSQL, match words through the GIN index even when most resources match. The
    planner prices a table scan as cheap, not knowing it unpacks every resource's search vector
    (kilobytes of PDF text each): seven times slower for a common word at 20,000 resources."""
    if not terms or connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield
        # Inside an outer transaction SET LOCAL would outlive this block. (After an error the
        # rollback of this block's savepoint or transaction undoes it.)
        cursor.execute("SET LOCAL enable_seqscan = on")


def _ranked(
    visible: QuerySet[Resource], filters: SearchFilters, terms: list[str], page_number
) -> tuple[dict[str, list[Facet]], int, int, list[int]]:
    """The facets, the total, and the page's number and resource ids in rank order."""
    with _matching_by_index(terms):
        facets = _facets(visible, terms, filters)
        total = sum(f.count for f in facets["kind"] if f.value == filters.kind or not filters.kind)
        # No DISTINCT: the facet filters match one topic or model each, so no row repeats.
        ordered = _filtered(_matching(visible, terms), filters)
        query = _ts_query(terms) if terms and connection.vendor == "postgresql" else None
        if query is not None:
            from django.contrib.postgres.search import SearchRank

            ordered = ordered.annotate(rank=SearchRank(F("rank_vector"), query))
            ordered = ordered.order_by("-rank", "-published_at", "-pk")
        else:
            ordered = ordered.order_by("-published_at", "-pk")
        # The page's ids only (a narrow sort of thousands of matches); search() then reads
        # those twenty rows: sorting whole rows spilled to disk at 20,000 resources.
        paginator = CountedPaginator(ordered.values_list("pk", flat=True), PAGE_SIZE, count=total)
        page = paginator.get_page(page_number)
        return facets, total, page.number, list(page.object_list)


def _facet_sql(
    visible: QuerySet[Resource], terms: list[str], filters: SearchFilters
) -> tuple[str, list]:
    """One statement for all three facets: the matching resources once (a CTE), then the count
    per kind, per topic and per model — each given the other facets' choices, not its own."""
    topics_link = Resource.topics.through._meta.db_table
    models_link = Resource.pathway_models.through._meta.db_table
    topic_table, model_table = Topic._meta.db_table, PathwayModel._meta.db_table
    on_postgresql = connection.vendor == "postgresql"
    if on_postgresql and terms:
        # The matching ids first, from the GIN index alone (a CTE of its own, so the planner
        # cannot trade it for reading every row's vector), then the visible ones among them.
        visible_sql, visible_params = (
            visible.order_by().values("id", "kind").query.sql_with_params()
        )
        matches = (
            f"m AS MATERIALIZED (SELECT id FROM {Resource._meta.db_table}"  # noqa: S608
            " WHERE search_vector @@ to_tsquery('english', %s)),"
        )
        base_sql = f"SELECT v.id, v.kind FROM ({visible_sql}) v JOIN m ON m.id = v.id"  # noqa: S608
        base_params = (_raw_ts_query(terms), *visible_params)
    else:
        matches = ""
        base = _matching(visible, terms).order_by().values("id", "kind")
        base_sql, base_params = base.query.sql_with_params()
    conditions = {
        "kind": ("b.kind = %s", [filters.kind]),
        "topic": (
            f"EXISTS (SELECT 1 FROM {topics_link} x JOIN {topic_table} y ON y.id = x.topic_id"  # noqa: S608
            " WHERE x.resource_id = b.id AND y.slug = %s)",
            [filters.topic],
        ),
        "model": (
            f"EXISTS (SELECT 1 FROM {models_link} x JOIN {model_table} y"  # noqa: S608
            " ON y.id = x.pathwaymodel_id WHERE x.resource_id = b.id AND y.slug = %s)",
            [filters.model],
        ),
    }

    def others(facet: str) -> tuple[str, list]:
        sql, params = ["1 = 1"], []
        for name, (condition, values) in conditions.items():
            if name != facet and getattr(filters, name):
                sql.append(condition)
                params += values
        return " AND ".join(sql), params

    kind_where, kind_params = others("kind")
    topic_where, topic_params = others("topic")
    model_where, model_params = others("model")
    materialized = "MATERIALIZED " if on_postgresql else ""
    # Only table names from the models' metadata and the ORM's own SQL are formatted in; every
    # value (the query words, the chosen facets) is a parameter.
    sql = f"""
        WITH {matches} b AS {materialized}({base_sql})
        SELECT 'kind', b.kind, '', COUNT(*) FROM b WHERE {kind_where} GROUP BY b.kind
        UNION ALL
        SELECT 'topic', t.slug, t.name, c.n FROM (
          SELECT l.topic_id AS id, COUNT(*) AS n FROM b JOIN {topics_link} l ON l.resource_id = b.id
          WHERE {topic_where} GROUP BY l.topic_id
        ) c JOIN {topic_table} t ON t.id = c.id
        UNION ALL
        SELECT 'model', m.slug, m.name, c.n FROM (
          SELECT l.pathwaymodel_id AS id, COUNT(*) AS n FROM b
          JOIN {models_link} l ON l.resource_id = b.id
          WHERE {model_where} GROUP BY l.pathwaymodel_id
        ) c JOIN {model_table} m ON m.id = c.id
    """  # noqa: S608
    return sql, [*base_params, *kind_params, *topic_params, *model_params]


def _facets(
    visible: QuerySet[Resource], terms: list[str], filters: SearchFilters
) -> dict[str, list[Facet]]:
    """Counts per value of each facet, given the query and the other facets' choices."""
    sql, params = _facet_sql(visible, terms, filters)
    counts: dict[str, dict[str, tuple[str, int]]] = {"kind": {}, "topic": {}, "model": {}}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for facet, value, label, n in cursor.fetchall():
            counts[facet][value] = (label, n)
    kinds = counts["kind"]
    return {
        "kind": [
            Facet(value, label, kinds.get(value, ("", 0))[1], value == filters.kind)
            for value, label in Resource.Kind.choices
            if value in kinds or value == filters.kind
        ],
        "topic": [
            Facet(slug, name, n, slug == filters.topic)
            for slug, (name, n) in sorted(counts["topic"].items(), key=lambda item: item[1][0])
        ],
        "model": [
            Facet(slug, name, n, slug == filters.model)
            for slug, (name, n) in sorted(counts["model"].items(), key=lambda item: item[1][0])
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
