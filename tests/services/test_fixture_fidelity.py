"""The fixtures carry the decrees faithfully.

Two checks per decree: the counts of services, requirements, procedure steps and legal
references per service, as read off the decree by hand (the table below); and every
requirement, step and legal reference of the fixture is found in the decree's text (after
removing the conversion's markup), allowing for fixed typos: at least three quarters of an
item's word trigrams occur in the source. An item too short for a trigram must occur whole.
"""

import re
from pathlib import Path

import pytest
import yaml

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

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
