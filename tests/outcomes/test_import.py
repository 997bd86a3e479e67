"""The CSV import: the template, a preview that writes nothing and lists every change and every
error by row and column, a confirmation that checks the file again and applies all of it or
none, and files refused with a reason."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from outcomes import csv_import, quarters, services
from outcomes.models import QuarterlyOutcome
from portal.services import ServiceError
from tests.outcomes.helpers import csv_row, csv_text, values

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 29)


def preview(solo, text, today=TODAY):
    return csv_import.preview(grantee=solo.grantee, text=text, today=today)


def add(solo, quarter, **changes):
    return QuarterlyOutcome.objects.create(
        grantee=solo.grantee, quarter_start=quarter, **values(**changes)
    )


def errors_of(result):
    return [(e.row, e.column, e.message) for e in result.errors]


# --- The template -----------------------------------------------------------------------------


def read_template(solo):
    response = solo.client.get(f"/g/{solo.grantee.slug}/outcomes/template.csv")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_template_explains_itself_and_offers_an_example(solo):
    rows = read_template(solo)
    assert tuple(rows[0]) == csv_import.COLUMNS
    assert rows[1][0].startswith("# One row per calendar quarter. quarter: like 2026-Q3")
    assert "2026-07-01" in rows[1][0]
    example = rows[2]
    assert re.fullmatch(r"#\d{4}-Q[1-4]", example[0]) and len(example) == len(csv_import.COLUMNS)
    # Uploaded as it is, the template imports nothing: the example is a comment.
    text = "\n".join(",".join(f'"{c}"' for c in r) for r in rows)
    assert preview(solo, text).file_error == "The file has no quarters under the header row."
    # Without the #, the example is a valid quarter.
    example[0] = example[0][1:]
    result = preview(solo, csv_text(example), today=timezone.localdate())
    assert result.ok and result.new == 1


def test_the_template_holds_the_grantee_s_quarters_and_reimports_unchanged(solo):
    add(solo, D(2026, 4, 1), notes="Spring, with a comma")
    add(solo, D(2026, 7, 1), median_wage_cents=None)
    rows = read_template(solo)
    assert [r[0] for r in rows[2:]] == ["2026-Q2", "2026-Q3"]
    assert rows[2][-2:] == ["22.00", "Spring, with a comma"] and rows[3][-2] == ""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    result = preview(solo, out.getvalue())
    assert result.ok and (result.new, result.changed, result.unchanged) == (0, 0, 2)


def test_notes_that_look_like_formulas_come_back_unchanged(solo):
    """The template guards cells that start like a formula with an apostrophe; the import takes
    it off again, so a template downloaded and uploaded as it is changes nothing."""
    add(solo, D(2026, 4, 1), notes="- cohort A started late")
    add(solo, D(2026, 7, 1), notes="=2 cohorts, +1 tutor")
    rows = read_template(solo)
    assert [r[-1] for r in rows[2:]] == ["'- cohort A started late", "'=2 cohorts, +1 tutor"]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    result = preview(solo, out.getvalue())
    assert result.ok and (result.new, result.changed, result.unchanged) == (0, 0, 2)
    page = upload(solo, out.getvalue())
    assert "Nothing to change: confirm" in page.content.decode()
    assert confirm(solo, signed_of(page)).status_code == 302
    notes = dict(QuarterlyOutcome.objects.values_list("quarter_start", "notes"))
    assert notes == {
        D(2026, 4, 1): "- cohort A started late",
        D(2026, 7, 1): "=2 cohorts, +1 tutor",
    }
    # A note of one's own that starts with an apostrophe (not before a formula sign) stays.
    result = preview(solo, csv_text(csv_row("2026-Q2", notes="'tis the season")))
    assert result.rows[0].notes == "'tis the season"


# --- The preview --------------------------------------------------------------------------------


def test_preview_lists_new_changed_and_unchanged_and_writes_nothing(solo):
    add(solo, D(2026, 4, 1))
    add(solo, D(2026, 7, 1), notes="Kept")
    text = csv_text(
        csv_row("2026-Q2"),  # the same
        csv_row("2026-07-01", credentials_earned=12, median_hourly_wage="22.75", notes="New note"),
        csv_row("2026-Q1", enrolled=20, enrolled_esl_4=10),
    )
    before = list(QuarterlyOutcome.objects.values())
    result = preview(solo, text)
    assert result.ok and not result.errors
    by_quarter = {r.quarter: r for r in result.rows}
    assert by_quarter[D(2026, 4, 1)].status == "unchanged"
    assert by_quarter[D(2026, 1, 1)].status == "new"
    changed = by_quarter[D(2026, 7, 1)]
    assert changed.status == "changes"
    assert changed.changes == [
        ("Earned an industry credential", "11", "12"),
        ("Median starting wage", "$22.00", "$22.75"),
        ("Notes", "Kept", "New note"),
    ]
    assert [r.quarter for r in result.rows] == [D(2026, 7, 1), D(2026, 4, 1), D(2026, 1, 1)]
    assert list(QuarterlyOutcome.objects.values()) == before


def test_either_quarter_form_a_bom_comments_and_blank_lines(solo):
    text = "\ufeff" + csv_text(csv_row("2026-Q2"), ["# a note to self"], [], csv_row("2026-07-01"))
    result = preview(solo, text.lstrip("\ufeff"))
    assert result.ok and {r.quarter for r in result.rows} == {D(2026, 4, 1), D(2026, 7, 1)}
    upload = SimpleUploadedFile("o.csv", text.encode("utf-8"))
    assert csv_import.read_upload(upload) == text.lstrip("\ufeff")


def test_columns_in_any_order_and_notes_may_be_left_out(solo):
    add(solo, D(2026, 7, 1), notes="Saved notes")
    header = [c for c in reversed(csv_import.COLUMNS) if c != "notes"]
    row = dict(zip(csv_import.COLUMNS, csv_row("2026-Q3", enrolled=25), strict=True))
    result = preview(solo, csv_text([row[c] for c in header], header=header))
    assert result.ok
    (only,) = result.rows
    assert only.notes == "Saved notes" and only.changes == [("Enrolled", "24", "25")]


def test_blank_counts_are_zero_but_enrolled_is_required(solo):
    row = csv_row("2026-Q3")
    row[2:8] = [""] * 6  # no English levels recorded
    result = preview(solo, csv_text(row))
    assert result.ok and result.rows[0].values["enrolled_esl_3"] == 0
    row[1] = ""
    assert errors_of(preview(solo, csv_text(row))) == [
        (2, "enrolled", "Enter the number of learners (0 if none).")
    ]


def test_every_error_has_its_row_column_and_message(solo):
    today = timezone.localdate()
    future = quarters.csv_name(quarters.shift(quarters.start_of(today), 1))
    text = csv_text(
        csv_row("2026-Q3"),
        csv_row("2026-07-01"),  # the same quarter again
        csv_row("2026-Q2", skill_gains="-2", placed_wbl="x"),
        csv_row("2026-Q1", credentials_earned=30),
        csv_row("2025-Q4", enrolled_esl_1=5),
        csv_row("2025-Q3", employed_healthcare=0),
        csv_row("2025-Q2", median_hourly_wage="300"),
        csv_row("2025-Q1", median_hourly_wage="22.505"),
        csv_row("2026-08-15"),
        csv_row(future),
        csv_row("2020-Q1"),
        [*csv_row("2024-Q4"), "stray"],
        csv_row("2024-Q3", notes="n" * 2001),
    )
    result = preview(solo, text, today=today)
    assert not result.ok
    got = errors_of(result)
    expected = [
        (3, "quarter", "2026-Q3 is also on row 2; give each quarter one row."),
        (4, "skill_gains", "Can't be less than 0."),
        (4, "placed_wbl", "Enter a whole number, like 12."),
        (5, "credentials_earned", "Can't be more than the 24 learners enrolled."),
        (
            6,
            "enrolled_esl_1 … enrolled_esl_6",
            "The English levels add up to 27, more than the 24 learners enrolled. "
            "Lower them, or raise the number enrolled.",
        ),
        (7, "median_hourly_wage", None),
        (8, "median_hourly_wage", "Enter an hourly wage between $1.00 and $200.00."),
        (9, "median_hourly_wage", "Enter dollars and cents, like 22.50."),
        (10, "quarter", "Use the quarter's first day (2026-07-01) or write it as 2026-Q3."),
        (11, "quarter", None),
        (12, "quarter", None),
        (13, "(no heading)", "A value sits past the last column."),
        (14, "notes", "Keep the notes under 2,000 characters."),
    ]
    assert [(r, c) for r, c, _ in got] == [(r, c) for r, c, _ in expected]
    for (_, _, message), (_, _, want) in zip(got, expected, strict=True):
        if want:
            assert message == want
    assert "employed in healthcare" in got[5][2]
    assert "can't be reported" in got[9][2] and "can't be reported" in got[10][2]
    # The valid row is still listed, but nothing may be confirmed.
    assert [r.quarter for r in result.rows] == [D(2026, 7, 1)] and result.fingerprint != ""


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (["quarter", "enrolled"], "missing columns enrolled_esl_1"),
        ([*csv_import.COLUMNS, "learner_name"], "unknown column learner_name"),
        ([*csv_import.COLUMNS[:-1], "enrolled"], "enrolled appears twice"),
        (["Quarter;Enrolled"], "unknown column quarter;enrolled"),
    ],
)
def test_wrong_headers_are_refused_with_the_expected_columns(solo, header, message):
    result = preview(solo, csv_text(csv_row("2026-Q3"), header=header))
    assert (
        message in result.file_error and "The columns are: quarter, enrolled" in result.file_error
    )
    assert not result.rows and not result.ok


def test_files_without_rows_or_with_too_many(solo):
    assert preview(solo, "").file_error.startswith("The file has no header row")
    assert preview(solo, csv_text()).file_error == "The file has no quarters under the header row."
    rows = [csv_row("2026-Q3")] * (csv_import.MAX_ROWS + 1)
    assert "201 rows of quarters; import at most 200" in preview(solo, csv_text(*rows)).file_error


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        ("quarter,enrolled\n2026-Q3,ÉÉ\n".encode("latin-1"), "not UTF-8"),
        (b"quarter\x00,enrolled\n", "not a CSV text file"),
        (b"#" * (csv_import.MAX_BYTES + 1), "the limit is 1 MB"),
    ],
)
def test_unreadable_files_get_a_message_on_the_file_field(content, message):
    with pytest.raises(ServiceError) as error:
        csv_import.read_upload(SimpleUploadedFile("o.csv", content))
    assert error.value.field == "file" and message in error.value.messages[0]


# --- Through the pages: upload, preview, confirm ----------------------------------------------


def upload(solo, text: str | bytes, name="outcomes.csv"):
    data = text.encode() if isinstance(text, str) else text
    return solo.client.post(
        f"/g/{solo.grantee.slug}/outcomes/import/", {"file": SimpleUploadedFile(name, data)}
    )


def confirm(solo, signed):
    return solo.client.post(f"/g/{solo.grantee.slug}/outcomes/import/", {"confirm": signed})


def signed_of(response) -> str:
    return re.search(r'name="confirm" value="([^"]+)"', response.content.decode()).group(1)


def test_upload_previews_and_confirm_applies_everything(solo):
    add(solo, D(2026, 7, 1))
    text = csv_text(
        csv_row("2026-Q3", credentials_earned=12),
        csv_row("2026-Q2", enrolled=22, enrolled_esl_4=10),
    )
    page = upload(solo, text)
    body = page.content.decode()
    assert page.status_code == 200 and "Check the import" in body
    assert "1 new · 1 with changes · 0 unchanged" in body
    assert "<del>11</del> → <ins>12</ins>" in body and "Import 2 quarters" in body
    assert QuarterlyOutcome.objects.count() == 1  # nothing written yet
    done = confirm(solo, signed_of(page))
    assert done.status_code == 302
    saved = {o.quarter_start: o for o in QuarterlyOutcome.objects.all()}
    assert saved[D(2026, 7, 1)].credentials_earned == 12
    assert saved[D(2026, 4, 1)].enrolled == 22 and saved[D(2026, 4, 1)].submitted_by == solo.lead
    followed = solo.client.get(done["Location"]).content.decode()
    assert "Imported 2 quarters (1 new, 1 changed, 0 unchanged)." in followed


def test_a_file_with_errors_offers_no_confirmation_and_writes_nothing(solo):
    page = upload(solo, csv_text(csv_row("2026-Q3"), csv_row("2026-Q2", credentials_earned=99)))
    body = page.content.decode()
    assert page.status_code == 422
    assert "1 problem to fix in the file" in body and 'name="confirm"' not in body
    assert '<th scope="row">3</th><td><code>credentials_earned</code></td>' in body
    assert "Upload the corrected file" in body
    assert not QuarterlyOutcome.objects.exists()


def test_bad_uploads_get_their_message_on_the_page(solo):
    for content, message in (
        (b"\xff\xfe bad", "not UTF-8"),
        (b"quarter,learners\n2026-Q3,4\n", "The header row is not right"),
    ):
        body = upload(solo, content).content.decode()
        assert message in body
    no_file = solo.client.post(f"/g/{solo.grantee.slug}/outcomes/import/", {})
    assert no_file.status_code == 422 and "Choose a CSV file to upload." in no_file.content.decode()


def test_a_tampered_or_foreign_confirmation_is_refused(solo):
    from django.core import signing

    page = upload(solo, csv_text(csv_row("2026-Q3")))
    signed = signed_of(page)
    tampered = signed[:-2] + ("AA" if not signed.endswith("AA") else "BB")
    response = confirm(solo, tampered)
    assert response.status_code == 422 and "expired or was altered" in response.content.decode()
    # A value signed for another grantee (or person) does not pass either.
    foreign = signing.dumps(
        {"csv": csv_text(csv_row("2026-Q3")), "seen": ""}, salt="outcomes-import:0:0", compress=True
    )
    assert confirm(solo, foreign).status_code == 422
    assert not QuarterlyOutcome.objects.exists()


def test_an_expired_preview_is_refused(solo, monkeypatch):
    from outcomes import views

    page = upload(solo, csv_text(csv_row("2026-Q3")))
    monkeypatch.setattr(views, "IMPORT_MAX_AGE", -1)
    assert "expired" in confirm(solo, signed_of(page)).content.decode()
    assert not QuarterlyOutcome.objects.exists()


def test_a_quarter_changed_since_the_preview_is_shown_again_not_applied(solo):
    add(solo, D(2026, 7, 1))
    page = upload(solo, csv_text(csv_row("2026-Q3", credentials_earned=12), csv_row("2026-Q2")))
    # Meanwhile a colleague corrects the quarter in the form.
    QuarterlyOutcome.objects.filter(quarter_start=D(2026, 7, 1)).update(credentials_earned=10)
    again = confirm(solo, signed_of(page))
    body = again.content.decode()
    assert again.status_code == 422 and "These quarters changed since your preview" in body
    assert "<del>10</del> → <ins>12</ins>" in body
    assert not QuarterlyOutcome.objects.filter(quarter_start=D(2026, 4, 1)).exists()
    assert confirm(solo, signed_of(again)).status_code == 302  # confirmed again: applied
    assert QuarterlyOutcome.objects.get(quarter_start=D(2026, 7, 1)).credentials_earned == 12


def test_a_row_failing_while_applying_leaves_nothing_half_written(solo, monkeypatch):
    add(solo, D(2026, 7, 1))
    text = csv_text(
        csv_row("2026-Q3", credentials_earned=12), csv_row("2026-Q2"), csv_row("2026-Q1")
    )
    original = services._write
    calls = []

    def failing(**kwargs):
        calls.append(kwargs["quarter"])
        if len(calls) == 2:
            raise ServiceError("These numbers do not fit together; check them and save again.")
        return original(**kwargs)

    monkeypatch.setattr(services, "_write", failing)
    with pytest.raises(ServiceError):
        services.outcomes_import(actor=solo.lead, grantee=solo.grantee, text=text, today=TODAY)
    assert len(calls) == 2
    assert QuarterlyOutcome.objects.get(quarter_start=D(2026, 7, 1)).credentials_earned == 11
    assert QuarterlyOutcome.objects.count() == 1


def test_a_refusal_while_applying_shows_the_preview_with_its_message(solo, monkeypatch):
    add(solo, D(2026, 7, 1))
    page = upload(solo, csv_text(csv_row("2026-Q3", credentials_earned=12), csv_row("2026-Q2")))

    def refused(**kwargs):
        raise ServiceError("These numbers do not fit together; check them and save again.")

    monkeypatch.setattr(services, "_write", refused)
    response = confirm(solo, signed_of(page))
    body = response.content.decode()
    assert response.status_code == 422
    assert "Check the import" in body and "Nothing was saved." in body
    assert "These numbers do not fit together; check them and save again." in body
    assert "<del>11</del> → <ins>12</ins>" in body  # the preview, as it is now
    assert 'name="confirm"' not in body and "Upload the corrected file" in body
    assert QuarterlyOutcome.objects.get(quarter_start=D(2026, 7, 1)).credentials_earned == 11
    assert QuarterlyOutcome.objects.count() == 1


def test_the_service_checks_the_file_again_whatever_was_previewed(solo):
    bad = csv_text(csv_row("2026-Q3", credentials_earned=99))
    result, applied = services.outcomes_import(
        actor=solo.lead, grantee=solo.grantee, text=bad, today=TODAY
    )
    assert not applied and result.errors and not QuarterlyOutcome.objects.exists()


def test_only_members_import(world):
    from django.core.exceptions import PermissionDenied

    for role in ("coach", "state", "ta_admin", "other_staff"):
        with pytest.raises(PermissionDenied):
            services.outcomes_import(
                actor=world.users[role], grantee=world.grantee, text=csv_text(csv_row("2026-Q2"))
            )
    assert not QuarterlyOutcome.objects.filter(quarter_start=D(2026, 4, 1)).exists()
