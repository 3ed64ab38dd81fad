"""Kinds of work read from text in several languages; topic words alone name no kind."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from coordination.convergence import work
from coordination.convergence.work import BIT, TYPES, labels_of, work_mask, work_scores, work_types
from coordination.text import fold_any_script


@pytest.mark.parametrize("text, code", [
    ("Repair of hand-pump boreholes for refugees in Gambella", "water_supply"),
    ("Rehabilitierung von Brunnen in Gambella", "water_supply"),
    ("إعادة تأهيل شبكة المياه في مديرية المعلا", "water_supply"),
    ("Réhabilitation du réseau d'eau potable à Al Mualla", "water_supply"),
    ("Construcción de letrinas en escuelas", "sanitation"),
    ("Transferts monétaires aux ménages sinistrés", "cash_transfers"),
    ("Transferencias monetarias a familias de migrantes retornados", "cash_transfers"),
    ("Ollas comunes en Villa El Salvador", "food_assistance"),
    ("Cestas básicas para famílias de Suchitoto", "food_assistance"),
    ("Cours de rattrapage pour les enfants déplacés", "catch_up_learning"),
    ("صفوف تقوية للأطفال المتسربين من المدارس", "catch_up_learning"),
    ("Språkvänner för nyanlända", "language_learning"),
    ("الدعم النفسي والاجتماعي للأطفال", "mental_health"),
    ("Entrega de kit de método de planificación familiar", "family_planning"),
    # Arabic phrases written with hamza or madda carriers match text folded to plain letters
    ("توزيع سلال غذائية شهرية على الأسر النازحة", "food_assistance"),
    ("حفر آبار في القرى", "water_supply"),
    ("Petite irrigation maraîchère au goutte-à-goutte", "irrigation"),
    ("Weather-index crop insurance for smallholders", "savings_finance"),
    ("Work permits and job placement for refugees", "employment"),
    ("Déminage et éducation aux risques des restes explosifs", "mine_action"),
])
def test_kinds_of_work_are_read_in_any_language(text, code):
    assert code in work_types(text)


@pytest.mark.parametrize("text", [
    "COVID-19 response in Kenya", "Support to children and families", "Health programme in Nairobi",
    "Projet de développement communautaire", "", "Support to smallholders and entrepreneurs in Monze",
    "Inclusion of persons with disabilities and older people",
])
def test_a_topic_without_a_named_activity_names_no_kind_of_work(text):
    assert work_types(text) == frozenset()


def test_the_comparison_is_shared_disjoint_or_unknown():
    water, latrines, cash = (work_mask(t) for t in ("water kiosks", "latrines", "cash transfers and latrines"))
    a = np.array([water, water, latrines, 0])
    b = np.array([water | latrines, latrines * 0 + cash, cash, water])
    assert work_scores(a, b, 0.5).tolist() == [1.0, 0.0, 1.0, 0.5]


def test_every_kind_has_its_own_bit_and_a_label_in_words():
    assert len({BIT[t.code] for t in TYPES}) == len(TYPES) <= 63
    assert labels_of(work_mask("water kiosks and toilets")) == ["water supply", "sanitation and sewage"]


_PHRASES = [(re.compile(p), t.code) for t in work.TYPES for p in t.phrases if p.isascii()]


def _reference_types(folded: str) -> set[str]:
    """The plain reading the scanners must equal: at the start of each word, the first phrase of
    the typology (in its order) that matches there names the kind of work."""
    found = set()
    for start in re.finditer(r"\b\w", folded):
        for pattern, code in _PHRASES:
            if pattern.match(folded, start.start()):
                found.add(code)
                break
    return found


def _texts() -> list[str]:
    from bench.synthetic import generate
    from coordination.formats import parse_hxl, parse_iati

    texts = [f"{r.title} {r.description}" for r in generate(400, seed=5).records]
    real = Path(__file__).resolve().parents[2] / "data" / "real"
    for path in sorted((real / "iati").glob("*.xml"))[:3]:
        texts += [f"{i.record['title']} {i.record.get('description') or ''}" for i in parse_iati(path) if i.ok]
    for path in sorted((real / "hxl").glob("*.csv"))[:2]:
        texts += [f"{i.record['title']} {i.record.get('description') or ''}" for i in parse_hxl(path) if i.ok]
    # Every phrase's own examples: each type's phrases written out as plain words where they are plain.
    texts += [" ".join(re.sub(r"[\\()?:|*.]", " ", p) for p in t.phrases) for t in work.TYPES]
    return texts


def test_the_scanners_read_what_trying_every_phrase_in_order_reads():
    texts = _texts()
    assert len(texts) > 700
    named = 0
    for text in texts:
        folded = fold_any_script(text)
        expected = _reference_types(folded)
        assert work._latin_types(folded) == expected, text[:200]
        named += bool(expected)
    assert named > 250  # the corpus names kinds of work often enough for the comparison to mean something


def test_two_character_prefixes_of_phrases():
    assert work._prefixes("hand ?pumps?") == {"ha"}
    assert work._prefixes("(?:a|b)c") == {"ac", "bc"}
    assert work._prefixes("a?bc") == {"ab", "bc"}
    assert work._prefixes("x{3}") == {"xx"}
    assert work._prefixes("a\\w") is None  # not plain
    assert work._prefixes("a") is None  # shorter than two
