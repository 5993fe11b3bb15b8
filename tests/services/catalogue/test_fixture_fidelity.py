"""The fixtures carry the decrees faithfully.

Two checks per decree: the counts of services, requirements, procedure steps and legal
references per service, as read off the decree by hand (the table below); and every
requirement, step and legal reference of the fixture is found in the decree's text (after
removing the conversion's markup), allowing for fixed typos: at least three quarters of an
item's word trigrams occur in the source. An item too short for a trigram must occur whole.

Then: the signatory is the one of the decree's closing signature block; every complaint
channel (the agency's and a service's own) is one the decree names, with the decree's value;
and the sub-headings a decree leaves empty are carried as empty.
"""

import re
from pathlib import Path

import pytest
import yaml

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"

# (requirements, steps, legal references) per service, in decree order.
EXPECTED = {
    "pasuruan": [
        (11, 8, 5),
        (1, 6, 2),
        (5, 5, 5),
        (1, 8, 6),
        (2, 6, 7),
        (1, 4, 9),
        (3, 6, 8),
        (4, 3, 5),
        (5, 5, 2),
    ],
    "musi-banyuasin": [
        (3, 4, 6),
        (3, 4, 4),
        (9, 4, 4),
        (18, 3, 4),
        (18, 3, 4),
        (1, 4, 6),
        (1, 4, 6),
        (2, 6, 6),
        (14, 4, 6),
    ],
    "palembang": [(1, 9, 4), (1, 7, 4)],
    "kalimantan-barat": [
        (3, 4, 6),
        (3, 4, 6),
        (18, 3, 8),
        (19, 3, 8),
        (20, 3, 8),
        (20, 3, 7),
        (1, 4, 6),
        (1, 4, 6),
        (14, 4, 6),
    ],
}


def words(text: str) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("\\pm", "±").lower()
    # The conversion glued list numbers to the previous item: "petugas2. Petugas".
    return re.findall(r"[a-z]+|[0-9]+", text)


def trigrams(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + 3]) for i in range(max(len(tokens) - 2, 0))}


def load(slug):
    return yaml.safe_load((FIXTURES / f"{slug}.yaml").read_text(encoding="utf-8"))


def source(slug):
    return (FIXTURES / "sources" / f"{slug}.txt").read_text(encoding="utf-8")


def counts(service):
    return (
        len(service["requirements"]),
        sum(len(group["steps"]) for group in service["procedure"]),
        len(service["legal_basis"]),
    )


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_counts_match_the_decree(slug):
    assert [counts(s) for s in load(slug)["services"]] == EXPECTED[slug]


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_items_come_from_the_decree(slug):
    source_words = words((FIXTURES / "sources" / f"{slug}.txt").read_text(encoding="utf-8"))
    source_text = " ".join(source_words)
    source_grams = trigrams(source_words)
    source_vocabulary = set(source_words)
    missing = []
    for service in load(slug)["services"]:
        texts = [r["text"] for r in service["requirements"]]
        texts += [step["text"] for g in service["procedure"] for step in g["steps"]]
        texts += [ref["text"] for ref in service["legal_basis"]]
        for text in texts:
            tokens = words(text)
            # Sub-items joined with ";" or ":" lost their list letters: no trigram spans a join.
            grams = set().union(*(trigrams(words(part)) for part in re.split(r"[;:]", text)))
            if not grams:
                found = " ".join(tokens) in source_text
            else:
                share = len(grams & source_grams) / len(grams)
                # A short item with one corrected word loses half its trigrams; then ask that
                # it shares a trigram and three quarters of its words with the decree.
                known_words = sum(w in source_vocabulary for w in tokens) / len(tokens)
                found = share >= 0.75 or (share > 0 and len(tokens) <= 6 and known_words >= 0.75)
            if not found:
                missing.append((service["slug"], text))
    assert missing == []


def test_every_decree_has_a_fixture_and_a_source():
    fixtures = {p.stem for p in FIXTURES.glob("*.yaml")}
    sources = {p.stem for p in (FIXTURES / "sources").glob("*.txt")}
    assert fixtures == sources == {"musi-banyuasin", "palembang", "pasuruan", "kalimantan-barat"}
    assert set(EXPECTED) == fixtures


# --- The signatory --------------------------------------------------------------------------


def closing_signature(text: str) -> tuple[str, str, str]:
    """(name, rank, NIP) of the last signature block: after the last "Ditetapkan", the
    signatory's title (lines with "Kepala"), a gap, then the name, the rank and the NIP."""
    lines = [line.strip().strip("*").strip() for line in text.split("Ditetapkan")[-1].splitlines()]
    i = next(n for n, line in enumerate(lines) if "kepala" in line.casefold())
    while lines[i]:  # the rest of the title
        i += 1
    block = []
    for line in lines[i:]:
        if line:
            block.append(line)
        elif block:
            break
    name, rest = block[0], block[1:]
    nip = next((line for line in rest if line.upper().startswith("NIP")), "")
    rank = next((line for line in rest if not line.upper().startswith("NIP")), "")
    return name, rank, nip


def letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text or "").casefold()


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_signatory_is_the_one_in_the_decrees_closing_signature_block(slug):
    decree = load(slug)["decree"]
    name, rank, nip = closing_signature(source(slug))
    assert decree["signatory_name"], "the decree is signed: the name must not be empty"
    assert letters(decree["signatory_name"]) == letters(name)
    assert letters(decree.get("signatory_rank")) == letters(rank)
    assert re.sub(r"\D", "", decree.get("signatory_nip") or "") == re.sub(r"\D", "", nip)


def test_kalimantan_barat_is_signed_by_munaidi():
    assert closing_signature(source("kalimantan-barat")) == ("Munaidi", "", "")
    assert load("kalimantan-barat")["decree"]["signatory_name"] == "Munaidi"


# --- Complaint channels: only as the decree names them ---------------------------------------


# Words by which a decree names each kind of channel (compared as `loose` words).
KIND_WORDS = {
    "walk_in": ["tatap muka"],
    "written": ["tertulis", "surat pengaduan"],
    "whatsapp": ["wa", "whatsapp"],
    "phone": ["telepon", "telp", "☎"],
    "fax": ["fax", "faximile", "faksimile"],
    "email": ["email", "pos el"],
    "website": ["website", "laman"],
    "lapor": ["sp4n lapor"],
    "other": [],
}


def loose(text: str) -> str:
    """Lowercase words and numbers only, space-padded: the fixtures join with a comma what the
    decree puts on two lines."""
    words = re.findall(r"[\w@☎]+", re.sub(r"<[^>]+>", " ", text).casefold())
    return f" {' '.join(words)} "


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_every_channel_is_named_by_the_decree(slug):
    text = loose(source(slug))
    data = load(slug)
    channels = list(data["agency"].get("channels", []))
    channels += [c for s in data["services"] for c in s.get("channels", [])]
    for channel in channels:
        assert any(f" {word} " in text for word in KIND_WORDS[channel["kind"]]), channel
        assert loose(channel["value"]) in text, channel
        if channel.get("note"):
            assert loose(channel["note"]) in text, channel


def test_pasuruan_names_no_walk_in_channel():
    assert " tatap muka " not in loose(source("pasuruan"))
    kinds = [c["kind"] for c in load("pasuruan")["agency"]["channels"]]
    assert "walk_in" not in kinds
    assert kinds == ["written", "phone", "website", "website", "lapor"]


def test_own_channels_are_those_the_service_lists_beyond_the_agencys():
    data = load("kalimantan-barat")
    general = {(c["kind"], c["value"]) for c in data["agency"]["channels"]}
    for service in data["services"]:
        listed = " ".join(
            " ".join([i] if isinstance(i, str) else [i["heading"], *i["items"]])
            for i in service["complaints"]
        )
        for channel in service.get("channels", []):
            assert (channel["kind"], channel["value"]) not in general
            assert channel["value"] in listed, (service["slug"], channel["value"])


# --- Sub-headings the decree leaves empty ----------------------------------------------------


EMPTY_SUBHEADINGS = [
    ("kalimantan-barat", "konsultasi", "Alur Penanganan Pengaduan:"),
    ("kalimantan-barat", "pertimbangan-teknis-usaha-simpan-pinjam", "Alur Penanganan Pengaduan:"),
    ("musi-banyuasin", "penyediaan-narasumber-penyuluhan", "Alur Penanganan Pengaduan"),
]


def test_fixtures_keep_the_empty_sub_headings_of_the_decrees():
    found = []
    for slug in sorted(EXPECTED):
        for service in load(slug)["services"]:
            for component, items in service.items():
                for item in items if isinstance(items, list) else []:
                    if isinstance(item, dict) and item.get("items") == []:
                        found.append((slug, service["slug"], item["heading"]))
                        assert component == "complaints"
    assert found == EMPTY_SUBHEADINGS


@pytest.mark.parametrize("slug", ["kalimantan-barat", "musi-banyuasin"])
def test_every_services_complaint_flow_heading_is_carried(slug):
    """Each service's complaint component has a "b. Alur Penanganan Pengaduan", drawn or left
    empty; the fixture carries all of them."""
    assert source(slug).count("Alur Penanganan Pengaduan") == 9
    for service in load(slug)["services"]:
        texts = [i if isinstance(i, str) else i["heading"] for i in service["complaints"]]
        assert any(t.startswith("Alur Penanganan Pengaduan") for t in texts), service["slug"]
