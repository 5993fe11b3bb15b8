"""The apps depend one way and use only each other's public names.

import-linter (pyproject.toml, run by scripts/test) holds the layers; this test holds the
other half of the rule: no module takes an underscore name from another app, whether by
`from x import _y`, `import x._y` or `module._y` on an imported module.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("portal", "services", "complaints")


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path


def private_imports(app: str, source: str) -> list[str]:
    """The other apps' underscore names `source` (a module of `app`) uses."""
    found = []
    imported_modules: dict[str, str] = {}  # local name -> module of another app
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            top = node.module.split(".")[0]
            if top in APPS and top != app:
                parts = node.module.split(".")
                found += [node.module for p in parts if p.startswith("_") and p != "__init__"]
                for alias in node.names:
                    if alias.name.startswith("_"):
                        found.append(f"{node.module}.{alias.name}")
                    else:
                        imported_modules[alias.asname or alias.name] = node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top in APPS and top != app:
                    if any(p.startswith("_") for p in alias.name.split(".")):
                        found.append(alias.name)
                    imported_modules[alias.asname or top] = alias.name
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in imported_modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{imported_modules[node.value.id]}.{node.attr}")
    return found


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from services.requests.views import _grant", ["services.requests.views._grant"]),
        ("from services import request_views\nrequest_views._grant(1)", ["services._grant"]),
        ("import services._private", ["services._private"]),
        ("from services.requests.views import grant", []),
        ("from complaints._x import _y", ["complaints._x", "complaints._x._y"]),
        ("from portal.cases import access", []),
    ],
)
def test_the_check_finds_underscore_imports(source, expected):
    app = "complaints" if "services" in source else "services"
    assert private_imports(app, source) == expected


def test_no_module_uses_another_apps_underscore_names():
    offenders = {
        str(path.relative_to(ROOT)): names
        for app, path in _modules()
        if (names := private_imports(app, path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_shared_case_package_imports_no_app():
    for path in sorted((ROOT / "portal").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                assert name.split(".")[0] not in ("services", "complaints"), (path, name)
