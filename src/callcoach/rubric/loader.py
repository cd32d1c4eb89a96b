"""Load a rubric file: safe YAML that remembers where every key and value was written, then the
Pydantic models, with every problem of the file reported at once as `path:line:col: message`.

    >>> rubric = load_rubric("rubrics/meddicc.yaml")          # doctest: +SKIP
    >>> loaded = parse_rubric(text, "inline.yaml")            # rubric + where each value sits

YAML is composed into nodes (never constructed with arbitrary tags; `safe_yaml` limits nesting,
aliases, tags and numbers) and turned into plain data by hand, so duplicate keys can be caught
(PyYAML silently keeps the last one) and each key's line and column kept. Pydantic's errors are then mapped back to those positions and rewritten
in plain words, with a "did you mean" computed against the keys and values allowed at that
exact place in the model.
"""
from __future__ import annotations

import copy
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union

import yaml
from pydantic import BaseModel, ValidationError

from callcoach.errors import RubricError
from callcoach.files import MAX_YAML_BYTES, FileTooLarge, read_bytes
from callcoach.safe_yaml import GuardedLoader, described
from callcoach.rubric.findings import Finding, sorted_findings
from callcoach.suggest import did_you_mean, hint_text
from callcoach.rubric.model import (ID_PATTERN, Anchors, Before, Criterion, Example, Rubric,
                                    Step, Trigger, Within)
from callcoach.scoring.checks import CHECKS

Loc = tuple[Union[str, int], ...]

# How a message names the mapping a key sits in ("unknown key 'x' in a step").
_PLACE = {Rubric: "at the top level", Criterion: "in a criterion", Anchors: "in anchors",
          Step: "in a step", Before: "in before", Trigger: "in trigger", Within: "in within",
          Example: "in an example",
          **{check.MODEL: f"in a {name} check" for name, check in CHECKS.items()}}
_YAML_BOOL_HINT = "YAML reads yes/no/on/off/true/false as a boolean: put it in quotes"


@dataclass(frozen=True, slots=True)
class Position:
    line: int
    column: int


@dataclass(slots=True)
class SourceMap:
    """Where each key and value of the file was written, by path (`("criteria", 0, "weight")`)."""

    keys: dict[Loc, Position] = field(default_factory=dict)
    values: dict[Loc, Position] = field(default_factory=dict)

    def value(self, loc: Loc) -> Position:
        """The value at `loc`, or the closest enclosing one that exists."""
        loc = tuple(loc)
        while loc not in self.values and loc:
            loc = loc[:-1]
        return self.values.get(loc, Position(1, 1))

    def key(self, loc: Loc) -> Position:
        """The key of `loc` (the value for list items), or the closest enclosing one."""
        loc = tuple(loc)
        return self.keys.get(loc) or self.value(loc)


@dataclass(slots=True)
class LoadedRubric:
    rubric: Rubric
    source: SourceMap
    path: str
    indexes: tuple[int, ...] | None = None   # criteria's places in the file, when some were left out

    def index(self, i: int) -> int:
        """The file's criteria[...] index of `rubric.criteria[i]`."""
        return i if self.indexes is None else self.indexes[i]


def load_rubric(path: str | Path) -> Rubric:
    """Read and validate a rubric file; raise `RubricError` listing every problem in it."""
    return parse_rubric(read_text(path), str(path)).rubric


def load_rubric_text(text: str, path: str | Path = "<rubric>") -> Rubric:
    """Validate rubric YAML given as text; `path` is only used in messages."""
    return parse_rubric(text, str(path)).rubric


def read_text(path: str | Path) -> str:
    try:
        raw = read_bytes(path, MAX_YAML_BYTES)
    except FileNotFoundError:
        raise RubricError(f"{path}: no such file", hint="check the path") from None
    except IsADirectoryError:
        raise RubricError(f"{path}: is a folder, not a rubric file") from None
    except FileTooLarge as e:   # the message of a batch's file says "skipped": not here
        raise RubricError(f"{path}: {e.strerror.removesuffix(', skipped')}",
                          hint="a rubric is a few KB: is this the right file?") from None
    except OSError as e:
        raise RubricError(f"{path}: cannot read: {e.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise RubricError(f"{path}: not UTF-8 text (byte {e.start})",
                          hint="save the rubric as UTF-8") from None


def parse_rubric(text: str, path: str) -> LoadedRubric:
    """The rubric and its source map, or `RubricError` with every finding of the file."""
    loaded, findings = parse_rubric_partly(text, path)
    if loaded is not None and not findings:
        return loaded
    raise rubric_error(path, findings)


def parse_rubric_partly(text: str, path: str) -> tuple[LoadedRubric | None, list[Finding]]:
    """The load's findings and, even when there are some, as much of the rubric as can be
    read: a misspelt key or value taken as its "did you mean", a criterion that still does not
    validate left out. So `rubric lint` checks the rest of the file in the same run instead
    of one CI round trip per problem. None when not even that validates (or the YAML does
    not parse). `LoadedRubric.indexes` maps the kept criteria to their place in the file."""
    findings: list[Finding] = []
    data, source = _read_yaml(text, path, findings)
    if findings:
        return None, findings
    if not isinstance(data, dict):
        found = "an empty file" if data is None else _describe(data)
        findings.append(Finding(path, 1, 1, "error", "bad-type",
                                f"expected a rubric (a mapping with rubric: and criteria:), "
                                f"found {found}"))
        return None, findings
    _check_ids(data, source, path, findings)
    rubric = _validate(data, source, path, findings)
    if rubric is not None:
        return LoadedRubric(rubric, source, path), findings
    return _salvage(data, source, path), findings


def _salvage(data: dict, source: SourceMap, path: str) -> LoadedRubric | None:
    """`data` with each guessable mistake replaced by its guess and the criteria that still
    fail dropped, validated; None when the rest of the rubric does not validate either."""
    patched = copy.deepcopy(data)
    for _ in range(8):   # each pass fixes what the last one's errors point at
        try:
            Rubric.model_validate(patched)
            break
        except ValidationError as e:
            errors = e.errors(include_url=False)
        if not any(_repair(patched, err) for err in errors):
            break
    criteria = patched.get("criteria") if isinstance(patched.get("criteria"), list) else []
    kept = [i for i, c in enumerate(criteria) if _valid_criterion(c)]
    try:
        rubric = Rubric.model_validate({**patched, "criteria": [criteria[i] for i in kept]})
    except ValidationError:
        return None
    return LoadedRubric(rubric, source, path, tuple(kept))


def _valid_criterion(raw: Any) -> bool:
    try:
        Criterion.model_validate(raw)
        return True
    except ValidationError:
        return False


def _repair(data: dict, err: dict) -> bool:
    """Apply the "did you mean" of one error to `data`; False when there is none."""
    place = _resolve(tuple(err["loc"]))
    try:
        holder = _get(data, place.path[:-1]) if place.path else None
    except (KeyError, IndexError, TypeError):
        return False
    if not isinstance(holder, dict) or not place.path:
        return False
    key = place.path[-1]
    if err["type"] == "extra_forbidden" and place.model is not None:
        allowed = [f.alias or n for n, f in place.model.model_fields.items()]
        guess = did_you_mean(str(key), allowed, n=1, prefixes=True)
        if guess and guess[0] not in holder:
            holder[guess[0]] = holder.pop(key)
        else:
            holder.pop(key)
        return True
    if err["type"] == "literal_error":
        guess = did_you_mean(str(err.get("input")), _literals(place.annotation), n=1,
                             prefixes=True)
        if guess and holder.get(key) != guess[0]:
            holder[key] = guess[0]
            return True
    if err["type"] == "union_tag_invalid":
        check = holder.get(key)
        tag = check.get("type") if isinstance(check, dict) else None
        guess = did_you_mean(str(tag), _tags(tuple(err["loc"])), n=1, prefixes=True)
        if guess and isinstance(check, dict):
            check["type"] = guess[0]
            return True
    if err["type"] == "negative-weight" and isinstance(holder.get(key), (int, float)):
        holder[key] = -holder[key]   # the guess: a stray minus; the criterion is linted on
        return True
    return False


def rubric_error(path: str, findings: list[Finding]) -> RubricError:
    findings = sorted_findings(findings)
    n = sum(f.is_error for f in findings)
    lines = "\n".join(f"  {f}" for f in findings)
    return RubricError(f"cannot load rubric {path}: {n} problem{'s' * (n != 1)}\n{lines}",
                       findings=findings)


# --- YAML with positions -----------------------------------------------------------------

def _pos(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _read_yaml(text: str, path: str, findings: list[Finding]) -> tuple[Any, SourceMap]:
    source = SourceMap()
    loader = None
    try:
        loader = GuardedLoader(text)   # reading starts here: a NUL byte is refused at once
        node = loader.get_single_node()
        if node is None:
            return None, source
        return _build(loader, node, (), source, path, findings), source
    except yaml.MarkedYAMLError as e:
        if hasattr(e, "code"):   # a limit of the guarded loader: its own words and code
            findings.append(_yaml_finding(path, e, text))
            return None, source
        mark = e.problem_mark or e.context_mark
        started = ""
        if e.context_mark is not None and e.problem_mark is not None and \
                e.context_mark.line != e.problem_mark.line:
            started = f" (in what starts at line {e.context_mark.line + 1})"
        findings.append(Finding(path, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                                "error", "yaml-syntax",
                                f"invalid YAML: {_plain_yaml(e.problem or '')}{started}"))
    except yaml.YAMLError as e:  # reader errors: a NUL byte and the like
        findings.append(_yaml_finding(path, e, text))
    finally:
        if loader is not None:
            loader.dispose()
    return None, source


_YAML_PROBLEMS = [
    ("expected <block end>", "this line is not indented like the lines above it"),
    ("mapping values are not allowed here",
     "unexpected ':' (check the indentation, or quote text that contains ': ')"),
    ("could not find expected ':'", "expected 'key: value' (check the indentation and quotes)"),
    ("that cannot start any token", "a character that cannot start a value here (tabs: indent "
                                    "with spaces; text starting with @ or `: quote it)"),
    ("expected ',' or ']'", "a list in [...] is not closed, or an item needs quotes"),
    ("expected ',' or '}'", "a mapping in {...} is not closed, or a value needs quotes"),
    ("found unexpected end of stream", "the file ends inside a quoted text: close the quote"),
]


def _plain_yaml(problem: str) -> str:
    for needle, plain in _YAML_PROBLEMS:
        if needle in problem:
            return plain
    return problem or "cannot parse"


def _build(loader: GuardedLoader, node: yaml.Node, loc: Loc, source: SourceMap, path: str,
           findings: list[Finding]) -> Any:
    source.values.setdefault(loc, _pos(node))
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # resolves `<<: *anchor` merges, keeping their marks
        out: dict = {}
        first: dict[Any, Position] = {}
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node, path, findings)
            try:
                hash(key)
            except TypeError:
                findings.append(Finding(path, *_xy(key_node), "error", "bad-key",
                                        "a key must be a plain word, found a mapping or list"))
                continue
            if key in first:
                findings.append(Finding(
                    path, *_xy(key_node), "error", "duplicate-key",
                    f"duplicate key '{key}' (first at line {first[key].line})",
                    hint="YAML would silently keep only the last one: remove or merge them"))
                continue
            first[key] = _pos(key_node)
            source.keys[loc + (key,)] = _pos(key_node)
            out[key] = _build(loader, value_node, loc + (key,), source, path, findings)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, loc + (i,), source, path, findings)
                for i, item in enumerate(node.value)]
    return _scalar(loader, node, path, findings)


def _scalar(loader: GuardedLoader, node: yaml.Node, path: str, findings: list[Finding]) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return _Unhashable()  # a mapping or list used as a key: reported by the caller
    try:
        return loader.construct_object(node)
    except yaml.constructor.ConstructorError as e:
        _, _, message, code = described(e, "")
        findings.append(Finding(path, *_xy(node), "error", code, message))
        return node.value


def _yaml_finding(path: str, e: yaml.YAMLError, text: str) -> Finding:
    line, column, message, code = described(e, text)
    return Finding(path, line, column, "error", code, message)


class _Unhashable(list):
    """Stands for a mapping or list used as a key, which a rubric never needs."""


def _xy(node: yaml.Node) -> tuple[int, int]:
    p = _pos(node)
    return p.line, p.column


# --- checks that the schema cannot express -------------------------------------------------

def _check_ids(data: dict, source: SourceMap, path: str, findings: list[Finding]) -> None:
    """Duplicate criterion ids, and duplicate step ids within one check, are load errors: the
    scoring engine keys results and moments by them."""
    criteria = data.get("criteria")
    if not isinstance(criteria, list):
        return
    _duplicates([("criteria", i) for i in range(len(criteria))], criteria, source, path,
                findings, "criterion")
    for i, criterion in enumerate(criteria):
        check = criterion.get("check") if isinstance(criterion, dict) else None
        steps = check.get("steps") if isinstance(check, dict) else None
        if isinstance(steps, list):
            _duplicates([("criteria", i, "check", "steps", j) for j in range(len(steps))], steps,
                        source, path, findings, "step")


def _duplicates(locs: list[Loc], items: list, source: SourceMap, path: str,
                findings: list[Finding], what: str) -> None:
    seen: dict[str, Position] = {}
    for loc, item in zip(locs, items):
        ident = item.get("id") if isinstance(item, dict) else None
        if not isinstance(ident, str):
            continue
        where = source.value(loc + ("id",))
        if ident in seen:
            scope = " in this check" if what == "step" else ""
            findings.append(Finding(path, where.line, where.column, "error", f"duplicate-{what}-id",
                                    f"duplicate {what} id '{ident}'{scope} "
                                    f"(first at line {seen[ident].line})"))
        else:
            seen[ident] = where


# --- Pydantic errors in plain words ---------------------------------------------------------

def _validate(data: dict, source: SourceMap, path: str,
              findings: list[Finding]) -> Rubric | None:
    try:
        return Rubric.model_validate(data)
    except ValidationError as e:
        errors = e.errors(include_url=False)
    findings.extend(_finding(err, data, source, path) for err in errors)
    # A check whose `type` is misspelt is not validated any further by Pydantic. Validate it
    # again as the type we guess was meant, so its other problems show up in the same run.
    guesses = {}
    for err in errors:
        if err["type"] == "union_tag_invalid":
            tag = err.get("ctx", {}).get("tag")
            guess = did_you_mean(str(tag), _tags(err["loc"]), n=1, prefixes=True)
            if guess:
                guesses[tuple(err["loc"])] = guess[0]
    if guesses:
        patched = copy.deepcopy(data)
        for loc, guess in guesses.items():
            _get(patched, loc)["type"] = guess
        try:
            Rubric.model_validate(patched)
        except ValidationError as e:
            for err in e.errors(include_url=False):
                if any(tuple(err["loc"][:len(loc)]) == loc for loc in guesses) and \
                        err["type"] != "union_tag_invalid":
                    findings.append(_finding(err, patched, source, path))
    return None


def _get(data: Any, loc: Loc) -> Any:
    for part in loc:
        data = data[part]
    return data


@dataclass(slots=True)
class _Place:
    path: Loc            # the loc with union tags removed: a path into the data
    model: type | None   # the model that holds the last key, when known
    annotation: Any      # the type expected at the end of the path, when known


def _resolve(loc: Loc) -> _Place:
    """Walk the models along a Pydantic error location, dropping union tags."""
    path: list = []
    model: type | None = None
    tp: Any = Rubric
    for part in loc:
        tp = _unwrap(tp)
        members = _union_models(tp)
        if members and isinstance(part, str) and part in members:
            tp = members[part]
            continue
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            model = tp
            fields = {(f.alias or name): f for name, f in tp.model_fields.items()}
            tp = fields[part].annotation if part in fields else None
        elif typing.get_origin(tp) is list:
            tp = typing.get_args(tp)[0]
        else:
            tp = None
        path.append(part)
    return _Place(tuple(path), model, tp)


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) == 1:
                tp = args[0]
            else:
                return tp
        else:
            return tp


def _union_models(tp: Any) -> dict[str, type]:
    """For a union of checks: tag value -> model."""
    if typing.get_origin(tp) not in (Union, types.UnionType):
        return {}
    out = {}
    for member in typing.get_args(tp):
        if isinstance(member, type) and issubclass(member, BaseModel) and "type" in member.model_fields:
            for tag in typing.get_args(member.model_fields["type"].annotation):
                out[tag] = member
    return out


def _tags(loc: Loc) -> list[str]:
    return list(_union_models(_unwrap(_resolve(loc).annotation)))


def _literals(tp: Any) -> list[str]:
    tp = _unwrap(tp)
    return [str(v) for v in typing.get_args(tp)] if typing.get_origin(tp) is Literal else []


def _where(path: Loc) -> str:
    """A path as a rubric author reads it, starting inside the nearest criterion."""
    if len(path) >= 2 and path[0] == "criteria" and isinstance(path[1], int):
        path = path[2:]
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 60 else f"'{value[:57]}...'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    return repr(value)


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", value.lower()).strip("_")


def _finding(err: dict, data: dict, source: SourceMap, path: str) -> Finding:
    kind, loc, ctx = err["type"], tuple(err["loc"]), err.get("ctx", {})
    place = _resolve(loc)
    value = err.get("input")
    where = _where(place.path)
    prefix = f"{where}: " if where else ""
    pos = source.value(place.path)
    code, hint = "bad-value", None

    if kind == "extra_forbidden":
        key = place.path[-1]
        pos = source.key(place.path)
        allowed = [f.alias or n for n, f in place.model.model_fields.items()] if place.model else []
        guess = did_you_mean(str(key), allowed, n=1, prefixes=True)
        message = f"unknown key '{key}' {_PLACE.get(place.model, 'here')}"
        if guess:
            message += "; " + hint_text(guess)
        else:
            hint = "allowed here: " + ", ".join(allowed)
        code = "unknown-key"
    elif kind == "missing":
        parent = place.path[:-1]
        pos = source.value(parent)
        where = _where(parent)
        message = f"{where + ': ' if where else ''}missing key '{place.path[-1]}'"
        code = "missing-key"
    elif kind in ("union_tag_invalid", "union_tag_not_found"):
        tags = _tags(loc)
        field_ = str(ctx.get("discriminator", "'type'")).strip("'")
        if kind == "union_tag_not_found":
            message = f"{prefix}missing key '{field_}' (one of {', '.join(tags)})"
            code = "missing-key"
        else:
            try:
                holder = _get(data, place.path)
            except (KeyError, IndexError, TypeError):
                holder = None
            tag = holder.get(field_) if isinstance(holder, dict) else ctx.get("tag")
            pos = source.value(place.path + (field_,))
            guess = did_you_mean(str(tag), tags, n=1, prefixes=True)
            message = (f"{_where(place.path + (field_,))}: expected one of {', '.join(tags)}, "
                       f"found {_describe(tag)}")
            if guess:
                message += "; " + hint_text(guess)
    elif kind == "literal_error":
        allowed = _literals(place.annotation) or [
            s.strip(" '") for s in re.split(r",| or ", str(ctx.get("expected", ""))) if s.strip()]
        guess = did_you_mean(str(value), allowed, n=1, prefixes=True)
        message = f"{prefix}expected one of {', '.join(allowed)}, found {_describe(value)}"
        if guess and guess != [str(value)]:
            message += "; " + hint_text(guess)
    elif kind == "zero-weights":   # the model's own rule (Rubric._some_weight), on criteria:
        pos = source.key(("criteria",))
        message, code = err["msg"], kind
        hint = "give the criteria that count a positive weight"
    else:
        message, code, hint = _plain(kind, ctx, value, err["msg"])
        message = prefix + message
    return Finding(path, pos.line, pos.column, "error", code, message, hint)


_CUSTOM_CODES = ("negative-weight", "bad-value")


def _plain(kind: str, ctx: dict, value: Any, msg: str) -> tuple[str, str, str | None]:
    found = _describe(value)
    bool_hint = _YAML_BOOL_HINT if isinstance(value, bool) else None
    if kind in _CUSTOM_CODES:   # the model's own rules name their lint code
        return msg, kind, None
    if kind == "finite_number":
        return f"expected a finite number, found {found}", "bad-value", None
    if kind in ("float_parsing", "float_type"):
        # (an infinity never gets here: it is a finite_number error, or refused by the loader)
        return f"expected a number, found {found}", "bad-type", None
    if kind == "int_parsing_size":
        return f"expected a whole number, found one far too large ({found})", "bad-value", None
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected a whole number, found {found}", "bad-type", None
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false, found {found}", "bad-type", None
    if kind == "string_type":
        return f"expected text, found {found}", "bad-type", bool_hint
    if kind == "list_type":
        return f"expected a list, found {found}", "bad-type", \
            "write it as [a, b] or as lines starting with '- '"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping of keys, found {found}", "bad-type", None
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == ID_PATTERN:
            return (f"expected an id of lower-case letters, digits and underscores, starting "
                    f"with a letter, found {found}", "bad-id",
                    f"try '{_slug(str(value))}'" if _slug(str(value)) else None)
        return (f"expected lower-case letters, digits, '.', '-' or '_', found {found}",
                "bad-id", f"try '{_slug(str(value)).replace('_', '-')}'")
    if kind in ("greater_than_equal", "greater_than"):
        return f"expected at least {_describe(ctx.get('ge', ctx.get('gt')))}, found {found}", \
            "bad-value", None
    if kind in ("less_than_equal", "less_than"):
        return f"expected at most {_describe(ctx.get('le', ctx.get('lt')))}, found {found}", \
            "bad-value", None
    if kind == "too_short":
        return f"expected at least {ctx.get('min_length')}, found none", "bad-value", None
    if kind == "value_error":
        text = str(ctx.get("error", msg))
        return text.removeprefix("Value error, "), "bad-value", None
    return msg, "bad-value", None
