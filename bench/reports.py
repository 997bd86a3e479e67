"""Report and export benchmarks on PostgreSQL, for the issue's targets (printed, not asserted):

  * streaming CSV of 100,000 ledger rows: first byte within 1 s, memory bounded;
  * one grantee's progress-report PDF within 3 s;
  * the whole-program XLSX for 200 grantees and 100,000 ledger entries within 60 s in the
    worker, memory bounded.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench-reports
    (or: .venv/bin/python bench/reports.py [--keep])

Like bench/library_search.py it fills a throwaway database (Django's test database machinery)
with bulk inserts and drops it afterwards unless --keep. Memory is Python's own allocations
(tracemalloc peak) while the export runs."""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

GRANTEES = 200
ENTRIES = 100_000
BIG_CSV_ROWS = 100_000


def fill():
    """200 grantees in eight regions with 100,000 ledger entries among them, sessions for a
    tenth of the debits, and one more grantee whose ledger alone has 100,000 rows (the CSV)."""
    from django.utils import timezone

    from grantees.models import Grantee, Program, Region, User
    from grantees.reference_data import load_reference_data
    from support_hours.models import CoachingSession, HourAccount, LedgerEntry
    from tests.factories import ProgramFactory, ProgramRoleFactory, UserFactory

    load_reference_data()
    program: Program = ProgramFactory(slug="bench")
    state: User = UserFactory(email="bench-state@example.org")
    ProgramRoleFactory(user=state, program=program, role="state_admin")
    coach = UserFactory(email="bench-coach@example.org")
    regions = list(Region.objects.all())
    grantees = Grantee.objects.bulk_create(
        Grantee(
            program=program,
            name=f"Consortium {i:03d}",
            slug=f"bench-{i:03d}",
            region=regions[i % len(regions)],
        )
        for i in range(GRANTEES + 1)
    )
    accounts = HourAccount.objects.bulk_create(
        HourAccount(
            grantee=g,
            period_starts_on=program.starts_on,
            period_ends_on=program.ends_on,
            allocated_minutes=6000 if i < GRANTEES else 10**7,
        )
        for i, g in enumerate(grantees)
    )
    start = program.starts_on
    now = timezone.now()
    entries, sessions = [], []
    for i, account in enumerate(accounts):
        entries.append(
            LedgerEntry(
                account=account,
                kind="allocation",
                bucket="allocated",
                minutes=account.allocated_minutes,
                available_after_minutes=account.allocated_minutes,
                effective_on=start,
                idempotency_key=f"bench-alloc-{i}",
            )
        )
    per = (ENTRIES - GRANTEES) // GRANTEES
    for i, account in enumerate(accounts[:GRANTEES]):
        for n in range(per):
            day = start + timedelta(days=n % 140)
            entries.append(
                LedgerEntry(
                    account=account,
                    kind="debit",
                    bucket="used",
                    minutes=-1,
                    available_after_minutes=6000 - n - 1,
                    effective_on=day,
                    idempotency_key=f"bench-debit-{i}-{n}",
                )
            )
            if n % 10 == 0:
                sessions.append(
                    CoachingSession(
                        grantee_id=account.grantee_id,
                        coach=coach,
                        recorded_by=coach,
                        started_at=now - timedelta(days=n % 140),
                        minutes=15,
                        summary="Bench",
                        idempotency_key=f"bench-session-{i}-{n}",
                    )
                )
    big = accounts[GRANTEES]
    for n in range(BIG_CSV_ROWS - 1):
        entries.append(
            LedgerEntry(
                account=big,
                kind="debit",
                bucket="used",
                minutes=-1,
                available_after_minutes=10**7 - n - 1,
                effective_on=start + timedelta(days=n % 300),
                reason="Bench row",
                idempotency_key=f"bench-big-{n}",
            )
        )
    LedgerEntry.objects.bulk_create(entries, batch_size=5000)
    CoachingSession.objects.bulk_create(sessions, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return program, state, grantees[GRANTEES], grantees[0]


def existing():
    from grantees.models import Grantee, Program, User

    program = Program.objects.filter(slug="bench").first()
    if program is None:
        return None
    return (
        program,
        User.objects.get(email="bench-state@example.org"),
        Grantee.objects.get(slug=f"bench-{GRANTEES:03d}"),
        Grantee.objects.get(slug="bench-000"),
    )


def bench_csv(big) -> tuple[float, float, float, int]:
    """Time to the first chunk, total time and peak memory of the hours CSV of 100,000 rows,
    downloaded by one of the grantee's own people (no second factor needed)."""
    from django.test import Client

    from grantees.models import Membership
    from tests.factories import UserFactory

    member = Membership.objects.filter(grantee=big).first()
    if member is None:
        member = Membership.objects.create(grantee=big, user=UserFactory(), role="staff")
    client = Client()
    client.force_login(member.user)
    client.get(f"/g/{big.slug}/")  # warm up: URLconf, templates, the first connection

    def download() -> tuple[float, float, int]:
        started = time.perf_counter()
        response = client.get(f"/g/{big.slug}/hours/entries.csv")
        if response.status_code != 200:
            raise SystemExit(f"hours CSV answered {response.status_code}")
        chunks = iter(response.streaming_content)
        first = next(chunks)
        first_byte = time.perf_counter() - started
        rows = first.count(b"\n") + sum(chunk.count(b"\n") for chunk in chunks)
        return first_byte, time.perf_counter() - started, rows

    first_byte, total, rows = download()
    # Memory on a second pass: tracing allocations slows Python down several times over.
    tracemalloc.start()
    download()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return first_byte, total, peak, rows


def bench_pdf(grantee) -> float:
    from django.utils import timezone

    from portal.pdf import render_pdf
    from reports import periods, selectors

    render_pdf(
        "reports/progress_pdf.html",
        {
            "report": selectors.grantee_progress(
                grantee=grantee, period=periods.program_period(grantee.program, "year")
            )
        },
    )  # warm-up
    started = time.perf_counter()
    report = selectors.grantee_progress(
        grantee=grantee, period=periods.current_quarter(grantee.program, timezone.localdate())
    )
    render_pdf("reports/progress_pdf.html", {"report": report})
    return time.perf_counter() - started


def bench_xlsx(program, state) -> tuple[float, float, int]:
    from reports import periods, services

    period = periods.program_period(program, "year")

    def export(traced: bool):
        job = services.export_request(actor=state, program=program, period=period, fmt="xlsx")
        if traced:
            tracemalloc.start()
        started = time.perf_counter()
        job = services.export_run(job.pk)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else 0.0
        tracemalloc.stop()
        if job.status != "done":
            raise SystemExit(f"export failed: {job.error}")
        size = job.file.size
        job.file.delete(save=False)
        return elapsed, peak, size

    elapsed, _, size = export(traced=False)
    _, peak, _ = export(traced=True)
    return elapsed, peak, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the filled database")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Set DATABASE_URL to a PostgreSQL server: the targets are for PostgreSQL.")
        return 2
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep)
    try:
        with scopes_disabled():
            filled = existing() if args.keep else None
            if filled is None:
                started = time.perf_counter()
                filled = fill()
                print(f"Filled in {time.perf_counter() - started:.1f} s.\n")
            program, state, big, small = filled
            first, total, csv_peak, rows = bench_csv(big)
            pdf = bench_pdf(small)
            xlsx, xlsx_peak, size = bench_xlsx(program, state)
        print(f"{'measure':<52} {'result':>14} {'target':>12}")
        print(f"{'CSV, 100,000 ledger rows: first byte':<52} {first:>12.2f} s {'≤ 1 s':>12}")
        print(f"{'CSV: all ' + format(rows, ',') + ' lines':<52} {total:>12.2f} s {'':>12}")
        print(f"{'CSV: peak Python memory':<52} {csv_peak:>11.1f} MB {'bounded':>12}")
        print(f"{'One grantee progress PDF':<52} {pdf:>12.2f} s {'≤ 3 s':>12}")
        label = f"Program XLSX, {GRANTEES} grantees, {ENTRIES:,} entries"
        print(f"{label:<52} {xlsx:>12.2f} s {'≤ 60 s':>12}")
        print(f"{'XLSX: peak Python memory':<52} {xlsx_peak:>11.1f} MB {'bounded':>12}")
        print(f"{'XLSX: file size':<52} {size / 1024:>11.0f} KB")
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
