"""`record`: a dataclass made when first used. Until then it is a plain class; whatever
first uses what dataclasses gives it (building, comparing, hashing, printing, setting an
attribute, `fields`, `replace`, a subclass) makes it, and from then on it is the dataclass
`dataclasses.dataclass` would have made."""

from __future__ import annotations

import dataclasses
import functools
import os
import pickle
import subprocess
import sys
from dataclasses import field
from pathlib import Path
from typing import Any

import pytest

from matland.core.records import record

ROOT = Path(__file__).parents[2]


def made(kind: type) -> bool:
    return not type(kind.__dict__["__dataclass_fields__"]).__name__.startswith("_Pending")


def unmade(kind: type[Any], **values: Any) -> Any:
    """An instance the way pickle builds one: no __init__, its fields put in its __dict__."""
    instance = kind.__new__(kind)
    instance.__dict__.update(values)
    return instance


def kinds() -> tuple[type[Any], type[Any], type[Any]]:
    @record
    class Point:
        x: int
        label: str = ""
        tags: tuple[str, ...] = field(default_factory=tuple)

        @functools.cached_property
        def double(self) -> int:
            return self.x * 2

    @record(kw_only=True)
    class Named:
        name: str
        point: Point

    @record(frozen=False)
    class Counter:
        n: int = 0

    return Point, Named, Counter


def test_a_record_is_made_only_when_first_used() -> None:
    Point, _, _ = kinds()
    assert not made(Point)
    Point(1)
    assert made(Point)


@pytest.mark.parametrize(
    "use",
    [
        lambda p: repr(p),
        lambda p: hash(p),
        lambda p: p == p,
        lambda p: dataclasses.fields(p),
        lambda p: dataclasses.replace(p, x=2),
        lambda p: dataclasses.is_dataclass(p),
        lambda p: dataclasses.asdict(p),
    ],
    ids=["repr", "hash", "eq", "fields", "replace", "is_dataclass", "asdict"],
)
def test_an_instance_built_without_init_behaves_as_a_dataclass_does(use: Any) -> None:
    Point, _, _ = kinds()
    early = unmade(Point, x=1, label="a", tags=())
    answer = use(early)  # the first use makes the record
    assert made(Point)
    later = Point(1, "a")
    assert repr(use(later)) == repr(answer)
    assert early == later and hash(early) == hash(later)
    assert repr(early).endswith("Point(x=1, label='a', tags=())")


def test_the_same_as_dataclasses_makes_it() -> None:
    Point, Named, Counter = kinds()

    @dataclasses.dataclass(frozen=True)
    class Reference:
        x: int
        label: str = ""
        tags: tuple[str, ...] = field(default_factory=tuple)

    assert [(f.name, f.default, f.default_factory) for f in dataclasses.fields(Point)] == [
        (f.name, f.default, f.default_factory) for f in dataclasses.fields(Reference)
    ]
    assert dataclasses.fields(Named)[0].kw_only
    with pytest.raises(TypeError):
        Named("n", Point(1))  # type: ignore[misc]
    point = Point(3)
    assert point.double == 6
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 4  # type: ignore[misc]
    counter = Counter()
    counter.n = 5
    assert counter == Counter(5)
    with pytest.raises(TypeError, match="unhashable"):
        hash(counter)


def test_setting_an_attribute_of_an_unmade_frozen_record_is_refused() -> None:
    Point, _, _ = kinds()
    early = unmade(Point, x=1, label="", tags=())
    with pytest.raises(dataclasses.FrozenInstanceError):
        early.x = 2


@record
class Pickled:  # pickle finds a class by its module and name: one at the module's top
    x: int
    label: str = ""


@record
class Labelled(Pickled):
    colour: str = "red"


def test_pickle_and_orjson_see_the_same_record_made_or_not() -> None:
    # Run in a fresh interpreter: in this one another test may have made the record.
    script = """
import orjson, pickle, sys
sys.path.insert(0, sys.argv[1])
import test_record as here
data = sys.stdin.buffer.read()
early = pickle.loads(data)
assert "_Pending" in type(vars(here.Pickled)["__dataclass_fields__"]).__name__
assert orjson.dumps(early) == b'{"x":1,"label":"a"}', orjson.dumps(early)
assert early == here.Pickled(1, "a") and hash(early) == hash(here.Pickled(1, "a"))
assert repr(early) == "Pickled(x=1, label='a')"
assert orjson.dumps(early) == orjson.dumps(here.Pickled(1, "a"))
late = pickle.loads(data)
assert late == early
"""
    done = subprocess.run(
        [sys.executable, "-c", script, str(Path(__file__).parent)],
        input=pickle.dumps(Pickled(1, "a")),
        capture_output=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr.decode()


def test_a_subclass_makes_its_base() -> None:
    Point, _, _ = kinds()

    @record
    class Coloured(Point):  # type: ignore[valid-type, misc]
        colour: str = "red"

    assert not made(Point)
    assert Coloured(1, colour="blue") == Coloured(1, "", (), "blue")
    assert made(Point) and made(Coloured)
    assert [f.name for f in dataclasses.fields(Coloured)] == ["x", "label", "tags", "colour"]
    assert Labelled(1, colour="blue") == Labelled(1, "", "blue")


def test_every_record_of_matland_is_sound_and_made_by_make_all() -> None:
    """A record's definition is checked when it is made, so CI makes them all: every
    module imported, then make_all, then each one a dataclass."""
    import importlib
    import pkgutil

    import matland
    from matland.core.records import make_all

    for module in pkgutil.walk_packages(matland.__path__, "matland."):
        if module.name != "matland.__main__":  # which runs the CLI
            importlib.import_module(module.name)
    count = make_all()
    assert count > 100
    kinds = {
        value
        for name, module in list(sys.modules.items())
        if name.startswith("matland")
        for value in vars(module).values()
        if isinstance(value, type) and "__dataclass_fields__" in value.__dict__
    }
    assert kinds and all(made(kind) for kind in kinds)


def test_a_class_with_its_own_eq_hashes_unmade_as_dataclasses_make_it() -> None:
    @record
    class Own:
        x: int

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Own) and other.x == self.x

    @dataclasses.dataclass(frozen=True)
    class Reference:
        x: int

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Reference) and other.x == self.x

    early = unmade(Own, x=1)
    assert hash(early) == hash(Own(1)) and hash(Reference(1)) == hash((1,))
    assert Own.__eq__ is not None and early == Own(1)


def test_match_sees_an_unmade_records_fields() -> None:
    Point, _, _ = kinds()
    early = unmade(Point, x=1, label="a", tags=())
    match early:
        case Point(x, label):
            assert (x, label) == (1, "a")
        case _:
            pytest.fail("no match")


WARM_RUN = """
import contextlib, dataclasses, io, sys
made = []
make = dataclasses._process_class
dataclasses._process_class = lambda kind, *options: made.append(kind) or make(kind, *options)
sys.argv = ["matland", "check", "examples/care-act-2014.yaml", "--cache-dir", sys.argv[1]]
from matland.cli.launch import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main()
    except SystemExit:
        pass
from matland.core.records import _RECORDS  # every record its modules define
print(sum(kind.__module__.startswith("matland") for kind in made), len(_RECORDS))
"""


def test_a_one_file_check_makes_a_minority_of_the_records_it_imports(tmp_path: Path) -> None:
    """What `record` is for: a pre-commit hook's check of an unchanged file makes fewer
    than half of the records its modules define (every one of them, with dataclass)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    for _ in range(2):  # the first run fills the rules cache and the result cache
        done = subprocess.run(
            [sys.executable, "-c", WARM_RUN, str(tmp_path / "results")],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
        )
        assert done.returncode == 0, done.stderr
    made, defined = map(int, done.stdout.split())
    assert 0 < made < defined / 2, done.stdout
