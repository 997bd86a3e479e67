"""Signal receivers kept to plumbing; business rules live in services."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver


@receiver(authenticator_added)
def remember_mfa_proved_at_enrollment(sender, request, user, authenticator, **kwargs):
    # Activating TOTP required a valid code, so this session has proved the second factor;
    # without this the MFA gate would send a freshly enrolled coach to re-authenticate at once.
    if request is not None:
        record_authentication(request, user, "mfa", type=authenticator.type, id=authenticator.pk)
