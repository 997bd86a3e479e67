"""Demo reports: the first quarter issued by the state admin (it has ended by now)."""

from __future__ import annotations

from django.utils import timezone

from grantees.models import Program, User
from reports import periods, services


def seed_reports_demo(*, program: Program, state_admin: User) -> None:
    first = periods.program_period(program, "q1")
    if first.ends_on < timezone.localdate():
        services.report_issue(actor=state_admin, program=program, period=first)
