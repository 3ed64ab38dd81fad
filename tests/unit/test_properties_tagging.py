"""Tag normalisation: idempotent, and blind to case, accents, spacing and punctuation."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coordination.tagging import normalise_tag, slugify_label

words = st.sampled_from(["water", "sanitation", "hygiene", "education", "santé", "nutrición",
                         "food", "security", "protection", "école", "agua", "health", "cash",
                         "livelihoods", "WASH", "GBV", "shelter", "emergencies", "niños"])
labels = st.lists(words, min_size=1, max_size=4).map(" ".join)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@settings(max_examples=300)
@given(labels)
def test_normalising_a_key_again_changes_nothing(label):
    key = normalise_tag(label)
    assert normalise_tag(key) == key
    assert slugify_label(slugify_label(label)) == slugify_label(label)


@settings(max_examples=300)
@given(st.text(max_size=40))
def test_a_key_is_a_lower_case_slug(label):
    key = normalise_tag(label)
    assert key == key.strip() and key == key.lower()
    assert not any(c.isspace() for c in key)


@settings(max_examples=300)
@given(labels)
def test_case_and_accents_do_not_change_the_key(label):
    key = normalise_tag(label)
    assert normalise_tag(label.upper()) == key
    assert normalise_tag(label.lower()) == key
    assert normalise_tag(label.title()) == key
    assert normalise_tag(strip_accents(label)) == key


@settings(max_examples=300)
@given(labels, st.sampled_from(["  ", " - ", "/", ", ", " _ ", "!"]), st.sampled_from(["", " ", "!!", "."]))
def test_spacing_and_punctuation_between_words_do_not_change_the_key(label, separator, tail):
    assume(len(label.split()) > 1)
    assert normalise_tag(separator.join(label.split()) + tail) in {normalise_tag(label)}


@pytest.mark.parametrize("label", ["Co operatives", "e d", "E:A"])
def test_a_key_normalises_to_itself(label):
    key = normalise_tag(label)
    assert normalise_tag(key) == key
