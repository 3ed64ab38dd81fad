"""`json_text.dumps`, the text of the database's JSON columns: what `json.dumps` stores, and
what it refuses, in fewer microseconds."""
from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from api import create_app
from api.extensions import db
from coordination import json_text
from coordination.models import Change

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(JSON_VALUES)
def test_any_json_value_reads_back_as_json_dumps_writes_it(value):
    assert json.loads(json_text.dumps(value)) == json.loads(json.dumps(value))


@pytest.mark.parametrize("value", [
    2**70,  # beyond orjson's 64 bits
    {"note": "a lone surrogate \ud800"},
    [np.float64(0.25), np.float32(0.5).item()],  # a float subclass
    {2: "two", None: "none", True: "yes"},  # keys json.dumps turns into text
    ("a", "tuple"),
])
def test_what_orjson_will_not_write_alike_is_written_as_json_dumps_writes_it(value):
    assert json.loads(json_text.dumps(value)) == json.loads(json.dumps(value))


@dataclasses.dataclass
class _Point:
    lat: float


@pytest.mark.parametrize("value", [date(2026, 1, 1), datetime(2026, 1, 1, tzinfo=UTC), _Point(1.0),
                                   {"x": object()}, {"at": {date(2026, 1, 1)}}])
def test_what_json_dumps_refuses_is_refused(value):
    with pytest.raises(TypeError) as refused:
        json_text.dumps(value)
    with pytest.raises(TypeError) as theirs:
        json.dumps(value)
    assert str(refused.value) == str(theirs.value)


def test_what_is_left_different_is_what_the_module_says():
    """A NaN is written null (json.dumps writes a token PostgreSQL refuses); a UUID and an enum
    member are written (json.dumps refuses them)."""
    import enum
    import uuid

    class Colour(enum.Enum):
        RED = 1

    assert json_text.dumps([float("nan"), float("inf")]) == "[null,null]"
    assert json_text.dumps(uuid.UUID(int=1)) == '"00000000-0000-0000-0000-000000000001"'
    assert json_text.dumps({"c": Colour.RED}) == '{"c":1}'


def test_the_app_stores_its_json_columns_in_this_text(tmp_path):
    """The engine's serialiser: compact UTF-8 where json.dumps would write spaces and escapes."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/j.sqlite", "SECRET_KEY": "x"})
    with app.app_context():
        db.create_all()
        after = {"title": "Eau potable à Kisumu", "goals": ["6.1"], "budget": 1.5}
        db.session.add(Change(entity_type="initiative", entity_id=1, action="create", actor="test", after=after))
        db.session.commit()
        stored = db.session.execute(text("SELECT after FROM change")).scalar_one()
        assert stored == json_text.dumps(after) == '{"title":"Eau potable à Kisumu","goals":["6.1"],"budget":1.5}'
        assert db.session.scalars(db.select(Change.after)).one() == after
        db.session.remove()
        db.engine.dispose()
