"""Occupations import: validate, preview every change, apply all or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from grantees.models import Occupation
from labor_market import occupation_import, services
from portal.services import ServiceError

URL = "/occupations/import/"
HEADER = (
    "soc_code,title,ca_median_annual_wage_usd,wage_year,typical_entry_education,"
    "licensing_body,title_es,source\n"
)


def upload(client, text: str, name="occupations.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, text.encode("utf-8"))})


def test_export_is_a_valid_template_that_changes_nothing(world, client_for):
    client = client_for("ta_admin")
    exported = b"".join(client.get("/occupations/export.csv").streaming_content)
    preview = occupation_import.read(exported)
    assert preview.ok and preview.unchanged_count == Occupation.objects.count()
    assert preview.new_count == preview.changed_count == 0


def test_preview_shows_changes_and_writes_nothing(world, client_for):
    client = client_for("ta_admin")
    text = HEADER + (
        "31-9092,Medical Assistants,45000,2024,Certificate,CCMA,Asistentes médicos,EDD 2024\n"
        "29-9999,Health Navigators,52000,2024,HS diploma,,Navegadores de salud,Estimate\n"
    )
    response = upload(client, text)
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 new" in page and "1 changed" in page
    assert "40938" in page.replace(",", "") and "45000" in page.replace(",", "")
    assert Occupation.objects.get(soc_code="31-9092").ca_median_annual_wage == 40938
    assert not Occupation.objects.filter(soc_code="29-9999").exists()

    form = response.context["apply_form"]
    response = client.post(
        URL,
        {
            "apply": "1",
            "content": form.initial["content"],
            "fingerprint": form.initial["fingerprint"],
        },
    )
    assert response.status_code == 302
    ma = Occupation.objects.get(soc_code="31-9092")
    assert (ma.ca_median_annual_wage, ma.wage_year, ma.licensing_body) == (45000, 2024, "CCMA")
    assert Occupation.objects.get(soc_code="29-9999").title_es == "Navegadores de salud"
    assert Occupation.objects.filter(soc_code="29-1141").exists()  # not in the file: kept


def test_a_file_without_the_optional_columns_keeps_them(world):
    text = (
        "soc_code,title,ca_median_annual_wage_usd,wage_year,typical_entry_education,source\n"
        "31-9092,Medical Assistants,45000,2024,Certificate,EDD 2024\n"
    )
    preview = occupation_import.read(text.encode())
    services.occupations_import(
        actor=world.users["ta_admin"],
        content=text.encode(),
        expected_fingerprint=preview.fingerprint,
    )
    ma = Occupation.objects.get(soc_code="31-9092")
    assert ma.ca_median_annual_wage == 45000
    assert ma.title_es == "Asistentes médicos" and ma.licensing_body


@pytest.mark.parametrize(
    "row, column, message",
    [
        ("3192,X,40000,2024,,,,", "soc_code", "SOC code like"),
        ("31-9092,,40000,2024,,,,", "title", "title is required"),
        ("31-9092,MA,forty,2024,,,,", "ca_median_annual_wage_usd", "whole number"),
        ("31-9092,MA,400,2024,,,,", "ca_median_annual_wage_usd", "between 10,000"),
        ("31-9092,MA,40000,,,,,", "wage_year", "year the wage is from"),
        ("31-9092,MA,40000,1850,,,,", "wage_year", "between 1,990"),
    ],
)
def test_row_errors_name_line_and_column(world, row, column, message):
    preview = occupation_import.read((HEADER + row + "\n").encode())
    assert not preview.ok
    error = preview.errors[0]
    assert (error.row, error.column) == (2, column) and message in error.message


def test_duplicates_in_the_file_are_refused(world):
    text = HEADER + "31-9092,MA,40000,2024,,,,\n31-9092,MA,41000,2024,,,,\n"
    preview = occupation_import.read(text.encode())
    assert preview.errors[0].row == 3 and "already on line 2" in preview.errors[0].message


@pytest.mark.parametrize(
    "content, message",
    [
        (b"soc,title\n1,2\n", "missing the column"),
        ("soc_code".encode("utf-16"), "CSV UTF-8"),
        (HEADER.encode(), "no occupations"),
        (b"x" * (occupation_import.MAX_BYTES + 1), "larger than"),
    ],
)
def test_file_level_errors(world, content, message):
    assert message in occupation_import.read(content).file_error


def test_file_errors_show_on_the_upload_field(world, client_for):
    response = upload(client_for("ta_admin"), "nonsense\n")
    assert response.status_code == 422
    assert "missing the column" in response.context["upload_form"].errors["file"][0]


def test_rows_with_errors_cannot_be_applied(world, client_for):
    response = upload(client_for("ta_admin"), HEADER + "31-9092,MA,x,2024,,,,\n")
    assert response.status_code == 422 and response.context["apply_form"] is None
    with pytest.raises(ServiceError):
        services.occupations_import(
            actor=world.users["ta_admin"],
            content=(HEADER + "31-9092,MA,x,2024,,,,\n").encode(),
            expected_fingerprint=occupation_import.fingerprint(),
        )


def test_a_change_since_the_preview_refuses_the_import(world, client_for):
    client = client_for("ta_admin")
    response = upload(client, HEADER + "31-9092,Medical Assistants,45000,2024,,,,\n")
    form = response.context["apply_form"]
    Occupation.objects.filter(soc_code="31-9097").update(ca_median_annual_wage=49000)
    response = client.post(
        URL,
        {
            "apply": "1",
            "content": form.initial["content"],
            "fingerprint": form.initial["fingerprint"],
        },
    )
    assert response.status_code == 422
    assert "changed since your preview" in response.content.decode()
    assert Occupation.objects.get(soc_code="31-9092").ca_median_annual_wage == 40938


def test_only_ta_admins_import(world, client_for):
    for role in ("lead", "coach", "state"):
        assert client_for(role).get(URL).status_code == 403
    with pytest.raises(PermissionDenied):
        services.occupations_import(
            actor=world.users["coach"], content=b"", expected_fingerprint="0" * 64
        )


def test_exported_formula_guard_round_trips(world, client_for):
    Occupation.objects.filter(soc_code="31-9092").update(source="-2% since 2021, EDD")
    client = client_for("ta_admin")
    exported = b"".join(client.get("/occupations/export.csv").streaming_content)
    assert b"'-2% since 2021" in exported  # the guard spreadsheets need
    preview = occupation_import.read(exported)
    assert preview.ok and preview.changed_count == 0


@pytest.mark.parametrize(
    "content, message",
    [
        ((HEADER + "31-9092,Medical\x00Assistants,40000,2024,,,,\n").encode(), "NUL"),
        (("soc_code,title," + "x" * 200_000 + "\n").encode(), "not a readable CSV"),
    ],
)
def test_hostile_files_are_file_errors(world, content, message):
    assert message in occupation_import.read(content).file_error


def test_full_width_digits_are_not_a_soc_code(world):
    preview = occupation_import.read((HEADER + "３１-９０９２,MA,40000,2024,,,,\n").encode())
    assert preview.errors and preview.errors[0].column == "soc_code"
