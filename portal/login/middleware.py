"""A staff session that has not passed the second factor is anonymous everywhere.

Runs after django-otp's OTPMiddleware. With PORTAL_STAFF_2FA on, a signed-in staff account
whose session was not verified by a device (for instance signed in before two-factor sign-in
was switched on) is seen as an anonymous visitor by every view, the admin and the staff
downloads alike, until it signs in again with its code.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from portal.login import twofactor


def _anonymous():
    user = AnonymousUser()
    user.otp_device = None
    user.is_verified = lambda: False
    return user


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PORTAL_STAFF_2FA:
            user = request.user

            def checked():
                if (
                    user.is_authenticated
                    and twofactor.required_for(user)
                    and not user.is_verified()
                ):
                    return _anonymous()
                return user

            request.user = SimpleLazyObject(checked)
        return self.get_response(request)
