"""Whether the live workshop's web stack (the `serve` extra) is installed, asked without
importing it: `matland --version` and every other command stay as fast as without it."""

from __future__ import annotations

import importlib.util

WEB_STACK = ("starlette", "uvicorn", "jinja2", "segno")


def missing_web_stack() -> str:
    """The packages of the extra that are not installed, named for the message ('' if none)."""
    return ", ".join(name for name in WEB_STACK if importlib.util.find_spec(name) is None)
