"""The CI rule for missing test resources: skip on a laptop, fail under CI=true, never read outside."""
from __future__ import annotations

import pytest

from tests import resources


def test_a_missing_file_skips_on_a_laptop(monkeypatch):
    monkeypatch.setattr(resources, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="tests/data/nothing-here.csv is missing"):
        resources.require_resource(resources.ROOT / "tests" / "data" / "nothing-here.csv")


def test_a_missing_file_fails_under_ci(monkeypatch):
    monkeypatch.setattr(resources, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        resources.require_resource(resources.ROOT / "tests" / "data" / "nothing-here.csv")


def test_a_file_outside_the_repository_fails_even_when_it_exists(monkeypatch, tmp_path):
    monkeypatch.setattr(resources, "IN_CI", False)
    outside = tmp_path / "shared.csv"
    outside.write_text("a,b\n")
    with pytest.raises(pytest.fail.Exception, match="outside the repository"):
        resources.require_resource(outside)


def test_a_file_in_the_repository_is_returned():
    assert resources.require_resource(resources.ROOT / "tests" / "data" / "formats" / "SOURCES.md").is_file()
