"""Who the load benchmark signs in as, and what each of them opens.

    DJANGO_SETTINGS_MODULE=bench.settings python bench/accounts.py --data load --users 8 --out X

Run by bench/load.py against the bench's own database after the data is loaded. For each role
it takes the accounts of the data set (ACCOUNTS below), and when the data has fewer than one per
simulated user it adds copies holding the same roles (`bench-<role>-<n>@bench.example.org`):
allauth accepts each TOTP code once per account and period, so eight TA admins signing in at
once need eight accounts. Accounts that must pass MFA get a TOTP authenticator with the data
set's known secret if they have none (the demo's staff enroll on first sign-in). It writes what
the load generator needs — e-mail, password, TOTP secret, and the grantee, program, coach and
day each account's pages use — as JSON; the load generator itself never imports Django.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

ROLES = ("lead", "staff", "coach", "ta_admin", "state_admin")
MFA_ROLES = {"coach", "ta_admin", "state_admin"}
# The demo data's staff have no authenticator yet; the bench gives them one with this secret
# (any base32 string works; it is only ever used in the throwaway bench database).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _load_accounts() -> dict[str, list[str]]:
    return {
        "lead": [f"lead-{n:04d}@load.example.org" for n in range(1, 41)],
        "staff": [f"staff-{n:04d}-1@load.example.org" for n in range(1, 41)],
        "coach": [f"coach-{n:03d}@load.example.org" for n in range(1, 41)],
        "ta_admin": ["ta-admin-a@load.example.org"],
        "state_admin": ["state-a@load.example.org"],
    }


# The one table to switch between data sets: the accounts per role, their password and the TOTP
# secret of the MFA users (None: set DEMO_TOTP_SECRET on them).
ACCOUNTS = {
    "load": {
        "password": "load-pass-2026",
        "totp_secret": "LOAD_TOTP_SECRET",  # read from portal.load_data
        "roles": _load_accounts(),
    },
    "demo": {
        "password": "pathways-demo-2026",
        "totp_secret": None,
        "roles": {
            "lead": [
                "lead@example.org",
                "dale.morgan@example.org",
                "grace.kim@example.org",
                "hannah.lee@example.org",
                "jorge.flores@example.org",
            ],
            "staff": ["staff@example.org", "ana.ruiz@example.org", "other-staff@example.org"],
            "coach": ["coach@example.org", "other-coach@example.org"],
            "ta_admin": ["ta-admin@example.org"],
            "state_admin": ["state@example.org"],
        },
    },
}


def _totp_secret(data: str) -> str:
    """The secret the data set's MFA accounts have (the load data's is fixed and shared)."""
    if ACCOUNTS[data]["totp_secret"] is None:
        return DEMO_TOTP_SECRET
    from portal.load_data import LOAD_TOTP_SECRET

    return LOAD_TOTP_SECRET


def _clone(template, role: str, n: int):
    """A new account holding exactly the template's roles (same password hash)."""
    from grantees.models import CoachAssignment, CoachProfile, Membership, ProgramRole, User

    email = f"bench-{role.replace('_', '-')}-{n}@bench.example.org"
    user = User.objects.filter(email=email).first()
    if user:
        return user
    user = User.objects.create(
        email=email, full_name=f"Bench {role} {n}", password=template.password, is_active=True
    )
    for membership in Membership.objects.filter(user=template):
        Membership.objects.create(user=user, grantee=membership.grantee, role=membership.role)
    for program_role in ProgramRole.objects.filter(user=template):
        ProgramRole.objects.create(user=user, program=program_role.program, role=program_role.role)
    profile = CoachProfile.objects.filter(user=template).first()
    if profile:
        CoachProfile.objects.create(user=user, title=profile.title, is_active=True)
        for assignment in CoachAssignment.objects.filter(coach=template):
            CoachAssignment.objects.create(coach=user, grantee=assignment.grantee)
    return user


def _pages_of(user, role: str, zone: str) -> dict:
    """The grantee, program, bookable coach and day this account's pages are about."""
    from django.utils import timezone

    from booking import selectors as booking
    from grantees.models import CoachAssignment, Membership, ProgramRole

    out: dict = {}
    if role in ("lead", "staff"):
        membership = Membership.objects.filter(
            user=user, role="lead" if role == "lead" else "staff"
        ).select_related("grantee")
        grantee = membership.first().grantee
        out["grantee"] = grantee.slug
        coaches = booking.matched_coaches(grantee=grantee)
        if coaches:
            coach = coaches[0]
            out["book_coach"] = coach.pk
            # The day the slot picker's HTMX partial asks for: the first with a free time a week
            # or more ahead (what someone picking a date next week sees).
            found = booking.next_free_slots(
                schedule=coach.booking_schedule,
                zone=zone,
                after=timezone.localdate() + timedelta(days=7),
                count=1,
            )
            day = (
                timezone.localtime(found[0].starts_at).date()
                if found
                else timezone.localdate() + timedelta(days=7)
            )
            out["book_day"] = day.isoformat()
    elif role == "coach":
        assignment = CoachAssignment.objects.filter(coach=user).order_by("grantee__slug").first()
        out["grantee"] = assignment.grantee.slug if assignment else None
    else:
        kind = "ta_admin" if role == "ta_admin" else "state_admin"
        program_role = ProgramRole.objects.filter(user=user, role=kind).select_related("program")
        out["program"] = program_role.first().program.slug
    return out


def prepare(data: str, users: int) -> list[dict]:
    import django

    django.setup()
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.conf import settings
    from django.db import transaction
    from django_scopes import scopes_disabled

    from grantees.models import User

    table = ACCOUNTS[data]
    secret = _totp_secret(data)
    accounts = []
    with scopes_disabled(), transaction.atomic():
        for role in ROLES:
            wanted = table["roles"][role]
            found = {u.email: u for u in User.objects.filter(email__in=wanted, is_active=True)}
            people = [found[email] for email in wanted if email in found][:users]
            if not people:
                raise SystemExit(f"No {role} account of the {data} data set was found.")
            # Sign-ins without MFA may repeat an account; MFA ones need one account each.
            while role in MFA_ROLES and len(people) < users:
                people.append(_clone(people[len(people) % len(found)], role, len(people) + 1))
            for user in people:
                totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP)
                if role in MFA_ROLES and not totp.exists():
                    TOTP.activate(user, secret)
                zone = getattr(user, "time_zone", "") or settings.TIME_ZONE
                accounts.append(
                    {
                        "role": role,
                        "email": user.email,
                        "password": table["password"],
                        "totp_secret": secret if role in MFA_ROLES else None,
                        **_pages_of(user, role, zone),
                    }
                )
    return accounts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", choices=sorted(ACCOUNTS), required=True)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    accounts = prepare(args.data, args.users)
    args.out.write_text(json.dumps(accounts, indent=2))
    counts = {role: sum(1 for a in accounts if a["role"] == role) for role in ROLES}
    print("Accounts:", ", ".join(f"{n} {role}" for role, n in counts.items()))


if __name__ == "__main__":
    main()
