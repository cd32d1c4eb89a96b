"""The one way callcoach reads YAML (rubrics, rosters, sidecars): safe loading with limits.

PyYAML's safe loader never runs code, but it expands aliases without limit (a 478-byte
"billion laughs" rubric used 4 GB), recurses once per nesting level (a 100,000-deep `[[[...`
is a RecursionError), keeps tags it does not construct, and turns `1e999` into infinity and a
10,000-digit number into a ValueError. `GuardedLoader` checks every event as the composer
reads it, before anything is built:

- nesting deeper than `MAX_DEPTH`;
- aliases that would expand the document past `MAX_NODES` values, and an alias inside the
  value it names (recursive);
- explicit tags other than YAML's plain types (`!!str`, `!!int`, ... on scalars, `!!seq`,
  `!!map` on collections): `!custom [a, b]` is refused, not silently read as a list;
- control characters in text (YAML's `"\\e"` escape would put a terminal escape sequence into
  a criterion name);

and, when scalars are constructed, numbers that are not finite or too long to read. Each
refusal is a `yaml.MarkedYAMLError` with the line and column, so every caller's usual YAML
error handling reports it; `code` says which rule (for `rubric lint`).
"""
from __future__ import annotations

import math

import yaml
from yaml.constructor import ConstructorError
from yaml.events import (AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent)

from callcoach.sanitize import has_controls, printable

MAX_DEPTH = 64          # a rubric nests 6 levels; a sidecar 1
MAX_NODES = 100_000     # values in the document once aliases are expanded (a big rubric: ~5,000)

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_COLLECTION_TAGS = {_CORE + "seq", _CORE + "map"}


class YAMLRefused(yaml.MarkedYAMLError):
    """A document refused by one of the loader's limits; `code` names the rule."""

    def __init__(self, code: str, problem: str, mark):
        super().__init__(problem=problem, problem_mark=mark)
        self.code = code


class YAMLBadValue(ConstructorError):
    """A scalar that reads as no usable value (an infinite or too-long number)."""

    code = "bad-value"


class GuardedLoader(yaml.SafeLoader):
    """`yaml.SafeLoader` with the limits above, checked as events are consumed."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._sizes: dict[str, int] = {}     # anchor -> values it stands for, expanded
        self._open: set[str] = set()         # anchors whose value is still being read
        self._stack: list[list] = [[None, 0]]  # (anchor, values so far) per open collection
        self._total = 0

    def get_event(self):
        event = super().get_event()
        if isinstance(event, CollectionStartEvent):
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise YAMLRefused("yaml-limit", f"nested more than {MAX_DEPTH} levels deep",
                                  event.start_mark)
            self._tag(event, _COLLECTION_TAGS)
            self._stack.append([event.anchor, 1])
            if event.anchor:
                self._open.add(event.anchor)
            self._count(1, event)
        elif isinstance(event, CollectionEndEvent):
            anchor, size = self._stack.pop()
            self._depth -= 1
            if anchor:
                self._sizes[anchor] = size
                self._open.discard(anchor)
            self._stack[-1][1] += size
        elif isinstance(event, ScalarEvent):
            self._tag(event, _SCALAR_TAGS)
            if has_controls(event.value):
                raise YAMLRefused("bad-value", f"a control character in text "
                                               f"({printable(event.value)[:60]!r}): remove it",
                                  event.start_mark)
            if event.anchor:
                self._sizes[event.anchor] = 1
            self._stack[-1][1] += 1
            self._count(1, event)
        elif isinstance(event, AliasEvent):
            if event.anchor in self._open:
                raise YAMLRefused("yaml-limit", f"alias *{event.anchor} is inside the value it "
                                                f"names (a recursive alias)", event.start_mark)
            size = self._sizes.get(event.anchor, 0)   # undefined: the composer says so
            self._stack[-1][1] += size
            self._count(size, event)
        return event

    def _count(self, n: int, event) -> None:
        self._total += n
        if self._total > MAX_NODES:
            raise YAMLRefused("yaml-limit", f"more than {MAX_NODES:,} values once aliases are "
                                            f"expanded: refused (a 'billion laughs' file?)",
                              event.start_mark)

    @staticmethod
    def _tag(event, allowed: set[str]) -> None:
        tag = event.tag
        if tag is None or tag == "!" or tag in allowed:
            return
        shown = "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag
        raise YAMLRefused("yaml-tag", f"tag {shown} is not allowed here: write plain YAML "
                                      f"values, without tags", event.start_mark)

    def construct_yaml_int(self, node):
        try:
            return super().construct_yaml_int(node)
        except ValueError:   # past Python's 4,300-digit limit for reading an int
            raise YAMLBadValue(None, None, f"a number of {len(node.value):,} characters is too "
                                           f"long to be a value", node.start_mark) from None

    def construct_yaml_float(self, node):
        value = super().construct_yaml_float(node)
        if not math.isfinite(value):
            raise YAMLBadValue(None, None, f"{node.value[:40]} is not a finite number",
                               node.start_mark)
        return value


GuardedLoader.add_constructor(_CORE + "int", GuardedLoader.construct_yaml_int)
GuardedLoader.add_constructor(_CORE + "float", GuardedLoader.construct_yaml_float)


def described(e: yaml.YAMLError, text: str) -> tuple[int, int, str, str]:
    """(line, column, message, finding code) of any YAML error: a limit of the guarded loader
    in its own words under its own code, anything else as invalid YAML (`yaml-syntax`)."""
    line, column, message = problem(e, text)
    code = getattr(e, "code", "yaml-syntax")
    return line, column, message if code != "yaml-syntax" else f"invalid YAML: {message}", code


def problem(e: yaml.YAMLError, text: str) -> tuple[int, int, str]:
    """(line, column, message) of any YAML error, 1-based. A reader error (a NUL byte or
    another character YAML refuses) has only a character position: it is turned into a line
    and column of `text`."""
    if isinstance(e, yaml.reader.ReaderError):
        before = text[:e.position]
        line = before.count("\n") + 1
        column = e.position - (before.rfind("\n") + 1) + 1
        char = e.character if isinstance(e.character, str) else chr(e.character)
        return line, column, (f"a character YAML does not allow ({printable(char)}): "
                              f"remove it")
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    message = getattr(e, "problem", None) or str(e)
    return (mark.line + 1 if mark else 1), (mark.column + 1 if mark else 1), message


def load(text: str):
    """Plain data from YAML text, with the limits (raises `yaml.YAMLError`)."""
    return yaml.load(text, Loader=GuardedLoader)   # noqa: S506 - GuardedLoader is a SafeLoader


def compose(text: str) -> yaml.Node | None:
    """The node tree of YAML text, with the limits (raises `yaml.YAMLError`)."""
    return yaml.compose(text, Loader=GuardedLoader)
