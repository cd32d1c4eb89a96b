"""Every test runs as on a machine with no callcoach config: no user config file, no
CALLCOACH_* variables from the developer's shell (a personal `pass-mark` would change
results)."""
from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _no_personal_config(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "xdg-config"))
    for name in list(os.environ):
        if name.startswith("CALLCOACH_"):
            monkeypatch.delenv(name)
