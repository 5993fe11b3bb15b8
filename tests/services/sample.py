"""A small, valid decree document for tests (the real decrees live in fixtures/).

`sample()` returns a fresh deep copy; `sample(**changes)` applies changes to its top-level
sections: a dict is merged into the section it names, key by key and recursively
(`sample(agency={"code": "X"})` changes only the agency's code), anything else replaces it
(`sample(services=[...])` gives the document exactly those services). A section the sample
lacks is added as given.
"""

import copy
import datetime as dt

SAMPLE = {
    "agency": {
        "slug": "contoh",
        "code": "CTH",
        "name": "Dinas Koperasi dan UKM Kabupaten Contoh",
        "short_name": "Diskop UKM Contoh",
        "government": "Pemerintah Kabupaten Contoh",
        "level": "kabupaten",
        "region": "Kabupaten Contoh",
        "province": "Jawa Tengah",
        "city": "Contoh",
        "address": "Jalan Merdeka No. 1",
        "phone": "(0271) 123456",
        "email": "diskop@contoh.go.id",
        "timezone": "Asia/Jakarta",
        "channels": [
            {"kind": "walk_in", "value": "Tatap muka di loket pengaduan"},
            {"kind": "email", "value": "diskop@contoh.go.id"},
        ],
        "complaint_tiers": [
            {"tier": "light", "wording": "Pengaduan ringan, selambat-lambatnya 3 Jam"},
        ],
    },
    "decree": {
        "number": "1/KPTS/2025",
        "title": "Standar Pelayanan",
        "year": 2025,
        "signed_place": "Contoh",
        "signed_date": dt.date(2025, 1, 2),
        "signatory_title": "Kepala Dinas",
        "signatory_name": "Budi",
    },
    "services": [
        {
            "slug": "konsultasi",
            "number": 1,
            "name": "Pelayanan Konsultasi",
            "requirements": [
                {"text": "Surat Tugas"},
                {"text": "Surat Kuasa jika dikuasakan", "conditional": True},
                {"text": "Alamat email", "document": False},
            ],
            "procedure": [
                {
                    "heading": "",
                    "steps": [{"text": "Datang ke loket"}, {"text": "Konsultasi"}],
                    "flow": {
                        "nodes": [{"id": "A", "text": "Datang"}, {"id": "B", "text": "Konsultasi"}],
                        "edges": [
                            {"from": "A", "to": "B"},
                            {"from": "B", "to": "A", "dashed": True, "label": "Perbaikan"},
                        ],
                    },
                }
            ],
            "timeframe": "5 Hari Kerja",
            "fee": {"amount": 0, "text": "Gratis"},
            "product": ["Hasil konsultasi"],
            "complaints": ["Pengaduan melalui loket"],
            "legal_basis": [
                {
                    "kind": "uu",
                    "number": "25",
                    "year": 2009,
                    "title": "Pelayanan Publik",
                    "text": "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
                },
            ],
            "facilities": ["Komputer"],
            "competence": [{"heading": "Kepala Bidang", "items": ["Memahami tugas"]}, "Ramah"],
            "supervision": ["Atasan langsung"],
            "staff_count": {"count": 2, "text": "2 (dua) orang"},
            "service_guarantee": ["Pelayanan cepat"],
            "security_guarantee": [],
            "evaluation": ["Setiap bulan"],
        },
        {
            "slug": "data",
            "number": 2,
            "name": "Pelayanan Data Koperasi",
            "requirements": [],
            "procedure": [],
            "timeframe": "Administrasi : 15 Menit Konsultasi : sesuai materi konsultasi",
            "fee": {"amount": 0, "text": "Rp. 0"},
            "product": ["Data"],
            "complaints": [],
            "legal_basis": [
                {
                    "kind": "uu",
                    "number": "25",
                    "year": 2009,
                    "title": "Pelayanan Publik",
                    "text": "UU 25/2009",
                },
            ],
            "facilities": [],
            "competence": [],
            "supervision": [],
            "staff_count": {"count": None, "text": ""},
            "service_guarantee": [],
            "security_guarantee": [],
            "evaluation": [],
        },
    ],
}


def _merge(base, changes):
    if not isinstance(base, dict) or not isinstance(changes, dict):
        return copy.deepcopy(changes)
    merged = copy.deepcopy(base)
    for key, value in changes.items():
        merged[key] = _merge(base[key], value) if key in base else copy.deepcopy(value)
    return merged


def sample(**changes) -> dict:
    return _merge(SAMPLE, changes)
