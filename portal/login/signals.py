"""Sign-in events the throttle listens to."""

from django.contrib.auth.signals import user_logged_in

from portal.login import throttle
from portal.ratelimit import login_ip


def _signed_in(sender, request, user, **kwargs):
    if request is not None:
        throttle.record_success(user.get_username(), login_ip(request))


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="portal.login.signed_in")
