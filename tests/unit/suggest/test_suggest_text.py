"""Text folding and the French/Spanish lexicon behind the suggester's features."""
from __future__ import annotations

from coordination.suggest.features import term_counts
from coordination.suggest.tokens import content_tokens, tokens, translations
from coordination.text import fold_words


def test_accents_case_and_curly_apostrophes_are_folded_away():
    assert fold_words("Accès à l’Éducation") == "acces a l education"
    assert tokens("EDUCACIÓN básica") == ["educacion", "basica"]


def test_french_and_spanish_drinking_water_become_the_english_phrase():
    assert ["drinking", "water"] in translations(tokens("l'accès à l'eau potable"))
    assert ["drinking", "water"] in translations(tokens("acceso al agua potable"))


def test_the_longest_lexicon_phrase_wins():
    assert translations(tokens("changement climatique")) == [["climate", "change"]]


def test_stopwords_of_all_three_languages_are_not_features():
    assert content_tokens(tokens("the water of la ville and el agua")) == ["water", "ville", "agua"]


def test_translated_words_add_english_word_and_bigram_features():
    words, chars = term_counts("Accès à l'eau potable")
    assert words["w:water"] == 1 and words["b:drinking water"] == 1
    assert chars["c: wat"] == 1
