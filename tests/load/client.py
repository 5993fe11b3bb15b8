"""A stdlib HTTP client that fills in the portal's public forms like a browser would.

Each FormClient keeps its own cookies (session and CSRF), GETs a form, reads its hidden fields
(CSRF token, submission key) and file inputs, and POSTs it as multipart/form-data without
following the redirect, so the caller sees the 302 and its receipt URL. Used by
tests/load/test_concurrency.py and scripts/bench_load.py and scripts/bench_faults.py.
"""

from __future__ import annotations

import http.cookiejar
import re
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser

from tests.pdfs import PDF

RECEIPT = re.compile(
    r"^/(?:permohonan|pengaduan)/([A-Z]+-(?:ADU-)?\d{4}-\d{5})/tanda-terima/(?:#tanda-terima)?$"
)


class _Form(HTMLParser):
    """The inputs of the page's multipart form (the one with enctype multipart/form-data)."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.hidden: dict[str, str] = {}
        self.files: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "multipart" in (a.get("enctype") or ""):
            self.inside = True
        elif tag == "input" and self.inside:
            if a.get("type") == "hidden" and a.get("name"):
                self.hidden[a["name"]] = a.get("value") or ""
            elif a.get("type") == "file" and a.get("name"):
                self.files.append(a["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Result:
    status: int  # 0: no HTTP answer (connection error)
    location: str = ""
    seconds: float = 0.0
    error: str = ""
    body: bytes = b""

    @property
    def receipt_number(self) -> str | None:
        path = re.sub(r"^https?://[^/]+", "", self.location)
        match = RECEIPT.match(path)
        return match.group(1) if self.status == 302 and match else None


@dataclass
class FormClient:
    base_url: str
    timeout: float = 60.0
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def __post_init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def _send(self, request: urllib.request.Request) -> Result:
        began = time.perf_counter()
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                body = response.read()
                return Result(response.status, "", time.perf_counter() - began, body=body)
        except urllib.error.HTTPError as error:
            body = error.read()
            return Result(
                error.code,
                error.headers.get("Location", ""),
                time.perf_counter() - began,
                body=body,
            )
        except OSError as error:
            return Result(0, "", time.perf_counter() - began, error=repr(error))

    def get(self, path: str) -> Result:
        return self._send(urllib.request.Request(self.base_url + path))

    def open_form(self, path: str) -> tuple[Result, dict[str, str], list[str]]:
        """GET the form; its hidden fields (CSRF token, submission key) and file inputs."""
        result = self.get(path)
        parser = _Form()
        if result.status == 200:
            parser.feed(result.body.decode("utf-8", "replace"))
        return result, parser.hidden, parser.files

    def post(self, path: str, fields: dict[str, str], files: dict[str, bytes]) -> Result:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, content in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{name}.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        request = urllib.request.Request(
            self.base_url + path,
            data=b"".join(parts),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
            method="POST",
        )
        return self._send(request)


def request_fields(hidden: dict[str, str], n: int) -> dict[str, str]:
    """A valid online request (the NIK and phone are well-formed and invented)."""
    return {
        **hidden,
        "applicant_name": f"Pemohon Uji {n}",
        "nik": "3514045507880002",
        "phone": "081234567890",
        "email": f"pemohon{n}@contoh.id",
        "organisation": "Koperasi Uji Beban",
        "message": "",
        "consent": "on",
    }


def complaint_fields(hidden: dict[str, str], n: int, agency_id: int) -> dict[str, str]:
    return {
        **hidden,
        "agency": str(agency_id),
        "standard": "",
        "request_number": "",
        "shortfall": f"Uji beban {n}: layanan tidak sesuai standar pelayanan.",
        "loss": "",
        "remedy": "Mohon diselesaikan.",
        "complainant_name": f"Pengadu Uji {n}",
        "phone": "081234567890",
        "email": "",
        "address": "",
        "consent": "on",
    }


def submit_request(
    base_url: str, form_path: str, n: int, mistake_first: bool = False
) -> tuple[str, Result] | tuple[str, Result, Result]:
    """One applicant: GET the form, POST it with a PDF per document; (submission key, result).

    `mistake_first`: the first POST has a bad NIK (its files are staged on the server, the form
    comes back), the second sends only the corrected NIK and no file; (key, result, first)."""
    client = FormClient(base_url)
    page, hidden, files = client.open_form(form_path)
    if page.status != 200 or "csrfmiddlewaretoken" not in hidden:
        return ("", page, None) if mistake_first else ("", page)
    key = hidden.get("submission_key", "")
    fields = request_fields(hidden, n)
    if not mistake_first:
        return key, client.post(form_path, fields, {name: PDF for name in files})
    first = client.post(form_path, {**fields, "nik": "123"}, {name: PDF for name in files})
    return key, client.post(form_path, fields, {}), first


def submit_complaint(
    base_url: str, form_path: str, agency_id: int, n: int, evidence: bool = False
) -> tuple[str, Result]:
    """One complainant: GET the form, POST it (with one PDF as evidence if asked)."""
    client = FormClient(base_url)
    page, hidden, files = client.open_form(form_path)
    if page.status != 200 or "csrfmiddlewaretoken" not in hidden:
        return "", page
    return hidden.get("submission_key", ""), client.post(
        form_path, complaint_fields(hidden, n, agency_id), {files[0]: PDF} if evidence else {}
    )


@dataclass
class Targets:
    """Where a load run submits: one agency's lightest service that asks for a document."""

    agency_id: int
    request_path: str
    complaint_path: str
    documents: int


def form_targets() -> Targets:
    from services.models import ServiceStandard

    def documents(s):
        return sum(r.document for r in s.requirements.all())

    standard = min(
        ServiceStandard.objects.select_related("agency").prefetch_related("requirements"),
        key=lambda s: (documents(s) == 0, documents(s), s.pk),
    )
    agency = standard.agency
    return Targets(
        agency_id=agency.pk,
        request_path=f"/permohonan/{agency.slug}/{standard.slug}/",
        complaint_path=f"/pengaduan/?instansi={agency.slug}",
        documents=documents(standard),
    )
