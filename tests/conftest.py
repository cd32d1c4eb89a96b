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


# -- the store's backends --------------------------------------------------------------------
# Every test that takes `db` (a new store's location) or `new_db` (a function making more)
# runs twice: on an SQLite file and on a real PostgreSQL server that the session starts
# (tests/postgres_server.py). Without psycopg or the server binaries the postgres runs skip,
# saying why.
BACKENDS = ("sqlite", "postgres")


@pytest.fixture(scope="session")
def postgres_server():
    pytest.importorskip("psycopg", reason="the postgres extra is not installed (pip install -e "
                                          "'.[test]' installs it)")
    from postgres_server import PostgresServer, find_binaries
    if find_binaries() is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql")
    server = PostgresServer.start()
    yield server
    server.stop()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def new_db(backend, tmp_path, request):
    """new_db(name) -> the location of the test's store of that name, new and empty when
    first asked for: a file under tmp_path, or a URL of a schema on the test server."""
    made: dict[str, str] = {}
    server = request.getfixturevalue("postgres_server") if backend == "postgres" else None

    def location(name: str = "coach") -> str:
        if name not in made:
            made[name] = str(tmp_path / f"{name}.db") if server is None else server.new_store()
        return made[name]
    return location


@pytest.fixture
def db(new_db) -> str:
    return new_db()
