"""Plain records and the pydantic models that validate them.

A file (the rules, a proposal) is validated by a pydantic model where a problem has to be
reported; what the rest of matland holds is a frozen dataclass of the same name and fields,
which needs no pydantic to build, pickle or read. `from_model` turns a validated model into
its record; `as_dict` gives a record's fields as a model's `model_dump` gives them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from typing import Any


def from_model(value: Any, records: Mapping[str, type]) -> Any:
    """A validated model as the record of its class's name (its fields, recursively)."""
    fields = getattr(type(value), "model_fields", None)
    if fields is not None:
        kind = records[type(value).__name__]
        return kind(**{name: from_model(getattr(value, name), records) for name in fields})
    if isinstance(value, list):
        return [from_model(item, records) for item in value]
    if isinstance(value, dict):
        return {key: from_model(item, records) for key, item in value.items()}
    return value


def as_dict(
    record: Any, *, exclude: Collection[str] = (), exclude_none: bool = False
) -> dict[str, Any]:
    """A record's fields as a dict, records within it as dicts too (`model_dump`'s output)."""
    return {
        item.name: _plain(getattr(record, item.name), exclude_none)
        for item in dataclasses.fields(record)
        if item.name not in exclude and not (exclude_none and getattr(record, item.name) is None)
    }


def _plain(value: Any, exclude_none: bool) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return as_dict(value, exclude_none=exclude_none)
    if isinstance(value, list):
        return [_plain(item, exclude_none) for item in value]
    if isinstance(value, tuple):
        return tuple(_plain(item, exclude_none) for item in value)
    if isinstance(value, dict):
        return {key: _plain(item, exclude_none) for key, item in value.items()}
    return value
