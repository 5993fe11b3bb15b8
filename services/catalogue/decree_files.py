"""Reading the decree files (YAML, fixtures/README.md) before anything is loaded: the file's
mapping with every problem of its content (services.catalogue.fixture_schema) and of its
services' timeframes. Read by `manage.py load_standards` and by the benchmark data generator
(scripts/benchmark_data.py), which copies the real decrees' services."""

from pathlib import Path

import yaml
from django.conf import settings

from services.catalogue.fixture_schema import FixtureProblem, validate_document
from services.catalogue.timeframes import TimeframeError, parse_timeframe


def fixture_dir() -> Path:
    """The folder of the portal's decree files."""
    return Path(settings.BASE_DIR) / "fixtures"


def read_fixture(path: Path) -> tuple[dict | None, list[FixtureProblem]]:
    """The file's content and its problems (none: it may be loaded)."""
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [FixtureProblem(name, "", "(berkas)", "berkas tidak ditemukan")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"baris {mark.line + 1}" if mark else "(berkas)"
        return None, [FixtureProblem(name, "", where, f"YAML tidak dapat dibaca: {exc}")]
    problems = validate_document(data, name)
    if problems:
        return data, problems
    for service in data["services"]:
        try:
            parse_timeframe(service["timeframe"])
        except TimeframeError as exc:
            problems.append(FixtureProblem(name, service["slug"], "timeframe", str(exc)))
    return data, problems
