"""Living wages: TA admins set one per region for their program; state admins read them."""

from __future__ import annotations

from grantees.models import Region
from labor_market.models import LivingWage

URL = "/p/pathways-one/living-wages/"


def formset_data(rows: dict[int, tuple[str, str, str]]) -> dict:
    regions = list(Region.objects.all())
    data = {
        "wage-TOTAL_FORMS": str(len(regions)),
        "wage-INITIAL_FORMS": str(len(regions)),
        "wage-MIN_NUM_FORMS": "0",
        "wage-MAX_NUM_FORMS": "1000",
    }
    for index, region in enumerate(regions):
        hourly, year, source = rows.get(region.pk, ("", "", ""))
        data.update(
            {
                f"wage-{index}-region": str(region.pk),
                f"wage-{index}-hourly": hourly,
                f"wage-{index}-year": year,
                f"wage-{index}-source": source,
            }
        )
    return data


def test_state_admin_reads_but_cannot_edit(world, client_for):
    page = client_for("state").get(URL).content.decode()
    assert "$26.50" in page and "Not set" in page and "Edit living wages" not in page
    assert client_for("state").get(URL + "edit/").status_code == 403
    assert client_for("other_state").get(URL).status_code == 404


def test_ta_admin_sets_and_clears_living_wages(world, client_for):
    bay = Region.objects.get(slug="bay-area")
    la = Region.objects.get(slug="los-angeles")
    data = formset_data({bay.pk: ("31.25", "2026", "MIT calculator"), la.pk: ("28", "2025", "")})
    response = client_for("ta_admin").post(URL + "edit/", data)
    assert response.status_code == 302
    wages = {w.region_id: w for w in LivingWage.objects.filter(program=world.program)}
    assert wages[bay.pk].hourly_cents == 3125 and wages[la.pk].hourly_cents == 2800
    # A's region had a wage; the form left it empty, so it is cleared.
    assert world.grantee.region_id not in wages or world.grantee.region_id in (bay.pk, la.pk)
    assert len(wages) == 2


def test_field_messages_and_nothing_half_saved(world, client_for):
    bay = Region.objects.get(slug="bay-area")
    la = Region.objects.get(slug="los-angeles")
    before = list(LivingWage.objects.values_list("region_id", "hourly_cents"))
    data = formset_data({bay.pk: ("31.25", "2026", "ok"), la.pk: ("500", "2026", "")})
    data[f"wage-{list(Region.objects.all()).index(bay)}-year"] = ""
    response = client_for("ta_admin").post(URL + "edit/", data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "between $1 and $200" in page
    assert "Give the year this living wage is for." in page
    assert list(LivingWage.objects.values_list("region_id", "hourly_cents")) == before


def test_year_and_source_without_a_wage_are_refused(world, client_for):
    la = Region.objects.get(slug="los-angeles")
    response = client_for("ta_admin").post(URL + "edit/", formset_data({la.pk: ("", "2026", "x")}))
    assert response.status_code == 422
    assert "Give the wage too" in response.content.decode()
