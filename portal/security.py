"""Content-Security-Policy for the pages the browser renders.

The policy itself is `CONTENT_SECURITY_POLICY` in the settings (django-csp). It is sent with every
response except PDFs: a browser shows a PDF in its own viewer page, built from inline styles and
an embedded plugin, which the portal's policy (no inline style, `object-src 'none'`) would break.
PDFs run no script of the portal's and are never rendered as HTML.
"""

from csp.middleware import CSPMiddleware


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("application/pdf"):
            response._csp_exempt = True
            response._csp_exempt_ro = True
        return super().process_response(request, response)


def login_lockout(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: an Indonesian page, status 429."""
    from axes.helpers import get_cool_off, get_failure_limit
    from django.shortcuts import render

    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    response = render(
        request,
        "portal/login_locked.html",
        {"failure_limit": get_failure_limit(request, credentials), "cooloff_minutes": minutes},
        status=429,
    )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
