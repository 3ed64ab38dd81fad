"""Load the open SDG resources in ../shared/data as labelled documents for training.

Only resources whose licence allows shipping a model trained on them are read:
IATI/UN goal, target and indicator texts (CC BY 4.0 / MIT), open-sdg EN/FR/ES
texts (MIT), Aurora queries v5 (CC BY 4.0), Bergen SDG strings (CC BY 4.0),
SDGmapR keyword tables SDSN, CMU-250 and per-target keywords (MIT), the CORE
ORO gold set and Aurora survey set (MIT, survey upstream CC BY 4.0), ZORA (CC0)
and publisher-labelled IATI activities (published under open licences).
Deliberately NOT read: text2sdg (GPL-3), osdg-mapping (LGPL-3), the Auckland list
(no licence) and the Elsevier 2021 files (licence not verified).
"""
from __future__ import annotations

import ast
import csv
import glob
import json
import random
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SDG = DATA / "sdg"
RES = DATA / "sdg-resources"
IATI = DATA / "iati"

GOALS = [str(g) for g in range(1, 18)]


@dataclass
class Doc:
    """One training or evaluation text with its goal and target labels."""

    text: str
    goals: frozenset[str]
    targets: frozenset[str] = frozenset()
    source: str = ""
    lang: str = "en"
    meta: dict = field(default_factory=dict)


def _goal_of(code: str) -> str:
    return code.split(".")[0]


def target_texts() -> dict[str, dict[str, str]]:
    """{target code: {lang: official text}} for EN, FR (IATI) and ES (open-sdg)."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    root = ET.parse(SDG / "iati-xml" / "UNSDG-Targets.xml").getroot()
    lang_attr = "{http://www.w3.org/XML/1998/namespace}lang"
    for item in root.iter("codelist-item"):
        code = item.findtext("code").strip().lower()
        for narrative in item.find("name").iter("narrative"):
            out[code][narrative.get(lang_attr, "en")] = " ".join(narrative.text.split())
    for line_key, text in _yaml_flat(SDG / "open-sdg-yaml" / "global_targets.es.yml").items():
        out[line_key.replace("-title", "").replace("-", ".")]["es"] = text
    return dict(out)


def _yaml_flat(path: Path) -> dict[str, str]:
    """Parse the flat `key: value` YAML of open-sdg (values may wrap onto indented lines)."""
    out: dict[str, str] = {}
    key = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(" ") and ":" in line:
            key, _, value = line.partition(":")
            out[key] = value.strip()
        elif key and line.strip():
            out[key] += " " + line.strip()
    return {k: v.strip().strip("'\"") for k, v in out.items()}


def goal_texts() -> list[Doc]:
    """Goal titles and short names in EN/FR/ES."""
    docs = []
    for lang in ("en", "fr", "es"):
        flat = _yaml_flat(SDG / "open-sdg-yaml" / f"global_goals.{lang}.yml")
        for goal in GOALS:
            text = f"{flat[f'{goal}-short']}. {flat[f'{goal}-title']}"
            docs.append(Doc(text, frozenset([goal]), source="goal-text", lang=lang))
    return docs


def target_docs() -> list[Doc]:
    """Official target texts (EN, FR, ES) and indicator texts (EN)."""
    docs = []
    for code, by_lang in target_texts().items():
        for lang, text in by_lang.items():
            docs.append(Doc(text, frozenset([_goal_of(code)]), frozenset([code]), "target-text", lang))
    with open(SDG / "codeforiati-json-csv" / "UNSDG-Indicators.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            target = row["category"].lower()
            docs.append(Doc(row["name"], frozenset([_goal_of(target)]), frozenset([target]),
                            "indicator-text"))
    return docs


_SCOPUS_NOISE = re.compile(r"TITLE-ABS-KEY|AUTHKEY|\b(?:AND NOT|AND|OR|W/\d+|PRE/\d+)\b|[(){}\"*?]")


def aurora_docs() -> list[Doc]:
    """Aurora v5: per target, its description plus the terms of its Scopus query lines."""
    docs = []
    ns = {"aqd": "http://aurora-network.global/queries/namespace/",
          "dc": "http://dublincore.org/documents/dcmi-namespace/"}
    for path in sorted(glob.glob(str(RES / "keywords" / "aurora-sdg-queries-v5" / "query_SDG*.xml"))):
        root = ET.fromstring(Path(path).read_bytes())
        for definition in root.iter(f"{{{ns['aqd']}}}query-definition"):
            targets = set()
            for ident in definition.iter(f"{{{ns['dc']}}}identifier"):
                m = re.search(r"/sdg/(\d+\.[0-9a-z]+)$", (ident.text or "").strip().lower())
                if m:
                    targets.add(m.group(1))
            if not targets:
                continue
            desc = " ".join(t.text or "" for t in definition.iter(f"{{{ns['aqd']}}}subquery-description"))
            lines = [_SCOPUS_NOISE.sub(" ", q.text or "")
                     for q in definition.iter(f"{{{ns['aqd']}}}query-line")]
            terms = " ".join(" ".join(lines).split())
            goals = frozenset(_goal_of(t) for t in targets)
            docs.append(Doc(" ".join(desc.split()), goals, frozenset(targets), "aurora-desc"))
            docs.append(Doc(terms, goals, frozenset(targets), "aurora-query"))
    return docs


_WOS_NOISE = re.compile(r"\bTS=|\b(?:NEAR/\d+|AND|OR|NOT)\b|[()\"*$`>#=]|https?://\S+|<[^>]+>")


def bergen_docs() -> list[Doc]:
    """Bergen SDG strings: one document per target section (prose + query terms)."""
    docs = []
    for path in sorted(glob.glob(str(RES / "keywords" / "bergen-sdg-strings" / "SDG*_query_*_WoS.md"))):
        text = Path(path).read_text(encoding="utf-8")
        for section in re.split(r"\n### Target ", text)[1:]:
            code = section.split()[0].strip().lower()
            if not re.fullmatch(r"\d+\.[0-9a-z]+", code):
                continue
            body = section.split("\n## ")[0]
            clean = " ".join(_WOS_NOISE.sub(" ", body).split())
            docs.append(Doc(clean, frozenset([_goal_of(code)]), frozenset([code]), "bergen"))
    return docs


def keyword_docs(seed: int = 7, per_goal: int = 60, bag: int = 8) -> list[Doc]:
    """SDGmapR keyword tables expanded into pseudo-documents.

    Every keyword is its own short document (so one-word inputs and tags work),
    and random bags of `bag` keywords of the same goal imitate a longer text.
    """
    rng = random.Random(seed)
    base = RES / "keywords" / "sdgmapr"
    by_goal: dict[str, list[str]] = defaultdict(list)
    with open(base / "sdsn_keywords.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            by_goal[row["goal"]].append(row["keyword"])
    with open(base / "cmu250_keywords_cleaned.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            by_goal[row["goal"]].append(row["keyword"])
    docs = []
    with open(base / "sdg_targets_cleaned.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            m = re.match(r"(\d+)\.\d+(?: \((\d+\.[a-z])\))?", row["Target"])
            code = m.group(2) or m.group(0)
            goal = _goal_of(code)
            words = [k.strip() for k in row["Keywords"].split(",") if k.strip()]
            by_goal[goal].extend(words)
            docs.append(Doc(", ".join(words), frozenset([goal]), frozenset([code]), "target-keywords"))
    for goal, words in sorted(by_goal.items()):
        words = sorted(set(words))
        for word in words:
            docs.append(Doc(word, frozenset([goal]), source="keyword"))
        for _ in range(per_goal):
            docs.append(Doc(", ".join(rng.sample(words, min(bag, len(words)))), frozenset([goal]),
                            source="keyword-bag"))
    return docs


def _sdg_labels(raw: str) -> frozenset[str]:
    return frozenset(str(int(label[3:])) for label in ast.literal_eval(raw.strip()))


def oro_gold() -> list[Doc]:
    """CORE/ORO gold set: 514 papers, multi-label, human-annotated."""
    docs = []
    path = RES / "labelled" / "core-sdg-classification" / "oro_gold_dataset.txt"
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) < 4:
            continue
        text = f"{parts[1]}. {' '.join(parts[2:-1])}"
        docs.append(Doc(text, _sdg_labels(parts[-1]), source="oro-gold", meta={"id": parts[0]}))
    return docs


def aurora_survey() -> list[Doc]:
    """Aurora survey: 5,695 papers judged relevant to the SDG they were surveyed under."""
    docs = []
    path = RES / "labelled" / "core-sdg-classification" / "aurora_survey_final.txt"
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) < 4 or not parts[-1].strip().startswith("["):
            continue
        text = f"{parts[1]}. {' '.join(parts[2:-1])}".strip()
        docs.append(Doc(text, _sdg_labels(parts[-1]), source="aurora-survey", meta={"id": parts[0]}))
    return docs


def zora() -> list[Doc]:
    """ZORA (UZH) publications; a paper listed under two SDGs becomes one multi-label doc."""
    path = RES / "labelled" / "zora-uzh" / "zora_original.tsv"
    merged: dict[str, tuple[str, set[str]]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            goal = str(int(float(row["SDG"].replace("\u00a0", " ").split()[-1])))
            key = row["Citation"].strip()
            text = f"{key} {row.get('Abstract') or ''}".strip()
            merged.setdefault(key, (text, set()))[1].add(goal)
    return [Doc(t, frozenset(g), source="zora") for t, g in merged.values()]


def iati_activities() -> list[Doc]:
    """Publisher-labelled IATI activities (SDG tags vocab 2/3, sectors vocab 7/8)."""
    targets = set(target_texts())
    docs = []
    for path in sorted(glob.glob(str(IATI / "dportal-ocha-iati-viz" / "**" / "*.xml"), recursive=True)):
        root = ET.parse(path).getroot()
        for act in root.iter("iati-activity"):
            goals, tcodes = set(), set()
            for el in list(act.findall("tag")) + list(act.findall("sector")):
                vocab = el.get("vocabulary")
                code = (el.get("code") or "").strip().lower()
                kind = {"2": "goal", "7": "goal", "3": "target", "8": "target"}.get(vocab or "")
                if kind == "goal" and code in GOALS:
                    goals.add(code)
                elif kind == "target" and code in targets:
                    tcodes.add(code)
                    goals.add(_goal_of(code))
            if not goals:
                continue
            langs, parts = set(), []
            for tag in ("title", "description"):
                for el in act.findall(tag):
                    for nar in el.iter("narrative"):
                        if nar.text and nar.text.strip():
                            parts.append(nar.text.strip())
                            lang = next((v for k, v in nar.attrib.items() if k.endswith("lang")), "en")
                            langs.add(lang.lower()[:2])
            text = " ".join(" ".join(parts).split())
            if len(text) < 20:
                continue
            ident = act.findtext("iati-identifier") or ""
            publisher = act.find("reporting-org").get("ref") if act.find("reporting-org") is not None else ""
            lang = "en" if "en" in langs or not langs else min(langs)
            docs.append(Doc(text, frozenset(goals), frozenset(tcodes), "iati", lang,
                            {"id": ident, "publisher": publisher, "file": Path(path).name}))
    return docs


def dump_stats() -> None:
    """Print document counts per loader (a quick sanity check)."""
    for name, fn in [("goal", goal_texts), ("target", target_docs), ("aurora", aurora_docs),
                     ("bergen", bergen_docs), ("keywords", keyword_docs), ("oro", oro_gold),
                     ("survey", aurora_survey), ("zora", zora), ("iati", iati_activities)]:
        docs = fn()
        print(name, len(docs), json.dumps(docs[0].text[:120]), sorted(docs[0].goals))


if __name__ == "__main__":
    dump_stats()
