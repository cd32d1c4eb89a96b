"""The files that ship with callcoach: the bundled rubrics and the user docs.

A wheel carries them inside the package (`callcoach/rubrics/`, `callcoach/docs/`, put there by
pyproject's force-include), so `callcoach rubric show meddicc` and `callcoach docs config`
work wherever callcoach is installed; a checkout (an editable install) reads the repository's
own `rubrics/` and `docs/`, so there is one copy of each file.
"""
from __future__ import annotations

from pathlib import Path

from callcoach.errors import UsageError

_PACKAGE = Path(__file__).resolve().parent
RUBRIC_SUFFIXES = (".yaml", ".yml")


def folder(name: str) -> Path:
    """`rubrics` or `docs`: inside the installed package, else the checkout's."""
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent.parent / name


def rubric_names() -> list[str]:
    return sorted(p.stem for p in folder("rubrics").glob("*.yaml"))


def rubric_path(value: str | Path) -> Path:
    """A rubric file the user named: the file when it exists, else a bundled rubric when
    `value` is a bare name (`meddicc`, no suffix); else a usage error listing them."""
    path = Path(value)
    if path.exists():
        return path
    if path.suffix not in RUBRIC_SUFFIXES and path.name in rubric_names():
        return folder("rubrics") / f"{path.name}.yaml"
    from callcoach.suggest import hint

    names = rubric_names()
    raise UsageError("no such rubric file, and no bundled rubric of that name", path=value,
                     key="rubric", hint=hint(path.stem, names, n=1)
                     or f"bundled rubrics: {', '.join(names)}; or give a path to a .yaml file")


def doc_pages() -> dict[str, Path]:
    """Topic ('config', 'decisions') -> its page."""
    return {p.stem.lower(): p for p in sorted(folder("docs").glob("*.md"))}


def doc_path(topic: str) -> Path:
    pages = doc_pages()
    name = topic.removesuffix(".md").lower()
    if name in pages:
        return pages[name]
    from callcoach.suggest import hint

    raise UsageError(f"no docs page {topic!r}", key="topic",
                     hint=hint(name, pages, n=1) or "pages: " + ", ".join(pages))
