"""The public form that makes a case, the same for every kind: the form with its kept files, the
submission and its replay answer, the receipt page.

A kind declares only what differs, as a subclass of `Intake`: its form and the form's
arguments, the action that stores a case, what a copy of the form is bound to, its template and
the page's context. The rest is one rule for requests and complaints:

- A post whose form is valid goes to the kind's action. The files kept for the form go with the
  accepted case, in the submission's transaction, and the browser goes to the receipt
  (portal.cases.views.to_receipt).
- A post that fails keeps each of its valid files (portal.cases.staging) and shows the form
  again, its errors summarised and its kept files listed.
- Unless its submission key already made a case: then the post is a copy of a form that was
  accepted and whose answer was lost (a worker killed after the commit, a dropped connection),
  sent again with the cookies the lost request carried. The accepted form took its kept files,
  so the copy fails on the files it no longer has; it is answered as the action answers a copy
  (portal.cases.replay): the receipt and its code for the browser that sent it, to the same form,
  shortly after, and "already received" (409) for anyone else. A stranger with the key never
  gets another person's kept files: those are found only with the sender's session token.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render

from portal.cases import language as case_language
from portal.cases import replay, staging
from portal.cases.views import receipt_code, to_receipt


class Intake:
    """One kind's public form, answered for one request by `answer()`.

    Declared by each kind: `name` (the form's name, "permohonan", "pengaduan": the prefix of
    what a copy is bound to), `model` (where a copy's case is found), `form_class` (a form with
    `staged=`, portal.cases.staging.KeepsFilesMixin), `template` and `receipt` (the URL name of
    the receipt page); `bound_to(form)`, `submit(form, **sending)` and `context(form)`, and
    where they differ from none, `initial()`, `form_kwargs()` and `form_url()`.
    """

    name: str
    model: type
    form_class: type
    template: str
    receipt: str

    def __init__(self, request, *, now):
        self.request = request
        self.now = now

    def initial(self) -> dict:
        """The blank form's initial values besides its new submission key."""
        return {}

    def form_kwargs(self) -> dict:
        return {}

    def bound_to(self, form):
        """What the form was posted to (a service, an agency): a copy qualifies for the receipt
        only when posted to the same one. None when the post does not say (no copy qualifies)."""
        raise NotImplementedError

    def submit(self, form, **sending):
        """Store the case of a valid form with the kind's action, given `sending` (`sending()`)
        besides what the kind passes; returns (case, code or None), as the action does. Calls
        `release_kept(form)` once the action has committed."""
        raise NotImplementedError

    def context(self, form) -> dict:
        """The form page's context."""
        raise NotImplementedError

    def form_url(self) -> str:
        """Where the "already received" page sends the citizen for a new form."""
        return self.request.path

    def sending(self, form) -> dict:
        """What every kind's action is told of a public form's sending: when, its submission
        key, its binding (portal.cases.replay) and the page's language (portal.cases.language)."""
        return {
            "now": self.now,
            "submission_key": form.cleaned_data["submission_key"],
            "binding": self.binding(form),
            "language": case_language.current(),
        }

    def binding(self, form) -> str:
        """The digest that ties this post to its browser and its form (portal.cases.replay)."""
        scope = self.bound_to(form)
        if scope is None:
            return ""
        return replay.browser_binding(self.request, f"{self.name}:{scope}")

    def release_kept(self, form) -> None:
        """The form was accepted: the files kept for it go (the case has its copies)."""
        if staging.owner(self.request):  # only a session that kept files can have any
            staging.release(submission_key=form.cleaned_data["submission_key"])

    def to_receipt(self, case, code):
        return to_receipt(self.request, case, code, receipt=self.receipt, form_url=self.form_url())


def answer(kind: Intake):
    """The response of a kind's form page to a GET or a POST (the rule in the module's text)."""
    request, now = kind.request, kind.now
    posted = request.method == "POST"
    key = staging.posted_key(request.POST) if posted else None
    form = kind.form_class(
        request.POST or None,
        request.FILES or None,
        initial={"submission_key": uuid.uuid4(), **kind.initial()},
        staged=staging.staged(submission_key=key, owner=staging.owner(request), now=now),
        **kind.form_kwargs(),
    )
    if posted and form.is_valid():
        try:
            case, code = kind.submit(form, **kind.sending(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return kind.to_receipt(case, code)
    if posted and key is not None:
        copy = replay.received(kind.model, key, binding=kind.binding(form), now=now)
        if copy is not None:
            return kind.to_receipt(*copy)
        held = staging.keep(
            form=form,
            fields=form.file_names(),
            submission_key=key,
            owner=staging.owner(request, create=True),
            now=now,
        )
        form.use_staged(held)  # shown with the form, and their inputs no longer required
    return render(request, kind.template, kind.context(form))


def receipt_page(request, number: str, *, cases, template: str, context):
    """The receipt of a case, for the browser that submitted it (404 for anyone else): the
    case of `cases` (a queryset) with this number, its code and the kind's `context(case, code)`."""
    code = receipt_code(request, number)
    case = get_object_or_404(cases, number=number)
    return render(request, template, {"case": case, "code": code, **context(case, code)})
