"""The library: who sees what, search and facets, downloads, bookmarks, what is new."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from library import selectors, services
from library.models import Bookmark, LibraryVisit, Resource
from portal.roles import compute_roles
from portal.services import ServiceError
from tests.budget import assert_constant_queries
from tests.library.test_uploads import PDF
from tests.world import MARKER

pytestmark = pytest.mark.django_db


def add(world, title, summary="", actor="ta_admin", **data):
    return services.resource_create(
        actor=world.users[actor],
        data={
            "title": title,
            "summary": summary,
            "kind": data.pop("kind", "brief"),
            "audience": "everyone",
            "visibility": data.pop("visibility", "portal"),
            "external_url": "https://example.org/r",
            "publish": data.pop("publish", True),
            **data,
        },
    )


def titles(world, role, **filters):
    result = selectors.search(compute_roles(world.users[role]), selectors.SearchFilters(**filters))
    return [r.title for r in result.page.object_list]


def test_a_grantee_only_resource_is_invisible_to_other_tenants(world, client_for):
    assert f"Alpha plan {MARKER}" in titles(world, "staff")
    assert f"Alpha plan {MARKER}" in titles(world, "coach")  # A's coach
    assert f"Alpha plan {MARKER}" in titles(world, "state")  # the program's funder
    for role in ("other_staff", "other_coach", "other_state"):
        assert f"Alpha plan {MARKER}" not in titles(world, role)
        body = client_for(role).get("/library/", {"q": "plan"}).content.decode()
        assert MARKER not in body
        detail = client_for(role).get(f"/library/r/{world.resource.pk}/")
        assert detail.status_code == 404
    collection = client_for("other_staff").get(f"/library/collections/{world.collection.pk}/")
    assert MARKER not in collection.content.decode() and "Bravo plan" in collection.content.decode()


def test_facet_counts_never_count_what_is_hidden(world):
    roles = compute_roles(world.users["other_staff"])
    result = selectors.search(roles, selectors.SearchFilters())
    toolkits = next(f for f in result.facets["kind"] if f.value == "toolkit")
    assert toolkits.count == 2  # the portal-wide toolkit and B's, not A's


def test_each_facet_counts_under_the_other_facets_choices_and_the_total_matches(world):
    from grantees.models import Topic
    from library.models import PathwayModel

    employers = Topic.objects.get(name="Employer engagement")
    iet = PathwayModel.objects.get(slug="iet")
    add(world, "Hospital toolkit", "nursing", kind="toolkit", topics=[employers])
    add(world, "Hospital brief", "nursing", kind="brief", topics=[employers], pathway_models=[iet])
    add(world, "Clinic brief", "nursing", kind="brief", pathway_models=[iet])
    roles = compute_roles(world.users["staff"])
    result = selectors.search(
        roles, selectors.SearchFilters(query="nursing", kind="brief", topic=employers.slug)
    )
    assert [r.title for r in result.page.object_list] == ["Hospital brief"]
    assert result.total == result.page.paginator.count == 1
    kinds = {f.value: f.count for f in result.facets["kind"]}
    topics = {f.value: f.count for f in result.facets["topic"]}
    models = {f.value: f.count for f in result.facets["model"]}
    assert kinds == {"toolkit": 1, "brief": 1}  # within the topic, any kind
    assert topics == {employers.slug: 1}  # briefs, any topic: only one has a topic
    assert models == {"iet": 1}  # briefs of the topic
    assert [f.value for f in result.facets["kind"] if f.selected] == ["brief"]


def test_a_page_past_the_end_shows_the_last_page(world):
    for i in range(selectors.PAGE_SIZE + 3):
        add(world, f"Paged {i}", "paged words")
    roles = compute_roles(world.users["staff"])
    result = selectors.search(roles, selectors.SearchFilters(query="paged"), page_number=99)
    assert result.page.number == 2 and len(result.page.object_list) == 3
    assert result.total == selectors.PAGE_SIZE + 3


@pytest.mark.postgres
def test_on_postgresql_words_inside_a_file_are_found_and_rank_last(world):
    inside = add(world, "Intake form", "A form.")
    Resource.objects.filter(pk=inside.pk).update(extracted_text="sterile processing technician")
    services.refresh_search(Resource.objects.get(pk=inside.pk))
    add(world, "Sterile processing pathway", "Sterile processing.")
    assert titles(world, "staff", query="sterile") == ["Sterile processing pathway", "Intake form"]


def test_drafts_are_for_ta_staff_only(world, client_for):
    draft = add(world, "Draft brief", publish=False)
    assert client_for("staff").get(f"/library/r/{draft.pk}/").status_code == 404
    assert client_for("coach").get(f"/library/r/{draft.pk}/").status_code == 200


def test_search_matches_words_prefixes_and_filters(world):
    add(world, "Nursing assistant bridge", "A bridge into CNA programs.", kind="toolkit")
    add(world, "Clinical placements brief", "How employers host nursing students.")
    assert "Nursing assistant bridge" in titles(world, "staff", query="nurs")
    assert set(titles(world, "staff", query="nursing")) >= {
        "Nursing assistant bridge",
        "Clinical placements brief",
    }
    assert titles(world, "staff", query="nursing", kind="toolkit") == ["Nursing assistant bridge"]
    assert titles(world, "staff", query="zzzz-nothing") == []


def test_snippets_mark_the_words_and_escape_the_rest(world):
    add(world, "Escaping", "<script>alert(1)</script> about nursing")
    result = selectors.search(
        compute_roles(world.users["staff"]), selectors.SearchFilters(query="nursing")
    )
    snippet = str(result.page.object_list[0].snippet)
    assert "<script>" not in snippet  # escaped (SQLite) or dropped by ts_headline (PostgreSQL)
    assert "<mark>nursing</mark>" in snippet.lower()


@pytest.mark.postgres
def test_on_postgresql_a_title_match_ranks_above_a_summary_match(world):
    add(world, "Phlebotomy pathway map", "A map.")
    add(world, "Pathway brief", "Mentions phlebotomy once.")
    assert titles(world, "staff", query="phlebotomy")[0] == "Phlebotomy pathway map"


def test_a_file_is_downloaded_through_the_access_check_and_counted(
    world, client_for, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    resource = services.resource_create(
        actor=world.users["ta_admin"],
        data={
            "title": "Handout",
            "kind": "tool",
            "audience": "everyone",
            "visibility": "grantee",
            "grantee": world.grantee,
            "publish": True,
        },
        upload=SimpleUploadedFile("../Hand out.pdf", PDF),
    )
    response = client_for("staff").get(f"/library/r/{resource.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="Hand out.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for("other_staff").get(f"/library/r/{resource.pk}/download/").status_code == 404
    resource.refresh_from_db()
    assert resource.download_count == 1


def test_the_upload_form_says_what_is_wrong_with_a_file(world, client_for):
    response = client_for("coach").post(
        "/library/new/",
        {
            "title": "Bad file",
            "kind": "brief",
            "audience": "everyone",
            "visibility": "portal",
            "file": SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert response.status_code == 422
    assert "not accepted" in response.content.decode()
    assert not Resource.objects.filter(title="Bad file").exists()


def test_a_coach_cannot_place_a_resource_with_a_grantee_they_do_not_coach(world):
    with pytest.raises(ServiceError) as refused:
        add(world, "Wrong place", actor="other_coach", visibility="grantee", grantee=world.grantee)
    assert refused.value.field == "grantee"


def test_bookmarks_toggle_and_fill_my_library(world, client_for):
    client = client_for("staff")
    url = f"/library/r/{world.resource.pk}/bookmark/"
    button = client.post(url, headers={"HX-Request": "true"})
    assert 'aria-pressed="true"' in button.content.decode()
    assert MARKER in client.get("/library/mine/").content.decode()
    client.post(url)
    assert not Bookmark.objects.filter(user=world.users["staff"]).exists()


def test_new_since_the_last_visit(world, client_for):
    client = client_for("staff")
    client.get("/library/")
    LibraryVisit.objects.update(last_visit_at=timezone.now() - timedelta(hours=2))
    add(world, "Fresh brief")
    body = client.get("/library/").content.decode()
    assert "New since your last visit" in body and "Fresh brief" in body


def test_the_library_page_and_search_stay_constant(world, client_for):
    def grow(n):
        for i in range(n):
            resource = add(world, f"Nursing brief {i}", "nursing")
            resource.topics.set([world.topic] if hasattr(world, "topic") else [])

    assert_constant_queries(client_for("staff"), "/library/?q=nursing", grow=grow)


def test_collections_and_details_stay_constant(world, client_for):
    from library.models import CollectionItem

    def grow(n):
        last = world.collection.items.count()
        for i in range(n):
            resource = add(world, f"Item {i}")
            CollectionItem.objects.create(
                collection=world.collection, resource=resource, position=last + i + 1
            )

    assert_constant_queries(
        client_for("staff"), f"/library/collections/{world.collection.pk}/", grow=grow
    )
