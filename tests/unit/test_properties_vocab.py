"""Goal-code normalisation: canonical, idempotent, and blind to the spellings real data uses."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coordination.vocab import normalise_goal_code

goals = st.integers(1, 17)
subs = st.one_of(st.integers(1, 20).map(str), st.sampled_from("abcdefgABCDEFG"))


@settings(max_examples=300)
@given(st.text(max_size=20))
def test_any_text_gives_a_canonical_code_or_none(text):
    code = normalise_goal_code(text)
    if code is not None:
        goal, _, sub = code.partition(".")
        assert goal.isdigit() and str(int(goal)) == goal
        assert sub == "" or (sub.isdigit() and str(int(sub)) == sub) or (sub.isalpha() and sub.islower())
        assert normalise_goal_code(code) == code  # idempotent


@settings(max_examples=300)
@given(goals, subs, st.sampled_from(["", "SDG ", "sdg", "Goal ", "target ", "TARGET"]),
       st.sampled_from(["", " ", "  ", "\t"]), st.booleans())
def test_prefixes_padding_case_and_leading_zeros_do_not_change_the_code(goal, sub, prefix, pad, zero):
    written = f"{pad}{prefix}{'0' if zero and goal < 10 else ''}{goal}.{sub}{pad}"
    expected = f"{goal}.{sub.lower() if sub.isalpha() else int(sub)}"
    assert normalise_goal_code(written) == expected
    assert normalise_goal_code(written.upper()) == normalise_goal_code(written.lower()) == expected


@given(goals)
def test_a_goal_alone_is_its_number(goal):
    assert normalise_goal_code(str(goal)) == normalise_goal_code(f"Goal {goal}") == str(goal)
