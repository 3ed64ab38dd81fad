"""Tags: normalising the labels people type, and the synonym table that merges them."""

from coordination.tagging.normalise import choose_display_label, slugify_label
from coordination.tagging.synonyms import SynonymTable, canonical_label, normalise_tag

__all__ = [
    "SynonymTable",
    "canonical_label",
    "choose_display_label",
    "normalise_tag",
    "slugify_label",
]
