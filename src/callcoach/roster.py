"""The team roster (`reps.yaml`) and speaker roles.

```yaml
reps:
  - name: Dana Ruiz
    aliases: [Dana, D. Ruiz]     # how transcripts may spell her
    team: West
    manager: Sam Lee
colleagues:                      # internal people who join calls: SEs, managers, ...
  - Priya Shah                   # a bare name, or {name, aliases, team, title, email}
  - {name: Sam Lee, aliases: [Sam]}
```

Roles: the speaker matching the call's rep (name or alias; case, whitespace, `-`, `_`
and `.` ignored) is `rep`; roster colleagues, managers and the *other* reps are `other`;
everyone else is `prospect`. A role written in the file (AGENT/CUSTOMER, REP/PROSPECT,
ParticipantRole, Gong affiliation) wins over names.
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from callcoach import safe_yaml, suggest
from callcoach.errors import MetadataError
from callcoach.files import MAX_YAML_BYTES, read_bytes
from callcoach.metadata import text_line, yaml_error

ROSTER_FILES = ("reps.yaml", "reps.yml")
_PERSON_KEYS = ("name", "aliases", "team", "manager", "title", "email")
_TOP_KEYS = ("reps", "colleagues")
_SEPARATORS = re.compile(r"[\s\-_.]+")


def name_key(name: str) -> str:
    """How names are compared: 'Dana  RUIZ', 'dana-ruiz' and 'Dana Ruiz' are one person."""
    return _SEPARATORS.sub(" ", unicodedata.normalize("NFKC", name).casefold()).strip()


@dataclass(frozen=True)
class Person:
    name: str
    aliases: tuple[str, ...] = ()
    team: str | None = None
    manager: str | None = None

    @functools.cached_property   # asked for every call read; frozen fields never change
    def keys(self) -> frozenset[str]:
        return frozenset(name_key(n) for n in (self.name, *self.aliases) if n.strip())


@dataclass(frozen=True)
class Roster:
    """Frozen and made of tuples: it travels to worker processes inside `Source`."""

    reps: tuple[Person, ...] = ()
    colleagues: tuple[Person, ...] = ()
    path: str | None = None

    def find_rep(self, name: str) -> Person | None:
        key = name_key(name)
        return next((p for p in self.reps if key in p.keys), None)

    @functools.cached_property   # every call read asks for it; frozen fields never change
    def internal_keys(self) -> frozenset[str]:
        """Everyone on our side: reps, colleagues and the reps' managers."""
        keys: set[str] = set()
        for p in (*self.reps, *self.colleagues):
            keys |= p.keys
        keys |= {name_key(p.manager) for p in self.reps if p.manager}
        return frozenset(keys)

    @functools.cached_property   # every file of a folder fingerprints with it
    def identity(self) -> str:
        """What decides roles (names and aliases, not teams), for file fingerprints."""
        body = {"reps": sorted(sorted(p.keys) for p in self.reps),
                "colleagues": sorted(sorted(p.keys) for p in self.colleagues),
                "managers": sorted(name_key(p.manager) for p in self.reps if p.manager)}
        return json.dumps(body, sort_keys=True)


def rep_keys(rep: str | None, roster: Roster | None) -> frozenset[str]:
    """Every spelling of the call's rep: the name itself plus roster aliases."""
    if not rep:
        return frozenset()
    person = roster.find_rep(rep) if roster else None
    return frozenset({name_key(rep)}) | (person.keys if person else frozenset())


def speaker_role(speaker: str, label: str | None, reps: frozenset[str],
                 internal: frozenset[str]) -> str:
    """The role of one turn's speaker. `label` is a role written in the file; 'internal'
    (Gong's affiliation) means rep-or-colleague."""
    key = name_key(speaker)
    if label in ("rep", "prospect", "other"):
        return label
    if key in reps:
        return "rep"
    if label == "internal" or key in internal:
        return "other"
    return "prospect"


# -- loading -----------------------------------------------------------------------------

def find_roster(folder: Path, root: Path) -> Path | None:
    """reps.yaml in `folder` or a parent, not above `root`."""
    folder, root = folder.resolve(), root.resolve()
    for d in (folder, *folder.parents):
        for name in ROSTER_FILES:
            if (d / name).is_file():
                return d / name
        if d == root or root not in d.parents:
            return None
    return None


def load_roster(path: Path) -> Roster:
    """Read and validate a roster; every problem is a MetadataError naming file and line."""
    text = ""
    try:
        text = read_bytes(path, MAX_YAML_BYTES).decode("utf-8-sig")
        node = safe_yaml.compose(text)
    except OSError as e:
        raise MetadataError(f"cannot read roster: {e.strerror or e}", path=path) from None
    except UnicodeDecodeError as e:
        raise MetadataError("roster is not UTF-8 text", path=path, line=text_line(e)) from None
    except yaml.YAMLError as e:
        raise yaml_error(e, path, text) from None
    if node is None:
        return Roster(path=str(path))
    top = _mapping(node, path, "the roster")
    for key in top:
        if key not in _TOP_KEYS:
            _unknown(key, top[key][0], _TOP_KEYS, path)
    reps = tuple(_person(n, path, "reps") for n in _sequence(top.get("reps"), path, "reps"))
    colleagues = tuple(_person(n, path, "colleagues")
                       for n in _sequence(top.get("colleagues"), path, "colleagues"))
    seen: dict[str, int] = {}
    for person, n in zip(reps, _sequence(top.get("reps"), path, "reps")):
        for key in person.keys:
            if key in seen:
                raise MetadataError(f"{key!r} names two reps (also on line {seen[key]})", path=path,
                                    line=n.start_mark.line + 1, key="reps",
                                    hint="each rep name and alias must be unique")
            seen[key] = n.start_mark.line + 1
    return Roster(reps, colleagues, str(path))


def _mapping(node: yaml.Node, path: Path, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        raise MetadataError(f"{what} should be a mapping", path=path, line=node.start_mark.line + 1)
    return {str(k.value): (k, v) for k, v in node.value}


def _sequence(entry: tuple[yaml.Node, yaml.Node] | None, path: Path, key: str) -> list[yaml.Node]:
    if entry is None:
        return []
    node = entry[1]
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise MetadataError(f"'{key}' should be a list", path=path, line=node.start_mark.line + 1,
                            key=key)
    return list(node.value)


def _scalar(node: yaml.Node, path: Path, key: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise MetadataError(f"'{key}' should be a non-empty text", path=path,
                            line=node.start_mark.line + 1, key=key)
    return " ".join(str(node.value).split())


def _person(node: yaml.Node, path: Path, section: str) -> Person:
    if isinstance(node, yaml.ScalarNode):
        return Person(_scalar(node, path, section))
    fields = _mapping(node, path, f"an entry of '{section}'")
    for key, (knode, _) in fields.items():
        if key not in _PERSON_KEYS:
            _unknown(key, knode, _PERSON_KEYS, path)
    if "name" not in fields:
        raise MetadataError(f"an entry of '{section}' has no name", path=path,
                            line=node.start_mark.line + 1, key=section)
    aliases: list[str] = []
    if "aliases" in fields:
        anode = fields["aliases"][1]
        items = anode.value if isinstance(anode, yaml.SequenceNode) else [anode]
        aliases = [_scalar(a, path, "aliases") for a in items]
    opt: dict[str, Any] = {k: _scalar(fields[k][1], path, k) for k in ("team", "manager") if k in fields}
    return Person(_scalar(fields["name"][1], path, "name"), tuple(aliases), **opt)


def _unknown(key: str, node: yaml.Node, allowed: tuple[str, ...], path: Path) -> None:
    raise MetadataError(f"unknown key '{key}'", path=path, line=node.start_mark.line + 1, key=key,
                        hint=suggest.hint(key, allowed, n=1) or f"allowed: {', '.join(allowed)}")
