"""Reporting a quarter: the service decides (members only, allowed quarters, numbers that fit,
all or nothing, the database checks behind it), and the form shows each rule's message on its
field with nothing saved."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from outcomes import quarters, rules, services
from outcomes.models import QuarterlyOutcome
from portal.services import ServiceError
from tests.outcomes.helpers import form_data, values

pytestmark = pytest.mark.django_db
D = datetime.date
Q3 = D(2026, 7, 1)


def save(world, role="lead", quarter=Q3, **changes):
    return services.outcome_save(
        actor=world.users[role],
        grantee=world.grantee,
        quarter=quarter,
        values=values(**changes),
        notes="Notes",
    )


def test_a_member_reports_and_corrects_a_quarter(world):
    q2 = D(2026, 4, 1)
    created = save(world, "staff", quarter=q2, enrolled=30)
    assert created.enrolled == 30 and created.submitted_by == world.users["staff"]
    corrected = save(world, "lead", quarter=q2, enrolled=31)
    assert corrected.pk == created.pk and corrected.enrolled == 31
    assert corrected.submitted_by == world.users["lead"]
    assert QuarterlyOutcome.objects.filter(grantee=world.grantee).count() == 2


def test_only_the_grantee_s_members_report(world):
    for role in ("coach", "state", "ta_admin", "other_staff", "other_state"):
        with pytest.raises(PermissionDenied):
            save(world, role, enrolled=99)
    assert QuarterlyOutcome.objects.get(grantee=world.grantee, quarter_start=Q3).enrolled == 24


def test_only_allowed_quarters(world):
    today = timezone.localdate()
    future = quarters.shift(quarters.start_of(today), 1)
    too_early = quarters.shift(quarters.allowed_range(world.program, today)[0], -1)
    for quarter in (future, too_early):
        with pytest.raises(ServiceError) as error:
            save(world, quarter=quarter)
        assert error.value.field == "quarter" and "can be reported" in error.value.messages[0]
    with pytest.raises(ServiceError):
        save(world, quarter=D(2026, 8, 1))  # not a quarter's first day
    assert not QuarterlyOutcome.objects.filter(quarter_start__in=[future, too_early]).exists()
    # The quarter under way and the earliest may be reported.
    save(world, quarter=quarters.start_of(today))
    save(world, quarter=quarters.allowed_range(world.program, today)[0])


def test_every_broken_rule_is_reported_and_nothing_is_saved(world):
    before = list(QuarterlyOutcome.objects.values())
    with pytest.raises(services.OutcomeErrors) as error:
        save(world, enrolled=10, employed_healthcare=0)
    fields = [field for field, _ in error.value.errors]
    assert fields == [
        rules.LEVELS,
        "skill_gains",
        "completed_bridge_iet",
        "credentials_earned",
        "placed_wbl",
        "median_wage_cents",
    ]
    assert list(QuarterlyOutcome.objects.values()) == before


def test_the_database_refuses_what_the_rules_refuse(world):
    """The check constraints back the rules up, whatever writes the row."""
    bad = [
        values(enrolled=20),  # levels 22 > 20
        values(credentials_earned=25),
        values(employed_healthcare=0),  # a wage with nobody employed
        values(median_wage_cents=20001),
        values(median_wage_cents=50),
    ]
    for number, fields in enumerate(bad):
        with pytest.raises(IntegrityError), transaction.atomic():
            QuarterlyOutcome.objects.create(
                grantee=world.grantee, quarter_start=D(2025, 1 + 3 * (number % 4), 1), **fields
            )
    with pytest.raises(IntegrityError), transaction.atomic():
        QuarterlyOutcome.objects.create(
            grantee=world.grantee, quarter_start=D(2025, 2, 1), **values()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        QuarterlyOutcome.objects.create(grantee=world.grantee, quarter_start=Q3, **values())


def test_a_refusal_by_the_database_becomes_a_message_and_saves_nothing(world, monkeypatch):
    """The last resort: were the rules to let something through, the constraint's refusal is a
    message, not a server error, and the transaction leaves nothing behind."""
    monkeypatch.setattr(rules, "check", lambda values: [])
    with pytest.raises(ServiceError) as error:
        save(world, quarter=D(2026, 4, 1), credentials_earned=99)
    assert "do not fit together" in error.value.messages[0]
    assert not QuarterlyOutcome.objects.filter(quarter_start=D(2026, 4, 1)).exists()


# --- The form ---------------------------------------------------------------------------------


def url(world, quarter="2026-q3"):
    return f"/g/{world.grantee.slug}/outcomes/{quarter}/"


def test_the_form_reports_a_new_quarter(world, client_for):
    client = client_for("lead")
    page = client.get(url(world, "2026-q2")).content.decode()
    assert "Report Apr–Jun 2026" in page and 'name="skill_gains" value="0"' in page
    response = client.post(url(world, "2026-q2"), form_data(enrolled=26))
    assert (
        response.status_code == 302 and response["Location"] == f"/g/{world.grantee.slug}/outcomes/"
    )
    saved = QuarterlyOutcome.objects.get(grantee=world.grantee, quarter_start=D(2026, 4, 1))
    assert (saved.enrolled, saved.median_wage_cents, saved.notes) == (26, 2200, "Cohort notes")
    # Correcting: the form starts from the saved numbers.
    page = client.get(url(world, "2026-q2")).content.decode()
    assert "Correct Apr–Jun 2026" in page and 'value="26"' in page and 'value="22.00"' in page


FIELD_CASES = [
    ({"enrolled": ""}, "enrolled", "Enter the number of learners (0 if none)."),
    ({"enrolled": "abc"}, "enrolled", "Enter a whole number, like 12."),
    ({"skill_gains": "-1"}, "skill_gains", "Can&#x27;t be less than 0."),
    ({"placed_wbl": "3.5"}, "placed_wbl", "Enter a whole number, like 12."),
    (
        {"credentials_earned": "25"},
        "credentials_earned",
        "Can&#x27;t be more than the 24 learners enrolled.",
    ),
    (
        {"employed_healthcare": "30"},
        "employed_healthcare",
        "Can&#x27;t be more than the 24 learners enrolled.",
    ),
    (
        {"median_wage_cents": "22.505"},
        "median_wage_cents",
        "Enter dollars and cents, like 22.50.",
    ),
    ({"median_wage_cents": "250"}, "median_wage_cents", "between $1.00 and $200.00"),
    ({"median_wage_cents": "0.50"}, "median_wage_cents", "between $1.00 and $200.00"),
    (
        {"employed_healthcare": "0"},
        "median_wage_cents",
        "while no learner is employed in healthcare",
    ),
    ({"notes": "x" * 2001}, "notes", "Keep the notes under 2,000 characters."),
]


def test_each_rule_has_its_message_on_its_field(world, client_for):
    before = list(QuarterlyOutcome.objects.values())
    client = client_for("lead")
    for changes, field, message in FIELD_CASES:
        response = client.post(url(world), form_data(**changes))
        body = response.content.decode()
        assert response.status_code == 422, changes
        error = body.split(f'id="id_{field}_error"', 1)
        assert len(error) == 2, f"no message on {field}"
        assert message in error[1].split("</span>", 1)[0], (field, error[1][:200])
        assert "Nothing was saved." in body
        assert list(QuarterlyOutcome.objects.values()) == before


def test_the_levels_together_get_one_message_on_their_fieldset(world, client_for):
    response = client_for("lead").post(url(world), form_data(enrolled_esl_1="10"))
    body = response.content.decode()
    assert response.status_code == 422
    assert 'id="levels-error"' in body
    assert "The English levels add up to 32, more than the 24 learners enrolled." in body
    assert 'aria-describedby="levels-hint levels-error"' in body
    assert QuarterlyOutcome.objects.get(grantee=world.grantee, quarter_start=Q3).enrolled_esl_1 == 0


def test_a_malformed_quarter_is_not_a_page(world, client_for):
    client = client_for("lead")
    for quarter in ("2026-q5", "2026-Q3", "q3-2026", "2026-07-01", "0000-q1"):
        assert client.get(url(world, quarter)).status_code == 404, quarter


def test_a_quarter_out_of_range_is_a_404_that_says_which_may_be_reported(world, client_for):
    today = timezone.localdate()
    future = quarters.slug(quarters.shift(quarters.start_of(today), 1))
    early = quarters.slug(quarters.shift(quarters.allowed_range(world.program, today)[0], -1))
    client = client_for("lead")
    for quarter in (future, early):
        response = client.get(url(world, quarter))
        assert response.status_code == 404
        assert "can be reported" in response.content.decode()
        assert client.post(url(world, quarter), form_data()).status_code == 404
    assert (
        not QuarterlyOutcome.objects.exclude(quarter_start=Q3)
        .filter(grantee=world.grantee)
        .exists()
    )


def test_coaches_and_admins_read_but_may_not_write(world, client_for):
    for role in ("coach", "state", "ta_admin"):
        _reads_but_may_not_write(world, client_for(role))


def _reads_but_may_not_write(world, client):
    page = client.get(f"/g/{world.grantee.slug}/outcomes/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Jul–Sep 2026" in body and "Report a quarter" not in body and "Import CSV" not in body
    assert client.get(url(world)).status_code == 403
    assert client.post(url(world), form_data(enrolled=99)).status_code == 403
    for path in ("import/", "template.csv"):
        assert client.get(f"/g/{world.grantee.slug}/outcomes/{path}").status_code == 403
    assert client.post(f"/g/{world.grantee.slug}/outcomes/import/", {}).status_code == 403
    assert QuarterlyOutcome.objects.get(grantee=world.grantee, quarter_start=Q3).enrolled == 24


def test_another_tenant_gets_not_found(world, client_for):
    base = f"/g/{world.grantee.slug}/outcomes/"
    for role in ("other_staff", "other_coach", "other_state"):
        client = client_for(role)
        for path in ("", "2026-q3/", "import/", "template.csv"):
            assert client.get(base + path).status_code == 404, (role, path)
        assert client.post(base + "2026-q3/", form_data(enrolled=99)).status_code == 404
        assert client.post(base + "import/", {}).status_code == 404
    assert QuarterlyOutcome.objects.get(grantee=world.grantee, quarter_start=Q3).enrolled == 24


def test_the_grantee_page_shows_counts_rates_charts_and_notes(world, client_for):
    save(world, quarter=D(2026, 4, 1), enrolled=20, enrolled_esl_4=10, credentials_earned=5)
    body = client_for("lead").get(f"/g/{world.grantee.slug}/outcomes/").content.decode()
    # Newest first, the latest at a glance, rates beside counts, the trend charts.
    assert body.index("Jul–Sep 2026") < body.index("Apr–Jun 2026")
    assert "Latest quarter: Jul–Sep 2026" in body
    assert "46 %" in body  # 11 of 24 credentials
    assert "25 %" in body  # 5 of 20
    assert body.count('class="portal-chart portal-chart--trend"') == 4
    assert "Level not recorded" in body and "$22.00" in body
    assert "First cohort" in body  # the world quarter's notes
    assert 'href="/g/alpha/outcomes/2026-q3/"' in body  # Edit, for members


def test_the_edit_links_have_their_own_row_not_the_column_headers(world, client_for):
    """In the column headers, "Edit" was read out with every cell of the table."""
    import re

    save(world, quarter=D(2026, 4, 1), enrolled=20, enrolled_esl_4=10, credentials_earned=5)
    body = client_for("lead").get(f"/g/{world.grantee.slug}/outcomes/").content.decode()
    table = re.search(r"<table[^>]*portal-outcome-table--measures.*?</table>", body, re.S).group(0)
    head = re.search(r"<thead>.*?</thead>", table, re.S).group(0)
    assert "<a " not in head and "Edit" not in head
    row = re.search(r'<tr class="portal-outcome-table__edit-row">.*?</tr>', table, re.S).group(0)
    assert re.search(r'<th scope="row">.*Edit a quarter.*</th>', row)
    links = re.findall(
        r'<td><a [^>]*href="([^"]+)"[^>]*>Edit<span class="usa-sr-only"> ([^<]+)', row
    )
    assert links == [
        ("/g/alpha/outcomes/2026-q3/", "Jul–Sep 2026"),
        ("/g/alpha/outcomes/2026-q2/", "Apr–Jun 2026"),
    ]
    # Readers get no edit row at all.
    body = client_for("coach").get(f"/g/{world.grantee.slug}/outcomes/").content.decode()
    assert "portal-outcome-table__edit-row" not in body
    assert 'href="/g/alpha/outcomes/2026-q3/"' not in body
