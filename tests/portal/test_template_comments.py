"""Django's `{# … #}` comments end on their own line: one that runs over two lines is printed on
the page. Every template's comments are checked, and the pages a visitor opens first show none."""

from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_no_template_comment_runs_over_a_line():
    unclosed = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*"))
        if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".json", ".svg"}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.count("{#") > line.count("#}")
    ]
    assert unclosed == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/layanan/?q=koperasi", "/pengaduan/", "/lacak/"])
def test_pages_show_no_template_comment(client, url):
    html = client.get(url).content.decode()
    assert "{#" not in html and "#}" not in html
