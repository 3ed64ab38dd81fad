"""The status filter (SQL) and every read (Python) work the status out of the dates alike, to the day."""
from __future__ import annotations

import itertools
from datetime import timedelta

from coordination import vocab
from coordination.models import Initiative
from coordination.status import effective_status, status_clause, today

from ..factories import make_initiative, make_organisation


def test_the_filter_finds_exactly_the_initiatives_whose_read_status_it_names(session):
    org = make_organisation(session)
    day = today()
    dates = [None, day - timedelta(days=1), day, day + timedelta(days=1)]
    for start, end in itertools.product(dates, dates):
        if start and end and end < start:
            continue
        for status in (None, "suspended"):
            make_initiative(session, org, status=status, start=start and start.isoformat(),
                            end=end and end.isoformat())
    initiatives = session.query(Initiative).all()
    read = {i.id: effective_status(i.status, i.start_date, i.end_date, day)[0] for i in initiatives}
    assert {read[i.id] for i in initiatives if i.start_date == day and i.end_date == day and not i.status} == \
        {"implementation"}  # a one-day effort is under way on its day
    for name in vocab.STATUS_CODES:
        found = {i.id for i in session.query(Initiative).filter(status_clause(name, day))}
        assert found == {i for i, status in read.items() if status == name}, name
