"""Signal receivers kept to plumbing; business rules live in services."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.signals import authenticator_added
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from grantees.models import (
    CoachAssignment,
    CoachProfile,
    Grantee,
    Membership,
    Program,
    ProgramRole,
    Region,
)


@receiver(authenticator_added)
def remember_mfa_proved_at_enrollment(sender, request, user, authenticator, **kwargs):
    # Activating TOTP required a valid code, so this session has proved the second factor;
    # without this the MFA gate would send a freshly enrolled coach to re-authenticate at once.
    if request is not None:
        record_authentication(request, user, "mfa", type=authenticator.type, id=authenticator.pk)


# Roles, navigation and the fragments keyed by portal.roles.scope_fragment_key read these.
ROLE_MODELS = (Membership, ProgramRole, CoachProfile, CoachAssignment, Grantee, Program, Region)


def _roles_changed(sender, **kwargs):
    from portal.roles import bump_roles_version

    # After the commit: a page reading roles in between caches them under the old version.
    transaction.on_commit(bump_roles_version, robust=True)


for model in ROLE_MODELS:
    post_save.connect(_roles_changed, sender=model, dispatch_uid=f"roles-save-{model.__name__}")
    post_delete.connect(_roles_changed, sender=model, dispatch_uid=f"roles-del-{model.__name__}")
