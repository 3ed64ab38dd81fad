"""Reporting periods: read from what people write, conservatively, and never overlapping."""
from __future__ import annotations

from datetime import date

import pytest

from coordination.convergence.scoring import score_pair
from coordination.formats.hxl_period import find_period, parse_period, period_of_file
from tests.unit.convergence.factories import make_record


@pytest.mark.parametrize("name, first, last", [
    ("afghanistan_3w_operational_presence_january_march_2024.csv", "2024-01-01", "2024-03-31"),
    ("afghanistan_who_does_what_where_july_to_september_2021.csv", "2021-07-01", "2021-09-30"),
    ("somalia-3w-Jan-Mar 2023.csv", "2023-01-01", "2023-03-31"),
    ("3w_q4_2022.csv", "2022-10-01", "2022-12-31"),
    ("3W 2020 Q2.csv", "2020-04-01", "2020-06-30"),
])
def test_a_file_name_with_two_months_and_a_year_or_a_quarter_names_its_period(name, first, last):
    period = find_period(name, f"file name {name!r}")
    assert period is not None
    assert (period.start.isoformat(), period.end.isoformat()) == (first, last)


@pytest.mark.parametrize("name", [
    "whowhatwhere_345w_el_salvador.csv",  # no period at all
    "3w_march_2024.csv",  # one month and a year: maybe a publication date
    "decision_may_2024.csv",  # "dec" inside a word is not December
    "3w_october_march_2024.csv",  # backwards within a year: not guessed across years
    "jan_mar_2023_and_apr_jun_2023.csv",  # two periods: which one?
    "summary_2024.csv",  # a year is not a period
])
def test_names_that_do_not_say_one_period_plainly_give_none(name):
    assert find_period(name, "file name") is None


def test_a_title_row_above_the_headers_names_the_period_when_the_name_does_not():
    period = period_of_file("upload.csv", [["Afghanistan 3W - July to September 2021", "", ""]])
    assert period is not None and period.start == date(2021, 7, 1) and period.source.startswith("title row")
    assert period_of_file("upload.csv", [["Afghanistan 3W", ""]]) is None


@pytest.mark.parametrize("text, first, last", [
    ("2024-01..2024-03", date(2024, 1, 1), date(2024, 3, 31)),
    ("2024-01-15..2024-03-10", date(2024, 1, 15), date(2024, 3, 10)),
    ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
    ("2024q3", date(2024, 7, 1), date(2024, 9, 30)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2023-11..2024-02", date(2023, 11, 1), date(2024, 2, 29)),
])
def test_a_period_given_at_import_is_read_in_the_forms_the_help_names(text, first, last):
    period = parse_period(text)
    assert (period.start, period.end, period.source) == (first, last, "given at import")


@pytest.mark.parametrize("text", ["2024-03..2024-01", "2020-01..2024-01", "2024-13", "2024-Q5", "Q1", "",
                                  "2024-02-01..2024-02-30", "2024-03-10..2024-03-01"])
def test_a_period_that_is_backwards_too_long_or_not_a_date_is_refused_with_the_accepted_forms(text):
    with pytest.raises(ValueError, match="2024-01..2024-03"):
        parse_period(text)


def test_identical_work_in_two_adjacent_quarters_is_not_an_overlap():
    q3 = make_record(start=date(2021, 7, 1), end=date(2021, 9, 30))
    q4 = make_record(start=date(2021, 10, 1), end=date(2021, 12, 31))
    same_quarter = make_record(start=date(2021, 7, 1), end=date(2021, 9, 30))
    assert score_pair(q3, q4).score == 0.0
    assert score_pair(q3, same_quarter).score > 0.48
