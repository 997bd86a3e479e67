"""Every URL × every role, with another tenant's real ids: the tenancy contract of DESIGN §3."""

from tests.security.probe import collect_urls, run_probe, undeclared


def test_every_url_declares_an_access_rule(db):
    missing = undeclared(collect_urls())
    assert missing == [], f"URLs without an access rule (see portal/access.py): {missing}"


def test_url_role_probe_finds_no_leak_and_no_wrong_denial(world):
    failures = run_probe(world)
    assert failures == [], "\n".join(str(f) for f in failures)


def test_probe_covers_the_portal_urls(db):
    names = {u.name for u in collect_urls()}
    for expected in (
        "grantee_dashboard",
        "program_people",
        "person_deactivate",
        "healthz",
        "admin:index",
    ):
        assert expected in names
