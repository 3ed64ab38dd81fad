"""The SDG goal a sector tag implies: humanitarian clusters and aid sectors mapped to goals.

3W files and many IATI activities name their sector (WASH, Protection, "Basic drinking water
supply") but no goal. A sector is strong evidence of the goal its work serves, so an
initiative without goals gets the goals of its sector tags as *suggested* goals (marked as
such, rejectable by its organisation). Cross-cutting sectors (coordination, logistics,
information management, telecommunications, accountability) imply no goal.

The cluster mapping follows the clusters' own mandates: WASH -> 6 (water and sanitation),
Health/MHPSS/SRH/HIV -> 3, Food Security/Nutrition/Agriculture -> 2, Education -> 4,
Protection/Mine action -> 16, GBV/PSEAH -> 5, Shelter/NFI/CCCM -> 11 (adequate housing,
11.1), displacement -> 10 (migration, 10.7), Early recovery/Livelihoods/Cash -> 1 (1.5
resilience, 1.3 social protection), DRR -> 13 (13.1). Aid-sector names (OECD DAC purpose
names, slugified by the tag normaliser) are matched by the words they contain.
"""
from __future__ import annotations

from collections.abc import Iterable

CLUSTER_GOALS: dict[str, tuple[str, ...]] = {
    "wash": ("6",), "health": ("3",), "mhpss": ("3",), "sexual-reproductive-health": ("3",),
    "hiv-aids": ("3",), "nutrition": ("2",), "food-security": ("2",), "fsl": ("2",),
    "food-assistance": ("2",), "agriculture": ("2",), "education": ("4",),
    "education-emergency": ("4",), "protection": ("16",), "child-protection": ("16",),
    "mine-action": ("16",), "gbv": ("5",), "pseah": ("5",), "shelter": ("11",),
    "shelter-nfi": ("11",), "nfi": ("11",), "cccm": ("11",), "idp": ("10",),
    "early-recovery": ("1",), "livelihood": ("1",), "cash": ("1",),
    "disaster-risk-reduction": ("13",),
}

# Words in an aid-sector tag key and the goal they imply, first match wins.
_SECTOR_WORDS: tuple[tuple[str, str], ...] = (
    ("water", "6"), ("sanitation", "6"), ("hygiene", "6"),
    ("health", "3"), ("disease", "3"), ("covid", "3"), ("hiv", "3"), ("medical", "3"),
    ("nutrition", "2"), ("food", "2"), ("agricultur", "2"), ("rural-development", "2"),
    ("education", "4"), ("school", "4"), ("migration", "10"), ("refugee", "10"),
    ("displace", "10"), ("energy", "7"), ("electric", "7"), ("financial", "8"),
    ("employment", "8"), ("gender", "5"), ("women", "5"), ("housing", "11"),
    ("shelter", "11"), ("climate", "13"), ("peace", "16"), ("conflict", "16"),
    ("stabiliz", "16"), ("human-rights", "16"), ("social-protection", "1"), ("poverty", "1"),
)


def goals_for_tag(key: str) -> tuple[str, ...]:
    """The SDG goal codes a normalised tag key implies (often none)."""
    if key in CLUSTER_GOALS:
        return CLUSTER_GOALS[key]
    for word, goal in _SECTOR_WORDS:
        if word in key:
            return (goal,)
    return ()


def goals_for_tags(keys: Iterable[str]) -> list[str]:
    """Distinct goal codes implied by some tag keys, in the order first implied."""
    found: list[str] = []
    for key in keys:
        for goal in goals_for_tag(key):
            if goal not in found:
                found.append(goal)
    return found
