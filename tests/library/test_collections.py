"""Collections: TA staff create them, add, order and remove resources one at a time; people see
only the resources shared with them, in order."""

from __future__ import annotations

import pytest

from library import services
from library.models import Collection, CollectionItem, Resource
from portal.services import ServiceError
from tests.budget import assert_constant_queries

pytestmark = pytest.mark.django_db


def resource(world, title: str, **data) -> Resource:
    defaults = {
        "title": title,
        "kind": "brief",
        "audience": "everyone",
        "visibility": "portal",
        "external_url": "https://example.org/r",
        "publish": True,
    }
    return services.resource_create(actor=world.users["ta_admin"], data={**defaults, **data})


def order(collection: Collection) -> list[str]:
    return [item.resource.title for item in collection.items.select_related("resource")]


def test_a_ta_admin_creates_a_collection_and_builds_it_on_the_page(world, client_for):
    first, second = resource(world, "Playbook"), resource(world, "Agreements webinar")
    client = client_for("coach")
    missing = client.post("/library/collections/new/", {"title": "  ", "summary": "x"})
    assert missing.status_code == 422
    assert "This field is required." in missing.context["form"].errors["title"][0]
    created = client.post("/library/collections/new/", {"title": "Employer toolkit"})
    collection = Collection.objects.get(title="Employer toolkit")
    assert created["Location"] == f"/library/collections/{collection.pk}/edit/"
    items = f"/library/collections/{collection.pk}/items/"
    found = client.get(f"/library/collections/{collection.pk}/edit/", {"q": "webinar"})
    assert [r.title for r in found.context["editing"].candidates] == ["Agreements webinar"]
    for added in (second, first):
        response = client.post(items, {"action": "add", "resource": added.pk, "q": "x"})
        assert response["Location"].endswith("/edit/?q=x#items")
    assert order(collection) == ["Agreements webinar", "Playbook"]
    client.post(items, {"action": "up", "resource": first.pk})
    assert order(collection) == ["Playbook", "Agreements webinar"]
    client.post(items, {"action": "up", "resource": first.pk})  # already first: nothing moves
    assert order(collection) == ["Playbook", "Agreements webinar"]
    again = client.post(items, {"action": "add", "resource": first.pk}, follow=True)
    assert "already in this collection" in again.content.decode()
    client.post(items, {"action": "remove", "resource": second.pk})
    assert order(collection) == ["Playbook"]
    renamed = client.post(
        f"/library/collections/{collection.pk}/edit/", {"title": "Employer engagement toolkit"}
    )
    assert renamed.status_code == 302
    assert Collection.objects.get(pk=collection.pk).title == "Employer engagement toolkit"


def test_an_editor_cannot_add_a_resource_they_cannot_see(world, client_for):
    # A grantee-only resource of B: the coach of A may not see it, so may not add it.
    hidden = services.resource_create(
        actor=world.users["other_coach"],
        data={
            "title": "Bravo's own",
            "kind": "brief",
            "audience": "everyone",
            "visibility": "grantee",
            "grantee": world.other_grantee,
            "external_url": "https://example.org/b",
            "publish": True,
        },
    )
    collection = services.collection_save(
        actor=world.users["ta_admin"], data={"title": "Empty"}, resources=[]
    )
    items = f"/library/collections/{collection.pk}/items/"
    response = client_for("coach").post(items, {"action": "add", "resource": hidden.pk})
    assert response.status_code == 404
    assert not collection.items.exists()


def test_hidden_items_are_counted_for_the_editor_and_kept_in_place(world, client_for):
    # The world's collection holds A's and B's grantee-only resources: B's coach sees A's as a
    # count only, and moving B's past it keeps it.
    services.collection_add(
        actor=world.users["ta_admin"],
        collection=world.collection,
        resource=resource(world, "For everyone"),
    )
    url = f"/library/collections/{world.collection.pk}/edit/"
    editing = client_for("other_coach").get(url).context["editing"]
    assert [r.title for r in editing.items] == [world.other_resource.title, "For everyone"]
    assert editing.hidden_count == 1
    assert world.resource.title not in client_for("other_coach").get(url).content.decode()
    client_for("other_coach").post(
        f"/library/collections/{world.collection.pk}/items/",
        {"action": "down", "resource": world.other_resource.pk},
    )
    assert world.resource.pk in world.collection.items.values_list("resource_id", flat=True)


def test_people_see_the_collection_in_order_without_what_is_not_theirs(world, client_for):
    collection = services.collection_save(
        actor=world.users["ta_admin"],
        data={"title": "Order"},
        resources=[resource(world, "Third"), world.resource, resource(world, "Fourth")],
    )
    url = f"/library/collections/{collection.pk}/"
    assert [r.title for r in client_for("staff").get(url).context["resources"]] == [
        "Third",
        world.resource.title,
        "Fourth",
    ]
    assert [r.title for r in client_for("other_staff").get(url).context["resources"]] == [
        "Third",
        "Fourth",
    ]


def test_deleting_a_collection_keeps_its_resources(world, client_for):
    kept = list(world.collection.items.values_list("resource_id", flat=True))
    response = client_for("ta_admin").post(f"/library/collections/{world.collection.pk}/delete/")
    assert response.status_code == 302
    assert not Collection.objects.filter(pk=world.collection.pk).exists()
    assert Resource.objects.filter(pk__in=kept).count() == len(kept)


def test_grantee_staff_cannot_edit_collections(world, client_for):
    assert client_for("lead").get("/library/collections/new/").status_code == 403
    with pytest.raises(Exception):  # noqa: B017 — PermissionDenied
        services.collection_update(
            actor=world.users["lead"], collection=world.collection, data={"title": "x"}
        )


def test_collection_save_drops_duplicates_and_numbers_in_order(world):
    a, b = resource(world, "A"), resource(world, "B")
    collection = services.collection_save(
        actor=world.users["ta_admin"], data={"title": "Dups"}, resources=[a, b, a]
    )
    positions = list(
        CollectionItem.objects.filter(collection=collection).values_list("resource_id", "position")
    )
    assert positions == [(a.pk, 1), (b.pk, 2)]
    with pytest.raises(ServiceError):
        services.collection_save(actor=world.users["ta_admin"], data={"title": ""}, resources=[])


def test_the_editing_page_keeps_a_constant_query_count(world, client_for):
    def grow(n):
        for i in range(n):
            services.collection_add(
                actor=world.users["ta_admin"],
                collection=world.collection,
                resource=resource(world, f"Grown {i} {world.collection.items.count()}"),
            )

    assert_constant_queries(
        client_for("ta_admin"), f"/library/collections/{world.collection.pk}/edit/?q=Grown", grow
    )
