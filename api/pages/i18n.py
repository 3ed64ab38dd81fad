"""Strings ready for translation: `_()` marks them; today it only interpolates (English first).

A catalogue (Babel or gettext) can replace these two functions without touching the templates.
"""
from __future__ import annotations


def _(text: str, **values: object) -> str:
    """The translated text with `%(name)s` placeholders filled in."""
    return text % values if values else text


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    """Singular or plural form for `n`; `%(num)s` is n."""
    return (singular if n == 1 else plural) % {"num": n, **values}
