"""Tracking any case by its number and code, and the receipt PDF of the case's own browser.

One form opens a request or a complaint: the same answer for a wrong number or a wrong code,
and a client that gets it wrong TRACK_LIMIT times in TRACK_WINDOW is refused for a while. The
page of an opened case is the one its kind registered (portal.cases.registry).
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal import pdf
from portal.cases import access, registry
from portal.cases import language as case_language
from portal.cases.codes import code_matches
from portal.cases.forms import TrackForm
from portal.localtime import moment as format_moment
from portal.ratelimit import client_ip, give_back, limit_posts, take_attempt

TRACK_LIMIT = 10  # failed attempts per client per window
TRACK_WINDOW = 15 * 60


def tracking_url(number: str, code: str | None = None) -> str:
    """The absolute address of a case's tracking page; with the code, a link that opens it.

    The code never goes into a URL a server sees (access logs, proxies, Referer): it is in the
    fragment of the tracking form's address (`/lacak/?nomor=N#kode=C`), which the browser
    keeps to itself; static/js/track-code.js puts it into the form, drops it from the address
    bar and sends the form (a POST). Without JavaScript the form opens with the number filled
    in and the citizen types the code, which the same message shows. Links of the older form
    (`/lacak/N/?kode=C`) still open the case.
    """
    if not code:
        return settings.SITE_URL + reverse("cases:track_detail", kwargs={"number": number})
    return f"{settings.SITE_URL}{_form_for(number)}#{urlencode({'kode': code})}"


def _form_for(number: str) -> str:
    return f"{reverse('cases:track')}?{urlencode({'nomor': number})}"


def _take_attempt(request) -> bool:
    return take_attempt("lacak-kode", client_ip(request), TRACK_LIMIT, TRACK_WINDOW)


def open_with_code(request, number: str, code: str):
    """Grant access if number and code match; None otherwise (a failure counted). The attempt
    is counted before the code is checked, so concurrent attempts can't pass the limit."""
    found = registry.find(number)
    if found is not None and code_matches(found[1].access_hash, code):
        access.grant(request, number)
        give_back("lacak-kode", client_ip(request))
        return found[1]
    return None


@require_http_methods(["GET", "POST"])
@limit_posts("lacak")
def track(request):
    # ?nomor= fills the number in (the mail's link; the code stays in the fragment).
    number = request.GET.get("nomor", "")[:32]
    form = TrackForm(request.POST or None, initial={"number": number})
    status = 200
    if request.method == "POST" and form.is_valid():
        if not _take_attempt(request):
            form.add_error(None, _("Terlalu banyak percobaan. Coba lagi 15 menit lagi."))
            status = 429
        else:
            case = open_with_code(request, form.cleaned_data["number"], form.cleaned_data["code"])
            if case is not None:
                return redirect("cases:track_detail", number=case.number)
            form.add_error(None, _("Nomor tanda terima atau kode akses tidak cocok."))
    return render(
        request, "cases/track.html", {"form": form, "crumbs": [(None, _("Lacak"))]}, status=status
    )


@require_http_methods(["GET", "POST"])
@limit_posts("lacak-kiriman")
def track_detail(request, number):
    code = request.GET.get("kode")
    if code is not None:
        if not _take_attempt(request):
            return render(
                request, "cases/track.html", {"form": TrackForm(), "limited": True}, status=429
            )
        if open_with_code(request, number, code) is None:
            # Bound (and cleaned) so that the error can be added and the number stays filled in.
            form = TrackForm({"number": number, "code": code})
            form.is_valid()
            form.add_error(None, _("Nomor tanda terima atau kode akses tidak cocok."))
            return render(request, "cases/track.html", {"form": form})
        return redirect("cases:track_detail", number=number)
    if not access.granted(request, number):
        return redirect(_form_for(number))
    found = registry.find(number)
    if found is None:
        raise Http404
    kind, case = found
    return kind.track_view(request, case)


def to_receipt(request, case, code: str | None, *, receipt: str, form_url: str):
    """The answer to an accepted public form: its receipt page.

    `code` is None for a copy of a form already received that may not see the code again
    (portal.cases.replay). The browser that was shown the receipt before (its session still
    holds the code: the back button, a second click) goes to the receipt as before; anyone else
    is told the form was received, with no number and no code, and granted nothing (409: the
    copy was not taken).
    """
    if code is None:
        if access.remembered_code(request, case.number) is None:
            return render(
                request, "cases/already_received.html", {"form_url": form_url}, status=409
            )
    else:
        access.grant(request, case.number, code)
    # A fragment of its own: the form's "#ringkasan-kesalahan" must not carry over.
    return redirect(f"{reverse(receipt, kwargs={'number': case.number})}#tanda-terima")


def receipt_code(request, number: str) -> str:
    """The code this browser was shown when it submitted the case; 404 for anyone else."""
    code = access.remembered_code(request, number)
    if code is None:
        raise Http404
    return code


def receipt_pdf(request, number):
    """A case's receipt as a PDF, for whoever opened the case (never cached: it is personal).

    It is written in the language of the page that asks for it; the decree's wording (service,
    time limit, fee, requirements, channels) and the agency's letterhead stay as written."""
    if not access.granted(request, number):
        raise Http404
    found = registry.find(number)
    if found is None:
        raise Http404
    kind, case = found
    tz = case.agency.timezone
    language = case_language.current()
    explain, explain_language = case_language.explanation(case.due_rule, language)
    title = _("Tanda terima %(number)s") % {"number": case.number}
    html = render_to_string(
        kind.receipt_template,
        {
            "case": case,
            "agency": case.agency,
            "code": access.remembered_code(request, number),
            "received_text": format_moment(case.received_at, tz),
            "due_text": format_moment(case.due_at, tz) if case.due_at else "",
            "explain": explain,
            # Set when the explanation is not in the page's language (a case received before
            # explanations were recorded in English): it is marked as Indonesian.
            "explain_lang": explain_language if explain_language != language else "",
            "track_url": settings.SITE_URL + reverse("cases:track"),
            "doc_title": title,
            "doc_description": case.standard.name if case.standard else case.agency.name,
            "running_title": title,
            "SITE_NAME": settings.SITE_NAME,
            **kind.receipt_context(case),
        },
    )
    data = pdf.render_pdf(html, base_url=(settings.BASE_DIR / "static").as_uri() + "/")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tanda-terima-{case.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
