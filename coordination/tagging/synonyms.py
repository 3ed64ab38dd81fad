"""The synonym table: which normalised labels mean the same tag, extendable by coordinators.

Keys and aliases are slugs (see `slugify_label`). A lookup tries the slug, then the slug's
words in any order ("sanitation-water" finds "water-sanitation"), then an acronym in
brackets ("Manejo de Campamentos (CCCM)" → "cccm").
"""

from __future__ import annotations

import re
from typing import Any

from coordination.tagging.builtin import BUILTIN_TAGS
from coordination.tagging.normalise import slugify_label

FORMAT_VERSION = 1
_RESOLVED_HELD = 50_000  # labels whose key a table remembers at most


def _bag(slug: str) -> str:
    """The order-free form of a slug."""
    return "-".join(sorted(set(slug.split("-"))))


class SynonymTable:
    """Alias slug → canonical key, with display labels; built-ins plus run-time extensions."""

    def __init__(self, include_builtin: bool = True) -> None:
        """Start from the built-in vocabulary unless told not to."""
        self._aliases: dict[str, str] = {}
        self._bags: dict[str, str] = {}
        # Labels resolved already (an import's thousands of records name a few dozen sectors);
        # let go whenever an alias is linked.
        self._resolved: dict[str, str] = {}
        self._labels: dict[str, str] = {}
        self._extensions: list[tuple[str, str]] = []
        self._label_overrides: dict[str, str] = {}
        if include_builtin:
            for key, (label, aliases) in BUILTIN_TAGS.items():
                self._labels[key] = label
                self._link(key, key)
                for alias in aliases:
                    self._link(slugify_label(alias), key)

    def _link(self, alias_slug: str, key: str) -> None:
        """Point an alias at a key, and re-point anything that pointed at the alias."""
        if not alias_slug:
            return
        self._resolved.clear()
        if alias_slug != key:  # merging: whatever resolved to the alias now resolves to key
            for other, target in list(self._aliases.items()):
                if target == alias_slug:
                    self._aliases[other] = key
                    self._bags[_bag(other)] = key
        self._aliases[alias_slug] = key
        self._bags[_bag(alias_slug)] = key

    def add(self, alias: str, canonical: str, label: str | None = None) -> str:
        """Make `alias` resolve to the tag of `canonical` (merging the two); returns the canonical key."""
        key = self.resolve(canonical)
        alias_slug = slugify_label(alias)
        if not alias_slug or not key:
            raise ValueError(f"cannot link empty tag labels: {alias!r} → {canonical!r}")
        if self.resolve(alias) == key:
            return key
        old_key = self.resolve(alias)
        self._link(alias_slug, key)
        if old_key != alias_slug:
            self._link(old_key, key)  # merging tags: the alias's former tag follows it
        if label:
            self._label_overrides[key] = label
        self._extensions.append((alias, canonical))
        return key

    def resolve(self, label: str) -> str:
        """The canonical key for a label (its slug when the table knows no synonym)."""
        key = self._resolved.get(label)
        if key is None:
            if len(self._resolved) >= _RESOLVED_HELD:
                self._resolved.clear()
            key = self._resolved[label] = self._resolve(label)
        return key

    def _resolve(self, label: str) -> str:
        slug = slugify_label(label)
        found = self._aliases.get(slug) or self._bags.get(_bag(slug)) if slug else None
        if found:
            return found
        # "Manejo y gestión de Campamentos (CCCM)": the bracketed part may name the tag.
        for inner in re.findall(r"\(([^()]+)\)", label):
            inner_slug = slugify_label(inner)
            if inner_slug in self._aliases:
                return self._aliases[inner_slug]
        outside = re.sub(r"\([^()]*\)", " ", label)
        if outside != label:
            outside_slug = slugify_label(outside)
            return self._aliases.get(outside_slug) or self._bags.get(_bag(outside_slug)) or slug
        return slug

    def label(self, key: str) -> str:
        """The display label of a key: an override, the built-in label, or the key in words."""
        if key in self._label_overrides:
            return self._label_overrides[key]
        if key in self._labels:
            return self._labels[key]
        words = key.replace("-", " ")
        return words[:1].upper() + words[1:]

    def keys(self) -> set[str]:
        """Every canonical key the table knows."""
        return set(self._aliases.values())

    def aliases_of(self, key: str) -> list[str]:
        """The alias slugs that resolve to a key."""
        return sorted(a for a, k in self._aliases.items() if k == key)

    def to_dict(self) -> dict[str, Any]:
        """The run-time extensions as plain data, for the service layer to persist."""
        return {
            "version": FORMAT_VERSION,
            "aliases": [{"alias": a, "canonical": c} for a, c in self._extensions],
            "labels": dict(self._label_overrides),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SynonymTable:
        """Rebuild a table: built-ins, then the stored extensions replayed in order."""
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(f"unsupported synonym table version: {data.get('version')!r}")
        table = cls()
        for entry in data.get("aliases", []):
            table.add(entry["alias"], entry["canonical"])
        table._label_overrides.update(data.get("labels", {}))
        return table


DEFAULT_TABLE = SynonymTable()


def normalise_tag(label: str, table: SynonymTable | None = None) -> str:
    """The canonical tag key for a label: rules, then synonyms ('Water & Sanitation' → 'wash')."""
    return (table or DEFAULT_TABLE).resolve(label)


def canonical_label(key: str, table: SynonymTable | None = None) -> str:
    """The display label for a canonical key ('wash' → 'Water, Sanitation and Hygiene (WASH)')."""
    return (table or DEFAULT_TABLE).label(key)
