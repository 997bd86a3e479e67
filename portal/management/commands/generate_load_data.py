"""manage.py generate_load_data --scale N: a statewide program's worth of data for load tests."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from portal import load_data


class Command(BaseCommand):
    help = (
        "Fill a freshly migrated database with load-test data (at scale 1: 300 grantees, "
        "3,000 people, 200,000 ledger entries, 60,000 sessions, 5,000 events, 100,000 "
        "registrations, 20,000 library resources). Same seed, same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = a statewide program")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--force", action="store_true", help="Allow with DEBUG off (known passwords)."
        )

    def handle(self, *args, scale: float, seed: int, force: bool, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10.")
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to create accounts with a known password while DEBUG is off. "
                "Use --force on a database made for load tests."
            )
        with scopes_disabled():
            if load_data.load_data_exists():
                raise CommandError(
                    "This database already has load data (programs load-a, load-b). "
                    "Generate into a freshly migrated database."
                )
            started = time.perf_counter()
            summary = load_data.generate(scale=scale, seed=seed)
        elapsed = time.perf_counter() - started
        for label, rows in summary.counts.items():
            self.stdout.write(f"{rows:>9,}  {label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Load data at scale {scale:g} (seed {seed}) in {elapsed:.1f} s. Every account's "
                f"password is {load_data.PASSWORD!r}; MFA accounts share the TOTP secret "
                f"{load_data.LOAD_TOTP_SECRET}."
            )
        )
