"""Small text helpers: slugs and matching keys."""
from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case without accents, whitespace collapsed."""
    nfkd = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in nfkd if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).strip().lower()


def slugify(text: str, limit: int = 60) -> str:
    """URL-safe slug: "Médecins Sans Frontières" → "medecins-sans-frontieres"."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:limit].rstrip("-") or "org"


def name_key(name: str) -> str:
    """Key to match organisation names across files: folded, punctuation dropped."""
    return re.sub(r"[^a-z0-9]+", " ", fold(name)).strip()
