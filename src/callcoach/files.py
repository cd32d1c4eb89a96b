"""Opening the files others put in a folder: never block, never read without a bound.

A FIFO in a calls folder would block `open()` until someone writes to it (forever, deaf to
Ctrl-C), and a 200 MB one-line "transcript" would be read, normalised and matched whole. Every
file callcoach reads — transcripts, manifests, sidecars, rosters, rubrics, session logs — is
opened here: without blocking, refused unless it is a regular file, and refused above a size
limit, each with an `OSError` whose `strerror` says what and what to do, so the callers' usual
"cannot read: {strerror}" messages carry it.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

MiB = 1024 * 1024
MAX_FILE_BYTES = 50 * MiB   # a transcript, calls.csv or session log (a 4-hour STT JSON: ~30 MB)
MAX_YAML_BYTES = 2 * MiB    # a rubric, roster or sidecar (PyYAML reads ~1 MB/s)

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


class NotRegularFile(OSError):
    """A FIFO, socket, device or folder where a file was expected."""


class FileTooLarge(OSError):
    """A file over the size limit for what it should be."""


def size_text(n: int) -> str:
    """Bytes for people: '512 bytes', '12.3 KB', '210.0 MB' (powers of 1024, as `ls -h`).

    >>> size_text(512), size_text(50 * MiB), size_text(210_000_000)
    ('512 bytes', '50.0 MB', '200.3 MB')
    """
    if n < 1024:
        return f"{n} bytes"
    for unit in ("KB", "MB", "GB"):
        n /= 1024
        if n < 1024 or unit == "GB":
            return f"{n:.1f} {unit}"
    raise AssertionError("unreachable")


def open_file(path: str | Path, limit: int = MAX_FILE_BYTES) -> BinaryIO:
    """`path` opened for reading in binary, if it is a regular file of at most `limit` bytes.
    The open never blocks (O_NONBLOCK; it has no effect on a regular file)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
        if not stat.S_ISREG(st.st_mode):
            kind = next((name for test, name in _KINDS if test(st.st_mode)), "not a file")
            raise NotRegularFile(errno.EINVAL, f"not a regular file ({kind}); save what it "
                                               f"holds to a file", str(path))
        if st.st_size > limit:
            raise too_large(path, st.st_size, limit)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (see `open_file`)."""
    with open_file(path, limit) as f:
        data = f.read()   # sized by the file's length (read(limit + 1) allocated 50 MB a call)
    if len(data) > limit:   # it grew after the check
        raise too_large(path, len(data), limit)
    return data


def too_large(path: str | Path, size: int, limit: int) -> FileTooLarge:
    return FileTooLarge(errno.EFBIG, f"too large ({size_text(size)}; the limit is "
                                     f"{size_text(limit)} a file), skipped", str(path))
