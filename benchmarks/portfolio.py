"""A generated portfolio of cases for benchmarks: varied, reproducible, with realistic repetition.

Companies trade with the same customers over and over: parties are drawn from a pool of a few
thousand names (a few percent of them on a restricted list), items from a catalogue of a few hundred
products, dates from a few years. A fixed seed makes every run see the same cases.
"""

from __future__ import annotations

import csv
import os
import random
from pathlib import Path
from typing import Any

SHARED = Path(os.environ.get("EARCHECK_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
DESTINATIONS = ["CN", "DE", "JP", "TW", "SG", "IN", "BR", "MX", "TH", "VN", "AE", "RU", "GB", "KR", "FR", "IR", "CU"]
ECCNS = [
    "EAR99", "EAR99", "EAR99", "3A991.a", "3A001.a.1.b", "3B001.a.1", "3B001.d", "3C005", "4A994.b",
    "5A002.a", "5A992.c", "3A090.a", "3E001", "3D991", "2B999.h", "6A003.b.4", None,
]  # fmt: skip
ROLES = ["ultimate_consignee", "purchaser", "end_user", "intermediate_consignee"]
WORDS = ["Kestrel", "Osprey", "Harbor", "Granite", "Juniper", "Aster", "Meridian", "Cobalt", "Falcon", "Lumen"]
KINDS = ["Trading", "Electronics", "Systems", "Technologies", "Industrial", "Logistics", "Precision"]
FORMS = ["Co., Ltd.", "GmbH", "Ltd.", "S.A.", "Inc.", "Pte. Ltd.", "LLC"]


def listed_names(limit: int = 150) -> list[str]:
    """Real names from the Consolidated Screening List (so that screening finds them)."""
    names = []
    with (SHARED / "csl" / "consolidated.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["type"] != "Individual" and len(row["name"]) < 60:
                names.append(row["name"])
    random.Random(7).shuffle(names)
    return [*names[:limit], "Huawei Technologies Co., Ltd.", "Semiconductor Manufacturing International Corporation"]


def portfolio(count: int, seed: int = 20200915) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    clean = [f"{rng.choice(WORDS)} {rng.choice(KINDS)} {i} {rng.choice(FORMS)}" for i in range(3000)]
    listed = listed_names()
    products = []
    for number in range(400):
        origin = rng.choice(["US", "US", "US", "TW", "KR", "DE", "CN", "JP"])
        product: dict[str, Any] = {
            "id": f"p{number}",
            "eccn": rng.choice(ECCNS),
            "origin": origin,
            "value": rng.randint(5, 50000),
        }
        if origin != "US":
            product["us_content"] = rng.choice(
                [[], [{"eccn": "3A001.a.1.b", "value": product["value"] * rng.choice([0.05, 0.2, 0.4])}], None]
            )
            product["production"] = rng.choice(
                [
                    {"us_technology": [], "plant": []},
                    {"us_technology": ["3E001"], "plant": [{"us_technology": ["3E001"]}]},
                    None,
                ]
            )
        products.append(product)
    # Each customer has its country; an order goes to its ultimate consignee's country.
    customers = [(name, rng.choice(DESTINATIONS)) for name in clean] + [(name, "CN") for name in listed]
    cases = []
    for number in range(count):
        parties = []
        for index in range(rng.randint(1, 3)):
            name, country = (
                rng.choice(customers[len(clean) :]) if rng.random() < 0.04 else rng.choice(customers[: len(clean)])
            )
            role = "ultimate_consignee" if index == 0 else rng.choice(ROLES)
            parties.append({"name": name, "role": role, "country": country})
        destination = parties[0]["country"]
        items = []
        for index in range(rng.choice([1, 1, 1, 2, 3])):
            product = dict(rng.choice(products))
            product["id"] = f"line-{index + 1}"
            items.append(product)
        cases.append(
            {
                "id": f"order-{number}",
                "as_of": f"{rng.randint(2019, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "exporter": {"name": rng.choice(clean[:50]), "country": "US"},
                "parties": parties,
                "destination": destination,
                "items": items,
                "knowledge": {"for_products_of": []},
            }
        )
    return cases
