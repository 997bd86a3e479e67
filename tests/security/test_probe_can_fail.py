"""The probe itself is tested: fed a leaky view and an undeclared URL, it must report both."""

from django.test import override_settings

from tests.security.probe import collect_urls, run_probe, undeclared

LEAKY = "tests.security.leaky_urls"


@override_settings(ROOT_URLCONF=LEAKY)
def test_probe_reports_a_url_without_an_access_rule(db):
    assert undeclared(collect_urls(LEAKY)) == ["undeclared_view"]


@override_settings(ROOT_URLCONF=LEAKY)
def test_probe_reports_a_view_that_leaks_another_tenant(world):
    failures = [f for f in run_probe(world, urlconf=LEAKY) if "/leaky/" in f.url]
    leaked_to = {f.role for f in failures if "expected sign-in redirect" in f.problem}
    assert {"anonymous", "other_staff", "other_coach", "other_state"} <= leaked_to
    assert any(f.role == "other_staff" and "marker" in f.problem for f in failures)
