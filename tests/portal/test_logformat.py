"""portal.logformat: one JSON object per line, the request's method and path, extra fields as
text when they are not plain values, the traceback of an exception."""

import json
import logging

from django.test import RequestFactory

from portal.logformat import JsonFormatter


def _line(**fields) -> dict:
    record = logging.makeLogRecord({"name": "portal.uji", "msg": "pesan", **fields})
    return json.loads(JsonFormatter().format(record))


def test_the_request_gives_its_method_and_path_not_itself():
    line = _line(request=RequestFactory().post("/lacak/"))
    assert line["method"] == "POST" and line["path"] == "/lacak/"
    assert "request" not in line


def test_extra_values_that_are_not_plain_are_written_as_text():
    line = _line(count=3, ratio=0.5, ok=True, agency=["pasuruan"], _private="x")
    assert line["count"] == 3 and line["ratio"] == 0.5 and line["ok"] is True
    assert line["agency"] == "['pasuruan']"
    assert "_private" not in line


def test_no_status_key_without_a_status_code():
    assert "status" not in _line()


def test_an_exception_is_written_with_its_traceback():
    try:
        raise RuntimeError("rusak")
    except RuntimeError:
        import sys

        line = _line(exc_info=sys.exc_info())
    assert "RuntimeError: rusak" in line["exception"]


def test_indonesian_text_is_kept_as_it_is():
    record = logging.makeLogRecord({"msg": "Pengaduan diterima — terima kasih"})
    assert "— terima kasih" in JsonFormatter().format(record)
