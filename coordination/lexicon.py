"""The French/Spanish lexicon of the field: one table, `coordination/data/lexicon.json`.

Descriptions arrive in English, Spanish and French. Mapping the words of the field
(agua/eau -> water, pozo/puits -> well, salud/sante -> health) onto English lets a
Spanish description match an English one without a translation model. Two readers, two
granularities of the same table (see the file's "_about"):

- `WORDS` and `STOPWORDS`: one folded, singular word -> its English canonical word, and
  the words that say nothing about the work; the convergence engine's text
  (`coordination.convergence.words`).
- `PHRASES` and `SUGGESTER_STOPWORDS`: folded phrases of one to three tokens -> English
  phrases, and the suggester's stopwords; the SDG suggester was trained with exactly these
  (`coordination.suggest.tokens`), so they change only with a retrained model.
"""
from __future__ import annotations

import json
from pathlib import Path

_DATA = json.loads((Path(__file__).resolve().parent / "data" / "lexicon.json").read_text(encoding="utf-8"))

WORDS: dict[str, str] = _DATA["words"]
STOPWORDS: frozenset[str] = frozenset(_DATA["stopwords"])
PHRASES: dict[str, str] = _DATA["phrases"]
SUGGESTER_STOPWORDS: frozenset[str] = frozenset(_DATA["suggester_stopwords"])
