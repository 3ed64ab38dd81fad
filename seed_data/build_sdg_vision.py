"""Build seed_data/sdg_vision.json: the UN 2030 Agenda (17 goals, 169 targets).

Sources (see seed_data/SOURCES_SDG.md): goal and target texts from the IATI UNSDG
codelists as published by codeforIATI (CC BY 4.0 "IATI Standard" / MIT), short goal
names from open-sdg/sdg-translations (MIT), official SDG colours from the UN SDG
communications guidelines. Run: python seed_data/build_sdg_vision.py [SHARED_DATA_DIR]
"""
from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from pathlib import Path

COLOURS = {
    "1": "#E5243B", "2": "#DDA63A", "3": "#4C9F38", "4": "#C5192D", "5": "#FF3A21",
    "6": "#26BDE2", "7": "#FCC30B", "8": "#A21942", "9": "#FD6925", "10": "#DD1367",
    "11": "#FD9D24", "12": "#BF8B2E", "13": "#3F7E44", "14": "#0A97D9", "15": "#56C02B",
    "16": "#00689D", "17": "#19486A",
}


def clean(text: str) -> str:
    """NFKC-normalise and collapse whitespace (the sources differ only in those)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def short_names(path: Path) -> dict[str, str]:
    """Read `N-short: Name` lines of open-sdg's global_goals YAML."""
    names = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d+)-short:\s*(.+)$", line)
        if m:
            names[m.group(1)] = m.group(2).strip().strip("'\"")
    return names


def build(shared: Path) -> dict:
    """Return the vision document."""
    base = shared / "sdg"
    shorts = {lang: short_names(base / f"open-sdg-yaml/global_goals.{lang}.yml") for lang in ("en", "fr", "es")}
    goals = []
    with open(base / "codeforiati-json-csv/UNSDG-Goals.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["code"].strip()
            title = re.sub(r"^Goal \d+\.\s*", "", clean(row["name"]))
            goals.append({
                "code": code, "title": title, "short_title": shorts["en"][code],
                "short_titles": {lang: shorts[lang][code] for lang in shorts},
                "colour": COLOURS[code], "targets": [],
            })
    by_code = {g["code"]: g for g in goals}
    with open(base / "codeforiati-json-csv/UNSDG-Targets.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            by_code[row["category"].strip()]["targets"].append(
                {"code": row["code"].strip().lower(), "title": clean(row["name"])}
            )
    return {
        "slug": "sdg",
        "name": "UN 2030 Agenda for Sustainable Development",
        "description": "The 17 Sustainable Development Goals and their 169 targets.",
        "goals": goals,
    }


if __name__ == "__main__":
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data"
    doc = build(shared)
    out = Path(__file__).with_name("sdg_vision.json")
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    n_targets = sum(len(g["targets"]) for g in doc["goals"])
    print(f"wrote {out}: {len(doc['goals'])} goals, {n_targets} targets")
