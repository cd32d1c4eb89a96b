"""Shared test settings. Every test runs in one time zone (UTC) whatever the machine's, so
expected outputs do not depend on where the suite runs (tests about zones set their own), and
as on a machine with no callcoach config: no user config file, no other CALLCOACH_* variable
from the developer's shell (a personal `pass-mark` would change results)."""
from __future__ import annotations

import os

import pytest

from callcoach import defaults


@pytest.fixture(autouse=True)
def _team_zone_is_utc_and_no_personal_config(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "xdg-config"))
    for name in list(os.environ):
        if name.startswith("CALLCOACH_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv(defaults.ENV["tz"], "UTC")
