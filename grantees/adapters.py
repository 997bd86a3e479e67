import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts are created by accepting an invitation (grantees.views.invitation_accept).
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # A sign-in that just happened is as good as a re-authentication: without this, a coach
        # sent to enroll in MFA right after signing in would be asked for the password again.
        request = getattr(context, "request", None)
        if request is not None and getattr(request, "user", None) and request.user.is_authenticated:
            records = get_authentication_records(request, request.user)
            if (
                records
                and time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT
            ):
                return False
        return super().is_reauthentication_required(app=app, **kwargs)
