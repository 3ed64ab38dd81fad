"""Point-in-country checks and the verdicts on real and deliberately broken coordinates."""

import time

from coordination.geo import Verdict, check_location, country_at, point_in_country


def test_nairobi_lies_in_kenya_and_not_in_uganda():
    assert point_in_country(-1.2864, 36.8172, "KE")
    assert not point_in_country(-1.2864, 36.8172, "UG")


def test_a_point_in_an_enclave_belongs_to_the_enclave_not_the_surrounding_country():
    maseru = (-29.31, 27.48)
    assert country_at(*maseru) == "LS"
    assert not point_in_country(*maseru, "ZA")


def test_countries_cut_by_the_antimeridian_still_contain_their_points():
    assert country_at(-16.6, 179.9) == "FJ" and country_at(-16.8, -179.95) == "FJ"
    assert country_at(65.5, -175.0) == "RU"


def test_crimea_is_counted_as_ukraine_as_in_iso_3166():
    assert country_at(44.95, 34.10) == "UA"


def test_nairobi_is_ok_for_kenya():
    result = check_location(-1.2864, 36.8172, "KE")
    assert result.verdict is Verdict.OK and result.ok


def test_nairobi_written_longitude_first_is_reported_as_swapped():
    result = check_location(36.8, -1.3, "KE")
    assert result.verdict is Verdict.SWAPPED
    assert result.suggested == (-1.3, 36.8)
    assert "swapped" in result.message


def test_a_swapped_point_out_of_latitude_range_is_still_recognised_as_swapped():
    kabul_swapped = (69.17, 34.53)
    assert check_location(*kabul_swapped, "AF").verdict is Verdict.SWAPPED
    assert (
        check_location(-1.3, 100.5, "ID").verdict is Verdict.OK
    )  # Sumatra: near the equator, not swapped


def test_a_point_in_the_neighbouring_country_names_that_country():
    kampala = (0.3476, 32.5825)
    result = check_location(*kampala, "KE")
    assert result.verdict is Verdict.OUTSIDE_COUNTRY
    assert result.actual_country == "UG"
    assert "Uganda" in result.message


def test_a_lost_minus_sign_is_offered_as_the_fix():
    result = check_location(1.2864, 36.8172 * -1, "KE")
    assert result.verdict is Verdict.OUTSIDE_COUNTRY
    assert result.suggested is not None and point_in_country(*result.suggested, "KE")


def test_out_of_range_coordinates_are_flagged():
    assert check_location(95.0, 10.0, "KE").verdict is Verdict.OUT_OF_RANGE
    assert check_location(10.0, 200.0).verdict is Verdict.OUT_OF_RANGE
    assert check_location(None, 10.0, "KE").verdict is Verdict.OUT_OF_RANGE
    assert check_location(float("nan"), 10.0, "KE").verdict is Verdict.OUT_OF_RANGE


def test_null_island_is_flagged_as_a_placeholder():
    result = check_location(0.0, 0.0, "KE")
    assert result.verdict is Verdict.NULL_ISLAND and not result.ok


def test_a_coastal_market_just_off_the_simplified_coast_is_accepted():
    mombasa_harbour = (-4.07, 39.70)
    assert check_location(*mombasa_harbour, "KE").verdict is Verdict.OK


def test_a_point_at_sea_far_from_the_declared_country_is_flagged_with_its_distance():
    result = check_location(-1.3, 45.0, "KE")
    assert result.verdict is Verdict.OUTSIDE_COUNTRY
    assert result.actual_country is None and result.distance_km > 100


def test_an_unknown_declared_country_is_reported_unchecked_not_wrong():
    result = check_location(-1.3, 36.8, "Atlantis")
    assert result.verdict is Verdict.UNCHECKED and result.ok


def test_without_a_declared_country_the_check_reports_where_the_point_is():
    result = check_location(-1.3, 36.8)
    assert (result.verdict, result.actual_country) == (Verdict.OK, "KE")


def test_every_wfp_market_in_honduras_lies_in_honduras():
    import csv
    from pathlib import Path

    # the first 200 markets of the WFP list and all its Honduras ones (tests/data/real/SOURCES.md)
    path = Path(__file__).resolve().parents[2] / "data" / "real" / "geo" / "wfp_markets_hxl_excerpt.csv"
    with open(path, encoding="utf-8") as f:
        rows = [
            r for r in list(csv.DictReader(f))[1:] if r["countryiso3"] == "HND" and r["latitude"]
        ]
    assert len(rows) == 274
    assert all(check_location(float(r["latitude"]), float(r["longitude"]), "HND").ok for r in rows)


def test_a_check_costs_well_under_a_millisecond():
    check_location(-1.3, 36.8, "KE")  # load the outlines once
    start = time.perf_counter()
    for _ in range(200):
        check_location(-1.3, 36.8, "KE")
    assert (time.perf_counter() - start) / 200 < 0.005
