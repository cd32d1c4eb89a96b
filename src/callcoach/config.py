"""Where callcoach's settings come from, lowest precedence first: the user's config file
(platformdirs' config dir: `~/.config/callcoach/config.toml` on Linux), the project's
(`callcoach.toml`, or `[tool.callcoach]` in `pyproject.toml`, in the working folder or the
nearest folder above it that has one; `--config FILE` or `CALLCOACH_CONFIG` names one
instead), then `CALLCOACH_*` environment variables. An option on the command line beats all.

    # callcoach.toml
    db = "data/team.db"          # every command with a --db option
    rubric = "rubrics/discovery.yaml"
    pass-mark = 0.7

    [queue]                      # only `callcoach queue`
    fresh-hours = 72

    [session-list]               # a sub-command: its words joined by '-'
    format = "csv"

This module only reads the layers; which keys exist is the CLI's business (every option of
every command is a key, see `cli/settings.py`), so a new option is configurable with no
change here.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from callcoach.errors import UsageError

CONFIG_FILE = "callcoach.toml"
PYPROJECT = "pyproject.toml"
USER_CONFIG = "config.toml"
ENV_PREFIX = "CALLCOACH_"
CONFIG_ENV = ENV_PREFIX + "CONFIG"


@dataclass(frozen=True)
class Layer:
    """One source of settings: `values` as written (top-level keys and command sections),
    `origin` for messages ("callcoach.toml", "environment"), `base` the folder that relative
    paths in it are relative to (None: the working folder)."""

    origin: str
    values: Mapping[str, Any]
    base: Path | None = None
    text: str = field(default="", repr=False)   # the file, to point at a key's line

    def where(self, key: str, section: str | None = None) -> str:
        """'callcoach.toml:7' for a key, when its line can be found; else the origin."""
        if not self.text:
            return self.origin
        start = 0
        if section is not None:
            head = re.search(rf"^\s*\[\s*(tool\.callcoach\.)?[\"']?{re.escape(section)}[\"']?\s*\]",
                             self.text, re.M)
            start = head.end() if head else 0
        m = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", re.M).search(self.text, start)
        if m is None:
            return self.origin
        return f"{self.origin}:{self.text.count(chr(10), 0, m.start()) + 1}"


def user_config_path() -> Path:
    from platformdirs import user_config_path   # honours XDG_CONFIG_HOME

    return user_config_path("callcoach", appauthor=False) / USER_CONFIG


def project_config_path(start: Path) -> Path | None:
    """The nearest `callcoach.toml`, or `pyproject.toml` with a `[tool.callcoach]` table, in
    `start` or a folder above it; `callcoach.toml` wins in the same folder."""
    for folder in (start, *start.parents):
        own = folder / CONFIG_FILE
        if own.is_file():
            return own
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and re.search(r"^\s*\[\s*tool\.callcoach[\s.\]]",
                                             _read(pyproject), re.M):
            return pyproject
    return None


def layers(cwd: Path | None = None, *, config: Path | None = None,
           environ: Mapping[str, str] | None = None) -> list[Layer]:
    """Every layer that exists, lowest precedence first. `config`: the project file to use
    instead of searching for one (it must exist)."""
    cwd = Path.cwd() if cwd is None else cwd
    environ = os.environ if environ is None else environ
    out: list[Layer] = []
    user = user_config_path()
    if user.is_file():
        out.append(read_layer(user))
    explicit = config or (Path(environ[CONFIG_ENV]) if environ.get(CONFIG_ENV) else None)
    if explicit is not None:
        if not explicit.is_file():
            raise UsageError("no such config file", path=explicit, key="--config",
                             hint="check the path, or unset CALLCOACH_CONFIG")
        out.append(read_layer(explicit))
    else:
        found = project_config_path(cwd)
        if found is not None:
            out.append(read_layer(found))
    env = {name[len(ENV_PREFIX):].lower().replace("_", "-"): value
           for name, value in environ.items()
           if name.startswith(ENV_PREFIX) and name != CONFIG_ENV and value != ""}
    if env:
        out.append(Layer("environment", env))
    return out


def read_layer(path: Path) -> Layer:
    """A config file as a layer: a `pyproject.toml`'s `[tool.callcoach]` table, or the whole
    of any other TOML file. Bad TOML is a usage error with its line."""
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        # Python < 3.14 has the position only in the message: "... (at line 3, column 7)"
        m = re.search(r"^(.*?)\s*\(at line (\d+), column (\d+)\)$", str(e))
        message, line, column = (m.group(1), int(m.group(2)), int(m.group(3))) if m \
            else (str(e), None, None)
        raise UsageError(f"not valid TOML: {message}", path=path, line=line, column=column,
                         hint="see: callcoach docs config") from None
    if path.name == PYPROJECT:
        data = data.get("tool", {}).get("callcoach", {})
        if not isinstance(data, dict):
            raise UsageError("[tool.callcoach] must be a table", path=path)
    return Layer(str(path), data, path.parent.resolve(), text)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"cannot read the config file: {e}", path=path) from None
