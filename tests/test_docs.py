"""The README and docs/ name only what exists: every link, repository path, module and anchor
they mention is in the repository, and the README stays short enough to read first.

A path is any word starting with one of the repository's top-level folders (`portal/…`,
`tests/…`, `scripts/…`) or a top-level file; `<placeholder>` parts and `*` match any name. A
dotted name starting with an app (`services.requests.actions.request_process`) must be a module
of the repository, optionally followed by a name that module defines at its top level; an app
label followed by a permission (`services.publish_standardversion`) is not a module.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README_MAX_LINES = 200
APPS = ("portal", "services", "complaints")
FOLDERS = (
    "portal",
    "services",
    "complaints",
    "templates",
    "tests",
    "scripts",
    "fixtures",
    "static",
    "docs",
    "locale",
    ".ci",
)
FILES = ("manage.py", "pyproject.toml", ".env.example", "README.md")

PATH = re.compile(
    r"(?<![\w/.<>-])((?:" + "|".join(re.escape(f) for f in FOLDERS) + r")/[\w./<>*-]*"
    r"|(?:" + "|".join(re.escape(f) for f in FILES) + r"))(?![\w/-])"
)
DOTTED = re.compile(r"(?<![\w./-])((?:" + "|".join(APPS) + r")(?:\.\w+)+)")
# A file named without its folder: `DESIGN.md`, `request_actions.py`.
BARE = re.compile(r"(?<![\w/.<>*-])([\w-]+\.(?:py|md|html|txt|yaml|toml|css|js))(?![\w/-])")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
PERMISSION = re.compile(r"^(view|add|change|delete|publish)_\w+$")


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _prose(text: str) -> list[tuple[int, str]]:
    """The lines of a document, with URLs blanked out (their paths are not the repository's)."""
    return [
        (n, re.sub(r"(?:https?|postgres|redis)://\S+", "", line))
        for n, line in enumerate(text.splitlines(), 1)
    ]


def path_exists(path: str) -> bool:
    """Whether a repository path exists; `<…>` parts and `*` stand for any name."""
    path = path.rstrip(".,;:")
    if "<" in path or "*" in path:
        pattern = re.sub(r"<[^>/]*>", "*", path).rstrip("/")
        return any(ROOT.glob(pattern)) or any(ROOT.glob(pattern.rsplit("/", 1)[0]))
    return (ROOT / path).exists()


@cache
def _basenames(root: Path) -> frozenset[str]:
    skip = {".git", ".venv", "node_modules", "staticfiles", "media"}
    return frozenset(
        p.name for p in root.rglob("*") if p.is_file() and not skip & set(p.relative_to(root).parts)
    )


def bare_name_exists(name: str, document: Path) -> bool:
    """Whether a file named without its folder exists: a document next to this one or at the
    top, or any file of that name somewhere in the repository."""
    if name.endswith(".md"):
        return (document.parent / name).exists() or (ROOT / name).exists()
    return name in _basenames(ROOT)


@cache
def _top_level_names(module_file: Path) -> frozenset[str]:
    tree = ast.parse(module_file.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return frozenset(names)


def dotted_exists(name: str) -> bool:
    """Whether `app.module[.submodule…][.name]` is a module of the repository (and `name` one
    of its top-level definitions), or an app label with a permission codename."""
    parts = name.split(".")
    folder = ROOT / parts[0]
    for i, part in enumerate(parts[1:], start=1):
        if (folder / part).is_dir() and (folder / part / "__init__.py").exists():
            folder = folder / part
            continue
        if (folder / f"{part}.py").exists():
            rest = parts[i + 1 :]
            return not rest or rest[0] in _top_level_names(folder / f"{part}.py")
        if i == 1 and len(parts) == 2 and PERMISSION.match(part):
            return True
        init = folder / "__init__.py"
        return i > 1 and init.exists() and part in _top_level_names(init)
    return True


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(document: Path) -> set[str]:
    text = document.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return {slug(m.group(1)) for line in text.splitlines() if (m := HEADING.match(line))}


def stale_references(document: Path) -> list[str]:
    """What `document` names that the repository does not hold."""
    found = []
    for n, line in _prose(document.read_text(encoding="utf-8")):
        where = f"{document.relative_to(ROOT)}:{n}"
        for m in LINK.finditer(line):
            target = m.group(1)
            if re.match(r"[a-z]+:", target):
                continue
            file, _, anchor = target.partition("#")
            resolved = (document.parent / file).resolve() if file else document
            if not resolved.exists():
                found.append(f"{where}: link {target}")
            elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
                found.append(f"{where}: anchor {target}")
        line = LINK.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)], line)  # target checked
        for m in PATH.finditer(line):
            if not path_exists(m.group(1)):
                found.append(f"{where}: path {m.group(1)}")
        for m in BARE.finditer(line):
            if not bare_name_exists(m.group(1), document):
                found.append(f"{where}: file {m.group(1)}")
        for m in DOTTED.finditer(line):
            if not dotted_exists(m.group(1)):
                found.append(f"{where}: module {m.group(1)}")
    return found


@pytest.mark.parametrize("document", documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_documents_name_only_what_the_repository_holds(document):
    assert stale_references(document) == []


def test_readme_stays_short():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES


def test_docs_exist_and_the_readme_links_every_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = {p.name for p in (ROOT / "docs").glob("*.md")}
    assert names >= {"architecture.md", "deployment.md", "operations.md", "performance.md"}
    assert "domain.md" in names
    assert sorted(n for n in names if f"](docs/{n}" not in readme) == []


# The checker itself: it must catch what it exists to catch.


@pytest.mark.parametrize(
    "name, exists",
    [
        ("services.requests.actions.request_process", True),
        ("services.requests.actions", True),
        ("services.catalogue.search.searched_words", True),
        ("portal.cases", True),
        ("services.publish_standardversion", True),
        ("services.request_actions", False),
        ("services.selectors.search_service_ids", False),
        ("services.catalogue.search.no_such_function", False),
        ("services.catalogue.pdf_views.decree_standards", False),
    ],
)
def test_dotted_names_are_resolved_against_the_code(name, exists):
    assert dotted_exists(name) is exists


@pytest.mark.parametrize(
    "path, exists",
    [
        ("portal/cases/daycounts.py", True),
        ("templates/services/<concept>/", True),
        ("*/management/commands/*.py", True),
        ("tests/portal/", True),
        ("services/request_actions.py", False),
        ("DESIGN.md", False),
        ("templates/nowhere/<concept>/", False),
    ],
)
def test_paths_are_resolved_against_the_repository(path, exists):
    assert path_exists(path) is exists


def test_a_document_naming_a_missing_file_or_anchor_is_reported(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    (tmp_path / "portal").mkdir()
    (tmp_path / "portal" / "worktime.py").write_text("X = 1\n")
    page = docs / "page.md"
    page.write_text(
        "# Title\n"
        "See [here](#title), [there](#nowhere), [gone](gone.md), `portal/worktime.py`,\n"
        "`portal/shared/` and `portal.worktime.X`, `portal.worktime.Y`, <https://x.org/portal/y>.\n"
        "Not in DESIGN.md nor `worktime.py` nor `request_actions.py`.\n"
    )
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert stale_references(page) == [
        "docs/page.md:2: anchor #nowhere",
        "docs/page.md:2: link gone.md",
        "docs/page.md:3: path portal/shared/",
        "docs/page.md:3: module portal.worktime.Y",
        "docs/page.md:4: file DESIGN.md",
        "docs/page.md:4: file request_actions.py",
    ]
