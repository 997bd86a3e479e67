"""Receivers that turn sign-ins, role changes and ledger postings into audit events."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django_scopes import scopes_disabled

from audit import services


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    services.record("sign_in", target=user.email, user=user, request=request)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        services.record("sign_out", target=user.email, user=user, request=request)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    email = str(credentials.get("email") or credentials.get("username") or "")[:200]
    services.record("sign_in_failed", target=email, request=request)


def _role_target(instance) -> tuple[str, dict]:
    with scopes_disabled():
        return _describe_role(instance)


def _describe_role(instance) -> tuple[str, dict]:
    from grantees.models import CoachAssignment, Membership, ProgramRole

    if isinstance(instance, Membership):
        return instance.user.email, {
            "role": instance.role,
            "grantee_id": instance.grantee_id,
        }
    if isinstance(instance, ProgramRole):
        return instance.user.email, {"role": instance.role, "program_id": instance.program_id}
    if isinstance(instance, CoachAssignment):
        return instance.coach.email, {"role": "coach", "grantee_id": instance.grantee_id}
    return str(instance), {}


def _connect_roles() -> None:
    from grantees.models import CoachAssignment, Membership, ProgramRole

    for model in (Membership, ProgramRole, CoachAssignment):
        pre_save.connect(_remember_role, sender=model, dispatch_uid=f"audit-pre-{model.__name__}")
        post_save.connect(_role_saved, sender=model, dispatch_uid=f"audit-save-{model.__name__}")
        post_delete.connect(
            _role_deleted, sender=model, dispatch_uid=f"audit-delete-{model.__name__}"
        )


def _remember_role(sender, instance, **kwargs):
    if not instance.pk or not hasattr(instance, "role"):
        instance._audit_old_role = None
        return
    with scopes_disabled():
        old = sender.objects.filter(pk=instance.pk).values_list("role", flat=True).first()
    instance._audit_old_role = old


def _role_saved(sender, instance, created, **kwargs):
    target, detail = _role_target(instance)
    if created:
        services.record("role_granted", target=target, detail=detail)
    elif getattr(instance, "_audit_old_role", None) not in (None, getattr(instance, "role", None)):
        services.record(
            "role_changed", target=target, detail={**detail, "was": instance._audit_old_role}
        )


def _role_deleted(sender, instance, **kwargs):
    target, detail = _role_target(instance)
    services.record("role_revoked", target=target, detail=detail)


def _connect_ledger() -> None:
    from support_hours.models import LedgerEntry

    post_save.connect(_ledger_posted, sender=LedgerEntry, dispatch_uid="audit-ledger")


def _ledger_posted(sender, instance, created, **kwargs):
    if created:
        services.record(
            "ledger_posted",
            target=f"hour account {instance.account_id}",
            detail={
                "entry_id": instance.pk,
                "kind": getattr(instance, "kind", ""),
                "minutes": instance.minutes,
                "available_after_minutes": instance.available_after_minutes,
            },
        )


_connect_roles()
_connect_ledger()
