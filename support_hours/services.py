"""Writes for support hours: allocations, requests, matching, session records, confirmations.

Each function is one transaction and states its business rule. Hours move only through
support_hours.ledger; notifications go out after commit through portal.notifications.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from grantees.models import CoachAssignment, CoachProfile, Grantee, Membership, Program, User
from portal.formatting import format_hours
from portal.notifications import notify
from portal.roles import Roles, compute_roles, ensure_program_admin
from portal.services import ServiceError
from support_hours.ledger import InsufficientHours, ledger_post, ledger_reverse
from support_hours.models import (
    SESSION_MAX_MINUTES,
    SESSION_STEP_MINUTES,
    ActionItem,
    CoachingSession,
    HourAccount,
    LedgerEntry,
    SessionRevision,
    SupportRequest,
    SupportRequestEvent,
)

Kind = LedgerEntry.Kind


# --- Who may do what -----------------------------------------------------------------------------


def _roles(actor: User) -> Roles:
    return compute_roles(actor)


def can_coach(roles: Roles, grantee: Grantee) -> bool:
    """Record and edit sessions: a coach assigned to the grantee, or a TA admin of its program."""
    return roles.can_coach_grantee(grantee.pk, grantee.program_id)


def ensure_can_coach(actor: User, grantee: Grantee) -> Roles:
    roles = _roles(actor)
    if not can_coach(roles, grantee):
        raise PermissionDenied
    return roles


def _program_admins(program_id: int) -> list[User]:
    from grantees.models import ProgramRole

    return list(
        User.objects.filter(
            program_roles__program_id=program_id,
            program_roles__role=ProgramRole.Role.TA_ADMIN,
            is_active=True,
        ).distinct()
    )


def _grantee_leads(grantee: Grantee) -> list[User]:
    return list(
        User.objects.filter(
            memberships__grantee=grantee,
            memberships__role=Membership.Role.LEAD,
            is_active=True,
        )
    )


# --- Allocations and adjustments -----------------------------------------------------------------


def _account_for(grantee: Grantee) -> HourAccount:
    account, _ = HourAccount.objects.get_or_create(
        grantee=grantee,
        defaults={
            "period_starts_on": grantee.program.starts_on,
            "period_ends_on": grantee.program.ends_on,
        },
    )
    return account


@transaction.atomic
def hours_allocate(
    *, actor: User | None, grantee: Grantee, minutes: int, key: str, reason: str = ""
) -> LedgerEntry:
    """A TA admin grants hours for the program period (the program's default is 100 hours)."""
    if actor is not None:
        ensure_program_admin(actor, grantee.program_id)
    if minutes <= 0 or minutes % SESSION_STEP_MINUTES:
        raise ServiceError(
            "Allocate a positive number of hours in quarter-hour steps.", field="hours"
        )
    return ledger_post(
        account=_account_for(grantee),
        kind=Kind.ALLOCATION,
        minutes=minutes,
        key=key,
        actor=actor,
        reason=reason or "Allocation for the program period",
    )


@transaction.atomic
def hours_adjust(
    *,
    actor: User,
    grantee: Grantee,
    minutes: int,
    reason: str,
    key: str,
    override_reason: str = "",
) -> LedgerEntry:
    """A TA admin adds or removes hours with a reason; going below zero needs an override reason."""
    ensure_program_admin(actor, grantee.program_id)
    if minutes == 0 or minutes % SESSION_STEP_MINUTES:
        raise ServiceError(
            "Adjust by a non-zero number of hours in quarter-hour steps.", field="hours"
        )
    if not reason.strip():
        raise ServiceError("Say why the hours change.", field="reason")
    try:
        account = HourAccount.objects.get(grantee=grantee)
    except HourAccount.DoesNotExist:
        raise ServiceError(
            "This grantee has no hours allocated yet; allocate hours first.", field="hours"
        ) from None
    try:
        return ledger_post(
            account=account,
            kind=Kind.ADJUSTMENT,
            minutes=minutes,
            key=key,
            actor=actor,
            reason=reason,
            override_reason=override_reason,
        )
    except InsufficientHours as error:
        raise ServiceError(
            f"{error.messages[0]} To go below zero anyway, give an override reason.",
            field="override_reason",
        ) from error


@transaction.atomic
def program_allocate_defaults(*, actor: User, program: Program) -> int:
    """Give every active grantee without hours the program's default allocation. Safe to repeat."""
    ensure_program_admin(actor, program.pk)
    count = 0
    grantees = Grantee.objects.filter(program=program, is_active=True, hour_account__isnull=True)
    for grantee in grantees.select_related("program"):
        hours_allocate(
            actor=actor,
            grantee=grantee,
            minutes=program.default_allocation_minutes,
            key=f"default-allocation:{grantee.pk}",
            reason="Default allocation for the program period",
        )
        count += 1
    return count


# --- Support requests ----------------------------------------------------------------------------


def _request_event(request: SupportRequest, actor: User | None, note: str = "") -> None:
    SupportRequestEvent.objects.create(
        request=request, status=request.status, actor=actor, note=note
    )


@transaction.atomic
def support_request_submit(
    *, actor: User, grantee: Grantee, data: dict, key: str
) -> SupportRequest:
    """A grantee member asks for individualized help; a repeated submit returns the first one."""
    if grantee.pk not in _roles(actor).staff_of:
        raise PermissionDenied
    existing = SupportRequest.objects.filter(idempotency_key=key, grantee=grantee).first()
    if existing is not None:
        return existing
    request = SupportRequest(
        grantee=grantee,
        requested_by=actor,
        topic=data["topic"],
        title=data["title"],
        description=data["description"],
        urgency=data["urgency"],
        preferred_times=data.get("preferred_times", ""),
        idempotency_key=key,
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        existing = SupportRequest.objects.filter(idempotency_key=key, grantee=grantee).first()
        if existing is None:
            raise
        return existing
    request.desired_expertise.set(data.get("desired_expertise") or [])
    _request_event(request, actor, "Request submitted")
    notify(
        recipients=_program_admins(grantee.program_id),
        kind="support-request-submitted",
        key=f"support-request:{request.pk}",
        subject=f"New support request from {grantee.name}: {request.title}",
        template="support_hours/email/request_submitted.txt",
        context={"request": request, "grantee": grantee},
        url=reverse("support_request_detail", args=[grantee.slug, request.pk]),
    )
    return request


@transaction.atomic
def support_request_assign(
    *, actor: User, request: SupportRequest, coach: User, note: str = ""
) -> SupportRequest:
    """A TA admin matches a request to a coach. The coach is assigned to the grantee too (so they
    can record sessions), and both the coach and the requester are told."""
    grantee = request.grantee
    ensure_program_admin(actor, grantee.program_id)
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == SupportRequest.Status.CLOSED:
        raise ServiceError("This request is closed; reopen it before matching.", field="coach")
    if not CoachProfile.objects.filter(user=coach, is_active=True, user__is_active=True).exists():
        raise ServiceError("Choose an active coach.", field="coach")
    if request.assigned_coach_id == coach.pk:
        raise ServiceError(f"{coach.full_name} is already matched to this request.", field="coach")
    CoachAssignment.objects.get_or_create(
        coach=coach, grantee=grantee, defaults={"assigned_by": actor}
    )
    request.assigned_coach = coach
    if request.status == SupportRequest.Status.SUBMITTED:
        request.status = SupportRequest.Status.MATCHED
    request.save(update_fields=["assigned_coach", "status", "updated_at"])
    _request_event(request, actor, note or f"Matched with {coach.full_name}")
    url = reverse("support_request_detail", args=[grantee.slug, request.pk])
    notify(
        recipients=[coach],
        kind="support-request-assigned-coach",
        key=f"support-request:{request.pk}:coach:{coach.pk}",
        subject=f"You are matched with {grantee.name}: {request.title}",
        template="support_hours/email/request_assigned_coach.txt",
        context={"request": request, "grantee": grantee, "coach": coach, "note": note},
        url=url,
    )
    notify(
        recipients=[request.requested_by],
        kind="support-request-assigned-requester",
        key=f"support-request:{request.pk}:coach:{coach.pk}",
        subject=f"Your request “{request.title}” is matched with {coach.full_name}",
        template="support_hours/email/request_assigned_requester.txt",
        context={"request": request, "grantee": grantee, "coach": coach},
        url=url,
    )
    return request


# Status moves a coach or TA admin may make by hand; recording a session moves to in-progress.
MANUAL_MOVES = {
    SupportRequest.Status.SUBMITTED: {SupportRequest.Status.CLOSED},
    SupportRequest.Status.MATCHED: {SupportRequest.Status.SCHEDULED, SupportRequest.Status.CLOSED},
    SupportRequest.Status.SCHEDULED: {
        SupportRequest.Status.IN_PROGRESS,
        SupportRequest.Status.CLOSED,
    },
    SupportRequest.Status.IN_PROGRESS: {SupportRequest.Status.CLOSED},
    SupportRequest.Status.CLOSED: {SupportRequest.Status.SUBMITTED},  # reopen
}


@transaction.atomic
def support_request_move(
    *, actor: User, request: SupportRequest, status: str, note: str = ""
) -> SupportRequest:
    """Move a request along its path. The matched coach and TA admins may make any listed move;
    the grantee's own people may withdraw (close) a request nobody has picked up yet."""
    request = (
        SupportRequest.objects.select_for_update().select_related("grantee").get(pk=request.pk)
    )
    roles = _roles(actor)
    grantee = request.grantee
    is_staff_side = grantee.program_id in roles.ta_admin_of or request.assigned_coach_id == actor.pk
    is_withdrawal = (
        grantee.pk in roles.staff_of
        and request.status == SupportRequest.Status.SUBMITTED
        and status == SupportRequest.Status.CLOSED
    )
    if not (is_staff_side or is_withdrawal):
        raise PermissionDenied
    if status not in MANUAL_MOVES.get(request.status, set()):
        raise ServiceError(
            f"A {request.get_status_display().lower()} request cannot move to "
            f"{SupportRequest.Status(status).label.lower()}.",
            field="status",
        )
    if status == SupportRequest.Status.CLOSED and not note.strip():
        raise ServiceError("Say briefly how the request was closed.", field="note")
    if status == SupportRequest.Status.SUBMITTED:
        request.assigned_coach = None
    request.status = status
    request.save(update_fields=["status", "assigned_coach", "updated_at"])
    _request_event(request, actor, note)
    return request


# --- Coaching sessions ---------------------------------------------------------------------------


def _validate_session(*, grantee: Grantee, data: dict) -> None:
    minutes = data["minutes"]
    if minutes % SESSION_STEP_MINUTES or not SESSION_STEP_MINUTES <= minutes <= SESSION_MAX_MINUTES:
        raise ServiceError(
            "Enter the duration in 15-minute steps, from 15 minutes to 8 hours.", field="minutes"
        )
    started_at: datetime = data["started_at"]
    if started_at > timezone.now() + timedelta(minutes=5):
        raise ServiceError("Record a session after it has taken place.", field="date")
    if started_at.date() < grantee.program.starts_on - timedelta(days=1):
        raise ServiceError(
            f"The program period starts on {grantee.program.starts_on:%B %-d, %Y}.", field="date"
        )
    attendee_ids = {u.pk for u in data.get("attendees", [])}
    if attendee_ids:
        members = set(
            Membership.objects.filter(grantee=grantee, user_id__in=attendee_ids).values_list(
                "user_id", flat=True
            )
        )
        if attendee_ids - members:
            raise ServiceError(
                "Attendees must be people of this grantee; add others as guests.",
                field="attendees",
            )
    request = data.get("request")
    if request is not None and request.grantee_id != grantee.pk:
        raise ServiceError("Choose one of this grantee's requests.", field="request")
    goal = data.get("plan_goal")
    if goal is not None and goal.plan.grantee_id != grantee.pk:
        raise ServiceError("Choose a goal of this grantee's TA plan.", field="plan_goal")
    if not data.get("topics"):
        raise ServiceError("Choose at least one topic.", field="topics")


SESSION_FIELDS = (
    "started_at",
    "minutes",
    "mode",
    "guests",
    "summary",
    "internal_notes",
    "next_steps",
    "request",
    "plan_goal",
)


def _set_action_items(session: CoachingSession, items: list[dict]) -> None:
    session.action_items.all().delete()
    ActionItem.objects.bulk_create(
        ActionItem(
            session=session,
            description=item["description"],
            owner=item["owner"],
            due_on=item.get("due_on"),
            status=item.get("status") or ActionItem.Status.OPEN,
        )
        for item in items
    )


def _post_session_debit(
    session: CoachingSession, *, actor: User, override_reason: str, roles: Roles
) -> LedgerEntry:
    if override_reason and session.grantee.program_id not in roles.ta_admin_of:
        raise ServiceError("Only a TA admin can record time beyond the available hours.")
    try:
        account = HourAccount.objects.get(grantee=session.grantee)
    except HourAccount.DoesNotExist:
        raise ServiceError(
            "This grantee has no support hours allocated yet; ask a TA admin to allocate them.",
            field="minutes",
        ) from None
    try:
        return ledger_post(
            account=account,
            kind=Kind.DEBIT,
            minutes=-session.minutes,
            key=f"session:{session.pk}:r{session.revision}:debit",
            actor=actor,
            session=session,
            override_reason=override_reason,
            effective_on=timezone.localtime(session.started_at).date(),
        )
    except InsufficientHours as error:
        hint = (
            " To record it anyway, give an override reason."
            if session.grantee.program_id in roles.ta_admin_of
            else " A TA admin can add hours or record it with an override."
        )
        raise ServiceError(error.messages[0] + hint, field="minutes") from error


@transaction.atomic
def session_record(
    *, actor: User, grantee: Grantee, data: dict, key: str, override_reason: str = ""
) -> CoachingSession:
    """A coach records a delivered session; its minutes are debited in the same transaction.
    A repeated submit (same form key) returns the session recorded the first time."""
    roles = ensure_can_coach(actor, grantee)
    existing = CoachingSession.objects.filter(idempotency_key=key, grantee=grantee).first()
    if existing is not None:
        return existing
    _validate_session(grantee=grantee, data=data)
    session = CoachingSession(grantee=grantee, coach=actor, recorded_by=actor, idempotency_key=key)
    for field in SESSION_FIELDS:
        setattr(session, field, data.get(field, getattr(session, field)))
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:
        existing = CoachingSession.objects.filter(idempotency_key=key, grantee=grantee).first()
        if existing is None:
            raise
        return existing
    session.attendees.set(data.get("attendees", []))
    session.topics.set(data["topics"])
    _set_action_items(session, data.get("action_items", []))
    _post_session_debit(session, actor=actor, override_reason=override_reason, roles=roles)
    request = session.request
    if request is not None and request.status in (
        SupportRequest.Status.SUBMITTED,
        SupportRequest.Status.MATCHED,
        SupportRequest.Status.SCHEDULED,
    ):
        request.status = SupportRequest.Status.IN_PROGRESS
        request.save(update_fields=["status", "updated_at"])
        _request_event(request, actor, "First session recorded")
    notify(
        recipients=_grantee_leads(grantee),
        kind="session-recorded",
        key=f"session:{session.pk}:r{session.revision}",
        subject=f"Please confirm your coaching session of {format_hours(session.minutes)}",
        template="support_hours/email/session_recorded.txt",
        context={
            "session": session,
            "grantee": grantee,
            "days": grantee.program.session_auto_confirm_days,
        },
        url=reverse("session_detail", args=[grantee.slug, session.pk]),
    )
    return session


def _snapshot(session: CoachingSession) -> dict:
    return {
        "started_at": session.started_at.isoformat(),
        "minutes": session.minutes,
        "mode": session.mode,
        "summary": session.summary,
        "next_steps": session.next_steps,
        "topics": sorted(session.topics.values_list("name", flat=True)),
        "attendees": sorted(session.attendees.values_list("full_name", flat=True)),
        "guests": session.guests,
        "status": session.status,
    }


@transaction.atomic
def session_revise(
    *,
    actor: User,
    session: CoachingSession,
    data: dict,
    reason: str,
    override_reason: str = "",
) -> CoachingSession:
    """Correct a recorded session. The old version is kept; when the time charged changes the
    ledger gets a reversal of the old debit and a new debit, never an edit. The grantee lead is
    asked to confirm again. Coaches may revise until the lead confirms; TA admins at any time."""
    session = (
        CoachingSession.objects.select_for_update()
        .select_related("grantee__program")
        .get(pk=session.pk)
    )
    grantee = session.grantee
    roles = ensure_can_coach(actor, grantee)
    is_admin = grantee.program_id in roles.ta_admin_of
    if not is_admin and session.status in (
        CoachingSession.Status.CONFIRMED,
        CoachingSession.Status.RESOLVED,
    ):
        raise ServiceError("The grantee confirmed this session; ask a TA admin to correct it.")
    if not reason.strip():
        raise ServiceError("Say what you corrected and why.", field="reason")
    _validate_session(grantee=grantee, data=data)
    SessionRevision.objects.create(
        session=session,
        revision=session.revision,
        actor=actor,
        reason=reason.strip(),
        before=_snapshot(session),
    )
    old_day = timezone.localtime(session.started_at).date()
    new_day = timezone.localtime(data["started_at"]).date()
    charge_changes = data["minutes"] != session.minutes or old_day != new_day
    old_debit = LedgerEntry.objects.filter(
        session=session, kind=Kind.DEBIT, corrected_by__isnull=True
    ).first()
    for field in SESSION_FIELDS:
        setattr(session, field, data.get(field, getattr(session, field)))
    session.revision += 1
    if session.status != CoachingSession.Status.DISPUTED:
        session.status = CoachingSession.Status.RECORDED
        session.awaiting_since = timezone.now()
        session.confirmed_at = None
        session.confirmed_by = None
    session.save()
    session.attendees.set(data.get("attendees", []))
    session.topics.set(data["topics"])
    _set_action_items(session, data.get("action_items", []))
    if charge_changes:
        if old_debit is not None:
            ledger_reverse(
                entry=old_debit,
                key=f"session:{session.pk}:r{session.revision}:reversal",
                actor=actor,
                reason=f"Session corrected: {reason.strip()}",
            )
        _post_session_debit(session, actor=actor, override_reason=override_reason, roles=roles)
    return session


def _ensure_lead(actor: User, session: CoachingSession) -> None:
    if session.grantee_id not in _roles(actor).lead_of:
        raise PermissionDenied


@transaction.atomic
def session_confirm(*, actor: User, session: CoachingSession) -> CoachingSession:
    """The grantee lead agrees the session took place as recorded."""
    session = CoachingSession.objects.select_for_update().get(pk=session.pk)
    _ensure_lead(actor, session)
    if session.status != CoachingSession.Status.RECORDED:
        raise ServiceError(f"This session is already {session.get_status_display().lower()}.")
    session.status = CoachingSession.Status.CONFIRMED
    session.confirmed_at = timezone.now()
    session.confirmed_by = actor
    session.save(update_fields=["status", "confirmed_at", "confirmed_by", "updated_at"])
    return session


@transaction.atomic
def session_dispute(*, actor: User, session: CoachingSession, comment: str) -> CoachingSession:
    """The grantee lead disagrees with a recorded session; the program's TA admins are told."""
    session = (
        CoachingSession.objects.select_for_update().select_related("grantee").get(pk=session.pk)
    )
    _ensure_lead(actor, session)
    if session.status != CoachingSession.Status.RECORDED:
        raise ServiceError(
            f"This session is already {session.get_status_display().lower()}; "
            "contact your TA admin."
        )
    if not comment.strip():
        raise ServiceError("Say what is wrong with the record.", field="comment")
    session.status = CoachingSession.Status.DISPUTED
    session.dispute_comment = comment.strip()
    session.disputed_at = timezone.now()
    session.disputed_by = actor
    session.save(
        update_fields=["status", "dispute_comment", "disputed_at", "disputed_by", "updated_at"]
    )
    notify(
        recipients=_program_admins(session.grantee.program_id),
        kind="session-disputed",
        key=f"session:{session.pk}:r{session.revision}",
        subject=f"{session.grantee.name} disputes a coaching session",
        template="support_hours/email/session_disputed.txt",
        context={"session": session, "grantee": session.grantee, "lead": actor},
        url=reverse("session_detail", args=[session.grantee.slug, session.pk]),
    )
    return session


@transaction.atomic
def session_resolve(*, actor: User, session: CoachingSession, note: str) -> CoachingSession:
    """A TA admin closes a dispute (after correcting the session if needed) with a note."""
    session = (
        CoachingSession.objects.select_for_update().select_related("grantee").get(pk=session.pk)
    )
    ensure_program_admin(actor, session.grantee.program_id)
    if session.status != CoachingSession.Status.DISPUTED:
        raise ServiceError("Only a disputed session can be resolved.")
    if not note.strip():
        raise ServiceError("Explain how the dispute was resolved.", field="note")
    session.status = CoachingSession.Status.RESOLVED
    session.resolution_note = note.strip()
    session.resolved_at = timezone.now()
    session.resolved_by = actor
    session.save(
        update_fields=["status", "resolution_note", "resolved_at", "resolved_by", "updated_at"]
    )
    notify(
        recipients=[*_grantee_leads(session.grantee), session.coach],
        kind="session-dispute-resolved",
        key=f"session:{session.pk}:r{session.revision}",
        subject=f"Dispute resolved: session with {session.grantee.name}",
        template="support_hours/email/session_resolved.txt",
        context={"session": session, "grantee": session.grantee},
        url=reverse("session_detail", args=[session.grantee.slug, session.pk]),
    )
    return session


@transaction.atomic
def action_item_set_status(*, actor: User, item: ActionItem, status: str) -> ActionItem:
    """Grantee members and the grantee's coaches keep action items up to date."""
    grantee = item.session.grantee
    roles = _roles(actor)
    if not (grantee.pk in roles.staff_of or can_coach(roles, grantee)):
        raise PermissionDenied
    if status not in ActionItem.Status.values:
        raise ServiceError("Choose a valid status.", field="status")
    item.status = status
    item.save(update_fields=["status"])
    return item


# --- Sweeps (Celery beat) ------------------------------------------------------------------------


def sessions_auto_confirm(*, now: datetime | None = None) -> int:
    """Sessions nobody confirmed or disputed within the program's window count as confirmed."""
    now = now or timezone.now()
    confirmed = 0
    with scopes_disabled():
        for program in Program.objects.filter(is_active=True):
            cutoff = now - timedelta(days=program.session_auto_confirm_days)
            confirmed += CoachingSession.objects.filter(
                grantee__program=program,
                status=CoachingSession.Status.RECORDED,
                awaiting_since__lte=cutoff,
            ).update(status=CoachingSession.Status.CONFIRMED, confirmed_at=now, updated_at=now)
    return confirmed


# Thresholds of available hours that warn the lead and the TA admins, each once per account.
HOUR_ALERT_THRESHOLDS = (
    ("quarter", "a quarter of the allocation"),
    ("ten-hours", "10 hours"),
    ("zero", "zero"),
)
TEN_HOURS = 10 * 60


def _crossed_thresholds(account: HourAccount) -> list[tuple[str, str]]:
    available = account.available_minutes
    crossed = []
    if account.allocated_minutes > 0 and available * 4 <= account.allocated_minutes:
        crossed.append(HOUR_ALERT_THRESHOLDS[0])
    if available <= TEN_HOURS:
        crossed.append(HOUR_ALERT_THRESHOLDS[1])
    if available <= 0:
        crossed.append(HOUR_ALERT_THRESHOLDS[2])
    return crossed


def hour_alerts_sweep() -> int:
    """Tell the lead and the TA admins when available hours cross 25 %, 10 hours and zero.
    Each (person, account, threshold) is told once: a rerun finds the Notification rows."""
    sent = 0
    with scopes_disabled():
        accounts = (
            HourAccount.objects.filter(grantee__is_active=True, allocated_minutes__gt=0)
            .annotate(avail=F("allocated_minutes") - F("held_minutes") - F("used_minutes"))
            .filter(Q(avail__lte=TEN_HOURS) | Q(avail__lte=F("allocated_minutes") / 4))
            .select_related("grantee__program")
        )
        for account in accounts:
            grantee = account.grantee
            recipients = [*_grantee_leads(grantee), *_program_admins(grantee.program_id)]
            crossed = _crossed_thresholds(account)
            if not crossed:
                continue
            # Only the most severe threshold: a grantee that drops from 30 to 0 hours in one
            # go gets one message, not three.
            code, label = crossed[-1]
            with transaction.atomic():
                sent += len(
                    notify(
                        recipients=recipients,
                        kind="hour-alert",
                        key=f"hour-account:{account.pk}:{code}",
                        subject=f"{grantee.name}: support hours down to {label}",
                        template="support_hours/email/hour_alert.txt",
                        context={
                            "grantee": grantee,
                            "account": account,
                            "threshold": label,
                            "available": format_hours(account.available_minutes),
                        },
                        url=reverse("hours", args=[grantee.slug]),
                    )
                )
    return sent
