"""Safe access to an untrusted submissions folder.

Submissions are *data*: they are read as bytes, parsed as JSON and nothing else. They are never
executed, never imported, and nothing inside them is ever used as a path. Every path the
leaderboard touches is a directory entry it listed itself, resolved and checked to lie inside
the submissions folder; a symlink that points outside is refused, and files are read with a
size cap.

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / "a.jsonl").write_text('{"doc_id": "d1"}\\n', encoding="utf-8")
>>> inside(root, root / "a.jsonl").name
'a.jsonl'
>>> read_bounded(root, root / "a.jsonl", max_bytes=100)
b'{"doc_id": "d1"}\\n'
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["DEFAULT_MAX_BYTES", "METADATA_MAX_BYTES", "UnsafePath", "inside", "read_bounded"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
"""Largest predictions file read by default (50 MiB; ``--max-bytes`` changes it)."""

METADATA_MAX_BYTES = 64 * 1024
"""Largest metadata file read (64 KiB: a few short strings)."""


class UnsafePath(ValueError):
    """A path that must not be read: outside the submissions folder, not a regular file, or too large."""


def inside(root: Path, candidate: Path) -> Path:
    """The resolved ``candidate`` if it is a regular file or folder inside ``root``; else :class:`UnsafePath`.

    ``root`` must already be resolved. Symlinks are followed only to see where they point: a link
    whose target lies outside ``root`` (``../../etc/passwd``, an absolute path) is refused, and
    so is a dangling link or anything that is not a plain file or folder (devices, FIFOs, sockets).
    """
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError) as error:  # dangling link, link loop, permission
        raise UnsafePath(f"{candidate.name}: cannot be resolved "
                         f"({error.__class__.__name__}: {error})") from None
    if resolved != root and not resolved.is_relative_to(root):
        raise UnsafePath(f"{candidate.name}: points outside the submissions folder; symlinks must stay "
                         "inside it (where it points is not shown)")
    mode = resolved.stat().st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise UnsafePath(f"{candidate.name}: is not a regular file or folder")
    return resolved


def read_bounded(root: Path, candidate: Path, max_bytes: int) -> bytes:
    """The bytes of a file inside ``root``, refusing files larger than ``max_bytes``.

    The path is checked with :func:`inside`, then opened with ``O_NOFOLLOW`` (where the OS has it)
    so that a link swapped in after the check is not followed, and the size is checked on the open
    file and while reading (a file that grows is cut off and refused, not read without end).
    """
    resolved = inside(root, candidate)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(resolved, flags)
    except OSError as error:
        raise UnsafePath(f"{candidate.name}: cannot be opened ({error.strerror})") from None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePath(f"{candidate.name}: is not a regular file")
        if info.st_size > max_bytes:
            raise UnsafePath(f"{candidate.name}: is {info.st_size:,} bytes, over the {max_bytes:,}-byte "
                             "limit (submit only the predictions, or raise --max-bytes)")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnsafePath(f"{candidate.name}: grew past the {max_bytes:,}-byte limit while being read")
    return data
