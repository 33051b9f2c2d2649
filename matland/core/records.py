"""Plain records, and the pydantic models that validate them.

Every record in matland is a dataclass made by `record`. A file (the rules, a proposal) is
validated by a pydantic model where a problem has to be reported; what the rest of matland
holds is a frozen record of the same name and fields, which needs no pydantic to build,
pickle or read. `from_model` turns a validated model into its record; `as_dict` gives a
record's fields as a model's `model_dump` gives them.
"""

from __future__ import annotations

import _thread
import dataclasses
import inspect
import sys
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar, overload

if sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # pydantic's dependency
    from typing_extensions import dataclass_transform

Kind = TypeVar("Kind", bound=type)

# What dataclasses adds to a class, by the option that makes it add it.
_MADE = {
    "init": ("__init__", *(("__replace__",) if sys.version_info >= (3, 13) else ())),
    "repr": ("__repr__",),
    "eq": ("__eq__",),
    "order": ("__lt__", "__le__", "__gt__", "__ge__"),
    "frozen": ("__setattr__", "__delattr__"),
}
_MAKING = _thread.RLock()  # a record is made once, whichever thread first uses it
_RECORDS: list[type] = []  # every record defined, made or not (make_all)


def make_all() -> int:
    """Make every record defined so far (those of every module imported): for code that
    uses records from several threads, and for a test that every definition is sound (a
    field without a default after one with, say, is found when the class is made).
    Returns how many there are."""
    for kind in list(_RECORDS):
        dataclasses.fields(kind)
    return len(_RECORDS)


@overload
def record(kind: Kind, /) -> Kind: ...


@overload
def record(
    *, frozen: bool = True, kw_only: bool = False, order: bool = False, eq: bool = True
) -> Callable[[Kind], Kind]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(
    kind: Any = None,
    /,
    *,
    frozen: bool = True,
    kw_only: bool = False,
    order: bool = False,
    eq: bool = True,
) -> Any:
    """A dataclass (frozen unless told otherwise), made when it is first used.

    `dataclasses.dataclass` writes and compiles the source of six methods for each frozen
    class, about half a millisecond a class: with some seventy records, most of a one-file
    check's start-up. A record is a dataclass in every way once made, and it is made
    the first time anything dataclasses gives it is used: building one, comparing,
    hashing or printing one, setting an attribute, `dataclasses.fields` or `replace`. Until
    then it is a plain class, so a record no run builds (the rules' records come out of
    their cache by pickle, which builds nothing) costs nothing but its class statement.

    Making a class is not atomic for other threads: while dataclasses puts its methods in
    place, a thread that reaches the class some other way than through the lock (a slot
    lookup: `==`, `hash`, a call) may see object's. matland makes records from one thread;
    code that uses them from several makes them first (`make_all`, as the live workshop's
    server does before it serves).
    """
    options = {"frozen": frozen, "kw_only": kw_only, "order": order, "eq": eq}

    def wrap(kind: Any) -> Any:
        return _deferred(kind, options)

    return wrap if kind is None else wrap(kind)


def _deferred(kind: Any, options: dict[str, bool]) -> Any:
    enabled = {"init": True, "repr": True, **options}
    stand_ins: dict[str, Any] = {}

    def made() -> None:
        with _MAKING:
            if not isinstance(kind.__dict__.get("__dataclass_fields__"), _Pending):
                return  # made already (by this thread, further up, or another)
            for name in stand_ins:
                delattr(kind, name)
            if not kind.__doc__:  # what dataclasses writes, without inspect.signature's cost
                fields = inspect.get_annotations(kind)  # inspect: dataclasses imports it
                kind.__doc__ = f"{kind.__name__}({', '.join(fields)})"
            dataclasses.dataclass(kind, **options)

    def stand_in(name: str) -> Any:
        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            made()
            return getattr(kind, name)(self, *args, **kwargs)

        method.__name__ = name
        return method

    def hash_stand_in(self: Any) -> int:
        made()
        return hash(self)  # or dataclasses' TypeError, where it makes the class unhashable

    own = kind.__dict__
    for option, names in _MADE.items():
        if enabled[option]:
            stand_ins.update((name, stand_in(name)) for name in names if name not in own)
    # dataclasses' own rule: a class that defines __eq__ alone has __hash__ None, and gets
    # the fields' hash when frozen
    if enabled["eq"] and ("__hash__" not in own or (own["__hash__"] is None and "__eq__" in own)):
        stand_ins["__hash__"] = hash_stand_in
    for name in ("__dataclass_fields__", "__dataclass_params__", "__match_args__"):
        stand_ins[name] = _Pending(kind, name, made)
    _RECORDS.append(kind)
    for name, value in stand_ins.items():
        setattr(kind, name, value)
    return kind


class _Pending:
    """What a record's `__dataclass_fields__` and `__dataclass_params__` are until it is
    made: read (by `dataclasses.fields`, `is_dataclass`, `replace`, a subclass being made),
    it makes the record and gives the real one."""

    def __init__(self, kind: type, name: str, made: Callable[[], None]) -> None:
        self._kind, self._name, self._made = kind, name, made

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        self._made()
        return self._kind.__dict__[self._name]


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
