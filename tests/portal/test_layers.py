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


# ------------------------------------------------------------------ no names of the apps above

UPPER_APPS = ("services", "complaints")
RELATION_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


def _model_names() -> set[str]:
    """Every way a string can name a model of the apps above the portal: its label, its lower
    label and its permissions ("services.Agency", "services.agency", "services.view_agency")."""
    from django.apps import apps

    names = set()
    for label in UPPER_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            opts = model._meta
            names |= {opts.label, opts.label_lower}
            names |= {f"{label}.{action}_{opts.model_name}" for action in opts.default_permissions}
            names |= {f"{label}.{codename}" for codename, _name in opts.permissions}
    return names


def names_of_apps(source: str, model_names: set[str]) -> list[str]:
    """The `get_model` calls and the strings naming a model of an app above that `source` holds
    (a relation field's target, "app.Model", is a foreign key: allowed)."""
    tree = ast.parse(source)
    calls, relation_targets = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "get_model":
                calls.append(f"call {ast.unparse(node)}")
            if name in RELATION_FIELDS and node.args and isinstance(node.args[0], ast.Constant):
                relation_targets.add(id(node.args[0]))
    lowered = {n.lower() for n in model_names}
    strings = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in relation_targets
        and node.value.lower() in lowered
    ]
    return calls + strings


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('apps.get_model("services", "Agency")', ["call apps.get_model('services', 'Agency')"]),
        ("get_model(label)", ["call get_model(label)"]),
        ('if model._meta.label == "services.Agency": pass', ["services.Agency"]),
        ('user.has_perm("complaints.view_complaint")', ["complaints.view_complaint"]),
        ('agency = models.ForeignKey("services.Agency", on_delete=CASCADE)', []),
        ('include("services.urls")', []),  # a module, not a model
        ("apps.get_models()", []),
    ],
)
def test_the_check_finds_model_names(source, expected):
    assert names_of_apps(source, _model_names()) == expected


def test_the_portal_names_no_model_of_the_apps_above():
    """The portal reaches the apps' models through what they register or through structure
    (a relation's target, an admin's agency path), never by a model's name or `get_model`."""
    model_names = _model_names()
    offenders = {
        str(path.relative_to(ROOT)): names
        for app, path in _modules()
        if app == "portal" and (names := names_of_apps(path.read_text("utf-8"), model_names))
    }
    assert offenders == {}


# ------------------------------------------------------------------ commands and scripts


def _imported(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return names


def test_no_module_imports_a_command_and_no_script_imports_a_test():
    """What a command and a test share lives in a module of its own: a command module is run,
    never imported (its names are not the app's), and a script never needs a test module."""
    commands = {
        str(path.relative_to(ROOT)): found
        for _app, path in _modules()
        if (found := [n for n in _imported(path) if ".management.commands." in n])
    }
    scripts = {
        str(path.relative_to(ROOT)): found
        for path in sorted((ROOT / "scripts").glob("*.py"))
        if (
            found := [
                n
                for n in _imported(path)
                if n.split(".")[0] == "tests" and any(p.startswith("test_") for p in n.split("."))
            ]
        )
    }
    assert (commands, scripts) == ({}, {})
