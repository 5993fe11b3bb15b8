"""Validation of decree fixture files (see fixtures/README.md).

A fixture is a mapping with `agency`, `decree` and `services`. Every mapping is checked against
a spec of known keys: an unknown key, a missing required key or a value of the wrong type is an
error that names the file, the service (when inside one) and the dotted path of the field. The
validator is pure: it reads Python values and returns the list of problems, it never touches
the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FixtureProblem:
    file: str
    service: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"layanan '{self.service}', " if self.service else ""
        return f"{self.file}: {where}kolom '{self.field}': {self.message}"


class FixtureError(Exception):
    def __init__(self, problems: list[FixtureProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# A field spec is (required, kind) where kind is a type, a tuple of types, a nested spec
# (dict), a ("list", item_kind) pair, or "text_items".
TEXT = str
OPT_STR = (str, type(None))

CHANNEL = {"kind": (True, str), "value": (True, str), "note": (False, OPT_STR)}
TIER = {"tier": (True, str), "wording": (True, str)}
AGENCY = {
    "slug": (True, str),
    "code": (True, str),
    "name": (True, str),
    "short_name": (True, str),
    "government": (True, str),
    "level": (True, str),
    "region": (True, str),
    "province": (True, str),
    "city": (True, str),
    "address": (True, str),
    "postal_code": (False, OPT_STR),
    "phone": (False, OPT_STR),
    "fax": (False, OPT_STR),
    "email": (False, OPT_STR),
    "website": (False, OPT_STR),
    "timezone": (True, str),
    "channels": (False, ("list", CHANNEL)),
    "complaint_tiers": (False, ("list", TIER)),
}
DECISION = {"label": (True, str), "text": (True, str), "items": (False, ("list", str))}
DECREE = {
    "number": (True, str),
    "title": (True, str),
    "year": (True, int),
    "signed_place": (True, str),
    "signed_date": (True, dt.date),
    "signatory_title": (True, str),
    "signatory_name": (True, str),
    "signatory_rank": (False, OPT_STR),
    "signatory_nip": (False, OPT_STR),
    "considerations": (False, ("list", str)),
    "references": (False, ("list", str)),
    "decisions": (False, ("list", DECISION)),
}
REQUIREMENT = {
    "text": (True, str),
    "conditional": (False, bool),
    "document": (False, bool),
}
FLOW_NODE = {"id": (True, (str, int)), "text": (True, str), "shape": (False, str)}
FLOW_EDGE = {
    "from": (True, (str, int)),
    "to": (True, (str, int)),
    "label": (False, OPT_STR),
    "dashed": (False, bool),
}
FLOW = {"nodes": (True, ("list", FLOW_NODE)), "edges": (False, ("list", FLOW_EDGE))}
STEP = {"text": (True, str), "actor": (False, OPT_STR)}
PROCEDURE_GROUP = {
    "heading": (False, OPT_STR),
    "steps": (True, ("list", STEP)),
    "flow": (False, FLOW),
}
FEE = {"amount": (True, int), "text": (True, str)}
LEGAL = {
    "kind": (True, str),
    "issuer": (False, OPT_STR),
    "number": (True, (str, int)),
    "year": (True, (int, type(None))),
    "title": (True, str),
    "text": (True, str),
}
STAFF = {"count": (True, (int, type(None))), "text": (True, str)}
SERVICE = {
    "slug": (True, str),
    "number": (True, int),
    "name": (True, str),
    "unit": (False, OPT_STR),
    "product_document": (False, bool),
    "channels": (False, ("list", CHANNEL)),
    "requirements": (True, ("list", REQUIREMENT)),
    "requirements_note": (False, OPT_STR),
    "procedure": (True, ("list", PROCEDURE_GROUP)),
    "timeframe": (True, str),
    "fee": (True, FEE),
    "product": (True, "text_items"),
    "complaints": (True, "text_items"),
    "legal_basis": (True, ("list", LEGAL)),
    "facilities": (True, "text_items"),
    "competence": (True, "text_items"),
    "supervision": (True, "text_items"),
    "staff_count": (True, STAFF),
    "service_guarantee": (True, "text_items"),
    "security_guarantee": (True, "text_items"),
    "evaluation": (True, "text_items"),
}
DOCUMENT = {
    "agency": (True, AGENCY),
    "decree": (True, DECREE),
    "services": (True, ("list", SERVICE)),
}
TEXT_GROUP = {"heading": (True, str), "items": (True, ("list", str))}

CHOICES = {
    "agency.level": {"provinsi", "kabupaten", "kota"},
    "agency.timezone": {"Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura"},
    "channels.kind": {
        "walk_in",
        "written",
        "whatsapp",
        "phone",
        "fax",
        "email",
        "website",
        "lapor",
        "other",
    },
    "complaint_tiers.tier": {"light", "normative", "non_supervisory", "supervisory"},
    "legal_basis.kind": {
        "uu",
        "perppu",
        "pp",
        "perpres",
        "permen",
        "perda",
        "pergub",
        "perbup",
        "perwali",
        "perlem",
        "keputusan",
        "lainnya",
    },
    "nodes.shape": {"box", "decision", "terminal"},
}

TYPE_NAMES = {
    list: "daftar",
    str: "teks",
    int: "bilangan bulat",
    bool: "true/false",
    dt.date: "tanggal (YYYY-MM-DD)",
    type(None): "kosong",
}


def _type_name(kind: Any) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " atau ".join(TYPE_NAMES.get(k, getattr(k, "__name__", str(k))) for k in kinds)


class _Checker:
    def __init__(self, file: str):
        self.file = file
        self.service = ""
        self.problems: list[FixtureProblem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(FixtureProblem(self.file, self.service, path, message))

    def mapping(self, value: Any, spec: dict, path: str) -> None:
        if not isinstance(value, dict):
            self.add(path or "(dokumen)", "harus berupa pemetaan (key: value)")
            return
        for key in value:
            if key not in spec:
                self.add(f"{path}.{key}" if path else str(key), "kolom tidak dikenal")
        for key, (required, kind) in spec.items():
            sub = f"{path}.{key}" if path else key
            if key not in value:
                if required:
                    self.add(sub, "wajib diisi")
                continue
            self.value(value[key], kind, sub)
            self.choice(value[key], sub)

    def value(self, value: Any, kind: Any, path: str) -> None:
        if isinstance(kind, dict):
            self.mapping(value, kind, path)
        elif kind == "text_items":
            self.text_items(value, path)
        elif isinstance(kind, tuple) and len(kind) == 2 and kind[0] == "list":
            if not isinstance(value, list):
                self.add(path, "harus berupa daftar")
                return
            for i, item in enumerate(value, start=1):
                self.value(item, kind[1], f"{path}[{i}]")
        else:
            kinds = kind if isinstance(kind, tuple) else (kind,)
            # bool is an int in Python; a count given as true/false is still wrong.
            if isinstance(value, bool) and bool not in kinds:
                self.add(path, f"harus berupa {_type_name(kind)}")
            elif not isinstance(value, kinds) or (
                isinstance(value, dt.datetime) and dt.datetime not in kinds
            ):
                self.add(path, f"harus berupa {_type_name(kind)}")
            elif isinstance(value, str) and str in kinds and value != value.strip():
                self.add(path, "tidak boleh diawali atau diakhiri spasi")

    def text_items(self, value: Any, path: str) -> None:
        if not isinstance(value, list):
            self.add(path, "harus berupa daftar butir teks")
            return
        for i, item in enumerate(value, start=1):
            if isinstance(item, dict):
                self.text_group(item, f"{path}[{i}]")
            elif not isinstance(item, str) or not item.strip():
                self.add(f"{path}[{i}]", "butir harus berupa teks yang tidak kosong")

    def text_group(self, group: dict, path: str) -> None:
        """A heading and its items. `items: []` is a sub-heading the decree left empty."""
        self.mapping(group, TEXT_GROUP, path)
        heading = group.get("heading")
        if isinstance(heading, str) and not heading.strip():
            self.add(f"{path}.heading", "subjudul tidak boleh kosong")
        items = group.get("items")
        for i, item in enumerate(items if isinstance(items, list) else [], start=1):
            if isinstance(item, str) and not item.strip():
                self.add(f"{path}.items[{i}]", "butir harus berupa teks yang tidak kosong")

    def choice(self, value: Any, path: str) -> None:
        parts = path.split(".")
        tail = ".".join(parts[-2:])
        tail = "".join(c for c in tail if not c.isdigit()).replace("[]", "")
        allowed = CHOICES.get(tail)
        if allowed is not None and isinstance(value, str) and value not in allowed:
            options = ", ".join(sorted(allowed))
            self.add(path, f"nilai '{value}' tidak dikenal (pilihan: {options})")


def validate_document(data: Any, file: str) -> list[FixtureProblem]:
    checker = _Checker(file)
    # Services are checked one by one below, so that problems name the service.
    checker.mapping(data, {**DOCUMENT, "services": (True, list)}, "")
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(data, dict) or "services" not in data:
        pass
    elif not isinstance(services, list) or not services:
        checker.add("services", "harus berupa daftar layanan yang tidak kosong")
    else:
        agency = data.get("agency") if isinstance(data.get("agency"), dict) else {}
        general = _check_channels(checker, agency.get("channels"), "agency.channels")
        seen: set[str] = set()
        for i, service in enumerate(services, start=1):
            name = service.get("slug") if isinstance(service, dict) else None
            checker.service = str(name or f"#{i}")
            checker.mapping(service, SERVICE, "")
            if name in seen:
                checker.add("slug", "slug layanan ganda dalam berkas ini")
            seen.add(name)
            if isinstance(service, dict):
                _check_channels(checker, service.get("channels"), "channels", general)
            for g, group in enumerate(service.get("procedure") or [], start=1):
                flow = group.get("flow") if isinstance(group, dict) else None
                if isinstance(flow, dict):
                    _check_flow_links(checker, flow, f"procedure[{g}].flow")
        checker.service = ""
    return checker.problems


def _check_channels(
    checker: _Checker, channels: Any, path: str, general: set | None = None
) -> set[tuple[str, str]]:
    """Every channel has a value; a service's own channels are not the agency's again."""
    found: set[tuple[str, str]] = set()
    for i, channel in enumerate(channels if isinstance(channels, list) else [], start=1):
        if not isinstance(channel, dict) or not isinstance(channel.get("value"), str):
            continue
        key = (channel.get("kind"), channel["value"])
        if not channel["value"].strip():
            checker.add(f"{path}[{i}].value", "isi kanal tidak boleh kosong")
        elif general is not None and key in general:
            checker.add(
                f"{path}[{i}]",
                "sama dengan kanal instansi; cantumkan di sini hanya kanal khusus layanan ini",
            )
        found.add(key)
    return found


def _check_flow_links(checker: _Checker, flow: dict, path: str) -> None:
    nodes = flow.get("nodes") or []
    ids = [str(n.get("id")) for n in nodes if isinstance(n, dict)]
    if len(ids) != len(set(ids)):
        checker.add(f"{path}.nodes", "id kotak ganda")
    for e, edge in enumerate(flow.get("edges") or [], start=1):
        if not isinstance(edge, dict):
            continue
        for end in ("from", "to"):
            if end in edge and str(edge[end]) not in ids:
                checker.add(f"{path}.edges[{e}].{end}", f"kotak '{edge[end]}' tidak ada")
