"""Sign-in events the throttle listens to, and the enrolment link's email in the outbox."""

from django.contrib.auth.signals import user_logged_in

from portal.cases import mail
from portal.login import invitations, throttle
from portal.ratelimit import login_ip


def _signed_in(sender, request, user, **kwargs):
    if request is not None:
        throttle.record_success(user.get_username(), login_ip(request))


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="portal.login.signed_in")
    mail.register_composer(invitations.MAIL, invitations.compose_email)
