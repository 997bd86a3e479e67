"""Event materials as uploaded files or links: served only to seats (organizers always), filed in
the library for recordings and slides, published there once the event is over."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from events import services
from events.models import Event, Material
from library.models import Resource
from portal.demo_files import pdf_upload

pytestmark = pytest.mark.django_db


def program_event_url(world):
    return f"/p/{world.program.slug}/events/{world.event.pk}/"


def slides(world) -> Material:
    return world.event.materials.get(title="Slides")


def add(world, **data):
    upload = data.pop("upload", None)
    defaults = {"title": "Recording", "kind": "recording", "release": "after"}
    return services.material_add(
        actor=world.users["ta_admin"], event=world.event, data={**defaults, **data}, upload=upload
    )


def end_event(world):
    """Move the event into the past (times only; registrations stay as they are)."""
    start = timezone.now() - timedelta(days=2)
    Event.objects.filter(pk=world.event.pk).update(
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        registration_opens_at=start - timedelta(days=9),
        registration_closes_at=start - timedelta(hours=1),
    )
    world.event.refresh_from_db()


def test_a_seated_person_downloads_the_file_and_a_colleague_without_a_seat_cannot(
    world, client_for
):
    url = f"/g/alpha/events/{world.event.pk}/materials/{slides(world).pk}/"
    response = client_for("staff").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'filename="slides.pdf"' in response["Content-Disposition"]
    assert b"Speaker notes for the webinar" in b"".join(response.streaming_content)
    page = client_for("staff").get(f"/g/alpha/events/{world.event.pk}/").content.decode()
    assert url in page and "slides.pdf" in page
    assert client_for("lead").get(url).status_code == 404  # the lead has no seat
    # B's staff has a seat, but through B: A's address is not theirs.
    assert client_for("other_staff").get(url).status_code in (403, 404)
    own = client_for("other_staff").get(
        f"/g/bravo/events/{world.event.pk}/materials/{slides(world).pk}/"
    )
    assert own.status_code == 200


def test_organizers_open_every_material_from_the_program_page(world, client_for):
    url = f"{program_event_url(world)}materials/{slides(world).pk}/"
    assert client_for("ta_admin").get(url).status_code == 200
    assert client_for("state").get(url).status_code in (403, 404)
    assert url in client_for("ta_admin").get(program_event_url(world)).content.decode()


def test_an_after_material_opens_only_once_the_event_is_over(world, client_for):
    recording = add(world, upload=pdf_upload("rec.pdf", "Transcript", ["words"]))
    url = f"/g/alpha/events/{world.event.pk}/materials/{recording.pk}/"
    assert client_for("staff").get(url).status_code == 404
    end_event(world)
    assert client_for("staff").get(url).status_code == 200


def test_a_link_material_sends_people_to_the_link(world, client_for):
    material = add(world, url="https://video.example.org/42", release="before")
    url = f"/g/alpha/events/{world.event.pk}/materials/{material.pk}/"
    response = client_for("staff").get(url)
    assert response.status_code == 302 and response["Location"] == "https://video.example.org/42"


@pytest.mark.parametrize(
    "fields, upload, field, message",
    [
        ({"material-url": ""}, None, "file", "Upload a file or give a link."),
        (
            {"material-url": "https://video.example.org/1"},
            ("slides.pdf", b"%PDF-1.4 fake"),
            "url",
            "not both",
        ),
        ({"material-url": ""}, ("slides.pdf", b"MZ\x90\x00 not a pdf"), "file", "not accepted"),
        ({"material-url": ""}, ("empty.pdf", b""), "file", "empty"),
    ],
)
def test_a_bad_material_gets_a_field_message_and_nothing_is_saved(
    world, client_for, fields, upload, field, message
):
    data = {
        "material-title": "Deck",
        "material-kind": "slides",
        "material-release": "before",
        "material-file_in_library": "on",
        **fields,
    }
    if upload:
        data["material-file"] = SimpleUploadedFile(upload[0], upload[1])
    before = (Material.objects.count(), Resource.objects.count())
    response = client_for("ta_admin").post(program_event_url(world) + "materials/", data)
    assert response.status_code == 422
    form = response.context["material_form"]
    assert message in " ".join(form.errors[field])
    assert (Material.objects.count(), Resource.objects.count()) == before


def test_uploading_slides_through_the_page_files_a_copy_in_the_library(
    world, client_for, django_capture_on_commit_callbacks
):
    upload = pdf_upload("Deck (final).pdf", "Employer panel deck", ["Hiring English learners"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("ta_admin").post(
            program_event_url(world) + "materials/",
            {
                "material-title": "Employer panel deck",
                "material-kind": "slides",
                "material-release": "before",
                "material-file_in_library": "on",
                "material-file": upload,
            },
        )
    assert response.status_code == 302
    material = Material.objects.get(title="Employer panel deck")
    assert material.file_name == "Deck final.pdf"
    resource = material.resource
    assert resource.kind == Resource.Kind.SLIDES
    assert resource.source_event_id == world.event.pk
    assert (resource.visibility, resource.program_id) == ("program", world.program.pk)
    # A draft until the event is over; the copy is a file of its own, its text searchable.
    assert not resource.is_published and material.library_pending
    assert resource.file.name != material.file.name
    assert "Hiring English learners" in Resource.objects.get(pk=resource.pk).extracted_text


def test_a_recording_added_after_the_event_is_published_at_once(world):
    end_event(world)
    material = add(world, url="https://video.example.org/7")
    resource = material.resource
    assert resource.is_published and not material.library_pending
    assert resource.video_url == "https://video.example.org/7"
    assert resource.kind == Resource.Kind.RECORDING


def test_a_handout_stays_out_of_the_library_unless_asked(world):
    handout = add(world, title="Agenda", kind="handout", url="https://x.example.org/a")
    assert handout.resource is None
    asked = add(world, kind="recording", url="https://x.example.org/r", file_in_library=False)
    assert asked.resource is None


def test_the_sweep_publishes_filed_copies_once_the_event_is_over_and_only_once(world):
    material = add(world, url="https://video.example.org/9")
    assert services.publish_filed_materials() == 0  # the event is still ahead
    after = world.event.ends_at + timedelta(minutes=1)
    assert services.publish_filed_materials(now=after) == 1
    resource = Resource.objects.get(pk=material.resource_id)
    assert resource.is_published and resource.published_at == after
    # Someone unpublishes it later: the sweep leaves it alone.
    Resource.objects.filter(pk=resource.pk).update(status="draft")
    assert services.publish_filed_materials(now=after + timedelta(hours=1)) == 0
    assert Resource.objects.get(pk=resource.pk).status == "draft"


def test_removing_a_material_deletes_its_file_and_keeps_the_library_copy(
    world, django_capture_on_commit_callbacks
):
    material = add(world, kind="slides", upload=pdf_upload("deck.pdf", "Deck", ["x"]))
    storage, name = material.file.storage, material.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.material_remove(
            actor=world.users["ta_admin"], event=world.event, material_id=material.pk
        )
    assert not storage.exists(name)
    copy = Resource.objects.get(pk=material.resource_id)
    assert copy.file.storage.exists(copy.file.name)


def test_only_the_programs_admin_adds_materials(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.material_add(
            actor=world.users["coach"],
            event=world.event,
            data={"title": "x", "kind": "handout", "url": "https://x.org", "release": "before"},
        )


def test_the_program_table_groups_a_series_sessions(world, client_for):
    response = client_for("ta_admin").get(f"/p/{world.program.slug}/events/")
    rows = response.context["rows"]
    groups = [row for row in rows if hasattr(row, "sessions")]
    assert [group.series.pk for group in groups] == [world.event_series.pk]
    assert [e.title for e in groups[0].sessions] == ["CoP: employer engagement"]
    assert world.event in rows  # not in a series: a row of its own
    page = response.content.decode()
    assert "Series:" in page and "Community of practice" in page
