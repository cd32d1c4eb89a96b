"""Shared test settings: every test runs in one time zone (UTC) whatever the machine's, so
expected outputs do not depend on where the suite runs. Tests about zones set their own."""
from __future__ import annotations

import pytest

from callcoach import defaults


@pytest.fixture(autouse=True)
def _team_zone_is_utc(monkeypatch):
    monkeypatch.setenv(defaults.ENV["tz"], "UTC")
    monkeypatch.delenv(defaults.ENV["rubric_id"], raising=False)
