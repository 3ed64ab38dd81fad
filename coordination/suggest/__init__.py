"""Offline SDG goal and target suggestions for initiative texts.

    >>> from coordination.suggest import suggest_goals
    >>> suggest_goals("Boreholes and hand pumps for safe drinking water").goals[0].code
    '6'

The model (TF-IDF word and character n-grams, one-vs-rest logistic regression,
target prototypes) ships in `coordination/data/sdg_model/`, is read once per
process and scored with numpy only. See that directory's MODEL_CARD.md for the
training data, licences and held-out figures.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from coordination.suggest.decision import load_decision, wording_scores
from coordination.suggest.model import SdgModel, load_model

__all__ = ["GoalSuggestion", "SdgModel", "Suggestions", "load_model", "suggest_goals"]

# Goals and targets scoring below this are not worth showing at all.
MIN_SCORE = 0.02
# A text with fewer known words than this ("COVID-19 response") never gets a
# confident code: its scores rest on too little evidence to apply unasked.
MIN_CONFIDENT_WORDS = 4


@dataclass(frozen=True, slots=True)
class GoalSuggestion:
    """One suggested goal ("6") or target ("6.1") with a score in [0, 1].

    `confident` means the score passed the threshold calibrated for high
    precision, so the platform may apply the code without asking. For goals,
    `applies` is the yes/no answer to "is this one of the work's goals?"
    (`decision.py`: few wrong answers either way); None for targets. `because`
    names the words of the text that raise the goal's score most (for a target,
    its goal's).
    """

    code: str
    score: float
    confident: bool
    applies: bool | None = None
    because: tuple[str, ...] = ()  # the words of the text its goal's score rests on most


@dataclass(frozen=True, slots=True)
class Suggestions:
    """Suggested goals and targets, each list sorted by descending score."""

    goals: list[GoalSuggestion] = field(default_factory=list)
    targets: list[GoalSuggestion] = field(default_factory=list)


def _text_of(title: str, description: str, tags: Sequence[str]) -> str:
    # The title is short and on topic; repeating it weighs it like a longer field.
    parts = [title, title, description, " ; ".join(tags)]
    return " . ".join(part for part in parts if part and part.strip())


def suggest_goals(
    title: str,
    description: str = "",
    tags: Sequence[str] = (),
    country: str | None = None,
    limit: int = 5,
) -> Suggestions:
    """Suggest SDG goals and targets for an initiative's title, description and tags.

    `country` is accepted for the service layer's convenience but not used yet:
    the model has no per-country priors. Texts in English work best; French and
    Spanish are supported through trained target texts and a domain lexicon.
    """
    del country  # reserved: see docstring
    model = load_model()
    indices, values = model.vector(_text_of(title, description, tags))
    if len(indices) == 0 or limit <= 0:
        return Suggestions()
    goal_scores = model.goal_scores(indices, values)
    enough = model.known_words(indices) >= MIN_CONFIDENT_WORDS
    target_scores = model.target_scores(indices, values, goal_scores)
    decision = load_decision()
    match = decision.match(goal_scores, wording_scores(model, indices, values))
    applies = match >= decision.threshold
    order = goal_scores.argsort()[::-1]
    # The best `limit` goals worth showing, and any other goal that applies.
    shown = [i for i in order[:limit] if goal_scores[i] >= MIN_SCORE or applies[i]]
    shown += [i for i in order[limit:] if applies[i]]
    because: dict[int, tuple[str, ...]] = {}  # per goal index: targets share their goal's words

    def because_of(goal: int) -> tuple[str, ...]:
        if goal not in because:
            because[goal] = model.evidence(indices, values, goal)
        return because[goal]

    goals = [
        GoalSuggestion(model.goal_codes[i], round(float(goal_scores[i]), 4),
                       enough and bool(goal_scores[i] >= model.goal_confident),
                       applies=bool(applies[i]), because=because_of(int(i)))
        for i in shown
    ]
    confident_goals = {g.code for g in goals if g.confident}
    targets = [
        GoalSuggestion(
            model.target_codes[i], round(float(target_scores[i]), 4),
            bool(target_scores[i] >= model.target_confident
                 and model.target_codes[i].split(".")[0] in confident_goals),
            because=because_of(int(model.target_goal[i])),
        )
        for i in target_scores.argsort()[::-1][:limit]
        if target_scores[i] >= MIN_SCORE
    ]
    return Suggestions(goals=goals, targets=targets)
