"""The anonymous page cache is keyed on the parameters a page reads: strangers' junk
parameters neither fill it nor show in the pages others are served."""

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.django_db


def _pages() -> list[str]:
    return [key for key in caches["local"]._cache if ":page:" in key]


@pytest.mark.usefixtures("shared_renders")  # the decree the PDF tests print too
def test_1500_decree_pdfs_with_different_junk_parameters_are_one_entry(client):
    url = "/instansi/pasuruan/standar-pelayanan.pdf"
    first = client.get(url + "?v=0")
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    body = b"".join(first.streaming_content) if first.streaming else first.content
    for i in range(1, 1500):
        response = client.get(f"{url}?v={i}&utm_source=x{i}")
        assert response.status_code == 200
    assert len(_pages()) == 1
    again = client.get(url)
    assert (b"".join(again.streaming_content) if again.streaming else again.content) == body


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/instansi/",
        "/instansi/pasuruan/",
        "/instansi/pasuruan/hari-libur-dan-jam-layanan/",
        "/layanan/",
        "/layanan/pasuruan/pendataan-potensi-pengembangan-usaha/",
        "/sitemap.xml",
    ],
)
def test_junk_parameters_share_the_page_and_are_not_echoed(client, url):
    for i in range(50):
        assert client.get(f"{url}?junk={i}&x{i}=evil").status_code == 200
    assert len(_pages()) == 1
    page = client.get(url + "?junk=evil-marker").content.decode()
    assert "evil" not in page


def test_the_parameters_a_page_reads_still_make_their_own_pages(client):
    one = client.get("/layanan/?q=kantor&junk=1").content.decode()
    two = client.get("/layanan/?q=halal&junk=2").content.decode()
    assert one != two
    assert client.get("/layanan/?junk=3&q=kantor").content.decode() == one
    assert len(_pages()) == 2
    # Pagination links keep the search, not the junk.
    assert "junk" not in one
    assert client.get("/instansi/?page=1").status_code == 200
    assert len(_pages()) == 3
