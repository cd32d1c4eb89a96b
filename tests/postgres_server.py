"""A throwaway PostgreSQL server for the tests: `initdb` into a temporary folder, `pg_ctl`
starts it on a free port of 127.0.0.1 (its unix socket in the same folder), and each store a
test asks for is a new schema of one database (a schema is made in a millisecond, a database
in a tenth of a second); `stop` ends it and removes the folder. A real server, as a team's
would be: ICU collation for English (when the build has ICU), so a query that sorts text by
the locale instead of by code point shows up as a wrong order.

    server = PostgresServer.start()
    url = server.new_store()   # postgresql://callcoach@127.0.0.1:PORT/callcoach?options=...
    server.stop()
"""
from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

USER = "callcoach"


def find_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: on PATH, else the distribution's."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(folder, "initdb").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(owner: pwd.struct_passwd | None):
    """initdb refuses to run as root: under root, the server runs as an unprivileged user."""
    if owner is None:
        return None

    def drop() -> None:
        os.setgid(owner.pw_gid)
        os.setuid(owner.pw_uid)
    return drop


@dataclass
class PostgresServer:
    root: Path
    port: int
    bin: Path
    owner: pwd.struct_passwd | None
    _names: itertools.count = field(default_factory=lambda: itertools.count(1))

    @classmethod
    def start(cls) -> "PostgresServer":
        folder = find_binaries()
        if folder is None:
            raise RuntimeError("no initdb/pg_ctl found (apt-get install postgresql)")
        owner = None
        if os.geteuid() == 0:
            owner = next((pwd.getpwnam(n) for n in ("postgres", "nobody")
                          if _user_exists(n)), None)
        root = Path(tempfile.mkdtemp(prefix="callcoach-pg-"))
        if owner is not None:
            os.chown(root, owner.pw_uid, owner.pw_gid)
        server = cls(root, _free_port(), folder, owner)
        server._initdb()
        server._pg_ctl("start", "-w", "-t", "60", "-l", str(root / "server.log"), "-o",
                       f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 "
                       f"-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                       f"-c max_connections=200")
        server.admin(f"CREATE DATABASE {USER}")
        return server

    def _run(self, *args: str) -> None:
        result = subprocess.run(args, cwd=self.root, capture_output=True, text=True,
                                preexec_fn=_as_owner(self.owner), timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")

    def _initdb(self) -> None:
        base = [str(self.bin / "initdb"), "-D", str(self.root / "data"), "-U", USER,
                "--auth=trust", "-E", "UTF8", "--no-sync"]
        try:
            self._run(*base, "--locale-provider=icu", "--icu-locale=en-US", "--locale=C.UTF-8")
        except RuntimeError:   # a build without ICU
            shutil.rmtree(self.root / "data", ignore_errors=True)
            self._run(*base, "--locale=C.UTF-8")

    def _pg_ctl(self, *args: str) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), *args)

    def url(self, database: str = USER, schema: str | None = None) -> str:
        url = f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"
        return url + (f"?options=-csearch_path%3D{schema}" if schema else "")

    def admin(self, sql: str) -> None:
        import psycopg
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(sql)

    def new_store(self) -> str:
        """The URL of a new, empty schema: a store of its own."""
        import psycopg
        name = f"store_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return self.url(schema=name)

    def stop(self) -> None:
        try:
            self._pg_ctl("stop", "-m", "immediate", "-w")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False
