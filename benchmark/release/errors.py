"""The error of a release build (its own module so that every part of the build can raise it)."""

from __future__ import annotations

__all__ = ["BuildError"]


class BuildError(ValueError):
    """The build cannot go on; the message names the documents or files and the fix."""
