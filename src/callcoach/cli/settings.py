"""Every option of every command is a setting: its key is the long option without the dashes
(`--fresh-hours` -> `fresh-hours`), its environment variable `CALLCOACH_FRESH_HOURS`. Nothing
here names an option, so a new option is configurable the day it is added.

The layers of `callcoach.config` become typer's (click's) `default_map`: a top-level key
applies to every command that has the option, a `[command]` section (`[session-list]` for
`session list`) to that command only, and a later layer beats an earlier one. Values are
checked against the option's own type before any command runs, so a bad value is an error
naming the file, the line and the key, not a surprise halfway through a nightly job.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from callcoach.config import ENV_PREFIX, Layer
from callcoach.errors import UsageError
from callcoach.suggest import did_you_mean, hint_text


@dataclass(frozen=True)
class Setting:
    key: str                    # "fresh-hours"
    path: tuple[str, ...]       # the command's words: ("session", "list")
    param: Any                  # the click/typer option

    @property
    def section(self) -> str:
        return section_name(self.path)

    @property
    def env(self) -> str:
        return env_name(self.key)


def section_name(path: tuple[str, ...]) -> str:
    return "-".join(path)


def env_name(key: str) -> str:
    return ENV_PREFIX + key.upper().replace("-", "_")


def _key(param: Any) -> str | None:
    longs = [o for o in param.opts if o.startswith("--")]
    return longs[0][2:] if longs else None


def settings(group: Any, path: tuple[str, ...] = ()) -> Iterator[Setting]:
    """Every configurable option under `group` (the root command), command by command."""
    for name in sorted(group.commands):
        command = group.commands[name]
        here = path + (name,)
        if hasattr(command, "commands"):
            yield from settings(command, here)
            continue
        for param in command.params:
            if param.param_type_name != "option" or not param.expose_value or param.is_eager:
                continue   # arguments, --help, --version
            key = _key(param)
            if key is not None:
                yield Setting(key, here, param)


def default_map(ctx: Any, layers: list[Layer], warn: Callable[[str], None] = print) -> dict:
    """The `default_map` for the root context `ctx`, from `layers` (lowest precedence first).
    Raises UsageError for an unknown key in a file or a value the option would refuse; an
    unknown `CALLCOACH_*` variable is only a warning (the environment is shared)."""
    by_key: dict[str, list[Setting]] = {}
    by_section: dict[str, dict[str, Setting]] = {}
    for s in settings(ctx.command):
        by_key.setdefault(s.key, []).append(s)
        by_section.setdefault(s.section, {})[s.key] = s
    out: dict = {}
    for layer in layers:
        # a layer's own sections beat its top-level keys, whatever order they are written in
        top = [(k, v) for k, v in layer.values.items() if not isinstance(v, dict)]
        sections = [(k, v) for k, v in layer.values.items() if isinstance(v, dict)]
        for raw, value in top:
            key = _normal(raw)
            if key not in by_key:
                if layer.origin == "environment":
                    # Only a likely misspelling is worth a warning: the library reads some
                    # CALLCOACH_* variables itself (CALLCOACH_LLM_*), and the environment is
                    # shared.
                    guess = hint_text(env_name(g) for g in did_you_mean(key, list(by_key), n=1))
                    if guess:
                        warn(f"warning: ignoring {env_name(key)}: not a callcoach setting "
                             f"({guess})")
                    continue
                raise _unknown(layer, raw, list(by_key), what="setting")
            for s in by_key[key]:
                _put(ctx, out, s, value, layer, raw, None)
        for raw_section, table in sections:
            section = _normal(raw_section)
            if section not in by_section:
                raise _unknown(layer, raw_section, list(by_section), what="command section")
            for raw, value in table.items():
                key = _normal(raw)
                if key not in by_section[section]:
                    raise _unknown(layer, raw, list(by_section[section]), what="key",
                                   section=raw_section)
                _put(ctx, out, by_section[section][key], value, layer, raw, raw_section)
    return out


def _normal(key: str) -> str:
    return key.strip().lower().replace("_", "-")


def _unknown(layer: Layer, raw: str, known: list[str], *, what: str,
             section: str | None = None) -> UsageError:
    guess = did_you_mean(_normal(raw), known, n=1)
    inside = f" in [{section}]" if section else ""
    return UsageError(f"{layer.where(raw, section)}: unknown {what} '{raw}'{inside}", key=raw,
                     hint=hint_text(guess) or "see: callcoach docs config")


def _put(ctx: Any, out: dict, s: Setting, value: Any, layer: Layer, raw: str,
         section: str | None) -> None:
    if getattr(s.param, "multiple", False) and isinstance(value, str):
        # a repeatable option from one string: a variable holds several, split on whitespace
        # as click splits its own; a file's string is one value (a file can write a list)
        value = s.param.split_envvar_value(value) if layer.origin == "environment" else [value]
    try:
        converted = s.param.process_value(ctx, value)
    except Exception as e:   # click's BadParameter (typer vendors click in newer releases)
        reason = e.format_message() if hasattr(e, "format_message") else str(e)
        where = (env_name(s.key) if layer.origin == "environment"
                 else layer.where(raw, section) + f": {raw}")
        command = " ".join(s.path)
        hint = (f"see `callcoach {command} --help`" if section or layer.origin == "environment"
                else f"fix it, or set it for some commands only, in [command] sections "
                     f"such as [{s.section}] (callcoach docs config)")
        raise UsageError(f"{where} = {value!r} is not valid for `callcoach {command}`: {reason}",
                         key=s.key, hint=hint) from None
    if layer.base is not None:
        # a path in a config file is relative to that file, wherever callcoach runs from
        if isinstance(converted, (list, tuple)):
            value = [str(layer.base / v) if isinstance(c, Path) and not c.is_absolute() else v
                     for v, c in zip(value, converted)]
        elif _relative_path(s, converted):
            value = str(layer.base / value)
    node = out
    for word in s.path:
        node = node.setdefault(word, {})
    node[s.param.name] = value


def _relative_path(s: Setting, value: Any) -> bool:
    """Is the value a relative file path? A Path option's, or the store's (`db` is text, since
    it may also be a URL: `postgresql://...`, `sqlite:///...`)."""
    if isinstance(value, Path):
        return not value.is_absolute()
    return s.param.name == "db" and isinstance(value, str) and "://" not in value \
        and not Path(value).is_absolute()


def table(group: Any) -> list[tuple[str, str, list[str], str]]:
    """(key, environment variable, commands, meaning) for every key, sorted: the docs table.
    Where commands word an option differently, the meaning says which says what."""
    rows: dict[str, tuple[str, dict[str, list[str]]]] = {}
    for s in settings(group):
        env, helps = rows.setdefault(s.key, (s.env, {}))
        text = " ".join((s.param.help or "").split())
        helps.setdefault(text, []).append(" ".join(s.path))
    out = []
    for key, (env, helps) in sorted(rows.items()):
        commands = [c for cs in helps.values() for c in cs]
        meaning = next(iter(helps)) if len(helps) == 1 else "; ".join(
            f"{', '.join(cs)}: {text}" for text, cs in helps.items())
        out.append((key, env, sorted(commands), meaning))
    return out


def markdown_table(group: Any) -> str:
    """The keys as the Markdown table in docs/config.md (scripts/update_readme.py writes it,
    tests/test_config.py checks it)."""
    everything = sorted(_all_commands(group))
    lines = ["| key | environment variable | commands | meaning |", "|---|---|---|---|"]
    for key, env, commands, meaning in table(group):
        where = "every command" if commands == everything else ", ".join(commands)
        lines.append(f"| `{key}` | `{env}` | {where} | {meaning.replace('|', '/')} |")
    return "\n".join(lines)


def _all_commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[str]:
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _all_commands(command, path + (name,))
        else:
            yield " ".join(path + (name,))
