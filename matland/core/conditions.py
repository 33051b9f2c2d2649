"""The safe rule language: conditions in rules/*.yaml parsed once into small typed objects.

Nothing in a rule reaches Python: the text is tokenised and checked against the questionnaire
and the fixed list of subjects below; there is no eval, no attribute access, no import.
The language is documented in rules/README.md.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import field
from typing import Any, Protocol

from matland.core.findings import did_you_mean
from matland.core.model import AnswerValue
from matland.core.records import record
from matland.core.vocabulary import PARADIGMS

DIMENSIONS = ("ambiguity", "conflict")
STATS = ("answered_share", "unsure_count", "missing_count")
RATING_KEYS = ("performance_management", "problem_solving", "capacity_building", "collaboration")
RATINGS = {"yes": "yes", "in_part": "in part", "no": "no"}
STAKEHOLDER_FILTERS: dict[str, tuple[str, ...]] = {
    "role": ("implementer", "sponsor", "affected", "partner", "opponent"),
    "stance": ("support", "neutral", "oppose"),
    "influence": ("low", "medium", "high"),
}
COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
STATES = ("unsure", "answered", "missing")


class ConditionError(ValueError):
    """A condition that cannot be compiled; the message says what to write instead."""


class Facts(Protocol):
    """What a condition can see of one assessed proposal."""

    @property
    def values(self) -> Mapping[str, AnswerValue]: ...  # answered items only
    @property
    def unsure(self) -> frozenset[str]: ...
    @property
    def not_applicable(self) -> frozenset[str]: ...  # answered `n/a`
    @property
    def scores(self) -> Mapping[str, float | None]: ...
    @property
    def paradigm(self) -> str | None: ...
    @property
    def paradigms(self) -> tuple[str, ...]: ...  # the co-primary quadrants when undecided
    @property
    def membership(self) -> Mapping[str, float] | None: ...
    @property
    def stats(self) -> Mapping[str, float]: ...
    @property
    def stakeholder_fields(self) -> tuple[Mapping[str, str], ...]: ...  # role, stance …
    @property
    def counts(self) -> dict[Any, int]: ...  # a cache CountSubject fills, one per proposal
    @property
    def plan_ratings(self) -> tuple[Mapping[str, str], ...]: ...


@record
class Outcome:
    fired: bool
    triggers: frozenset[str] = frozenset()


QUIET = Outcome(False)


# ---------------------------------------------------------------- subjects


@record
class Subject:
    name: str
    kind: str  # answer-scale | answer-count | answer-bool | number | paradigm | count
    trigger: str = ""
    # Where the value comes from, as a closure chosen once: every checked file reads every
    # subject of every rule (benchmarks/bench_check.py).
    value: Callable[[Facts], Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", self._reader())

    # Pickled (the compiled rules in the user's cache: usercache.py) without the closure,
    # which is chosen again when the subject is read back.
    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "value"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    def _reader(self) -> Callable[[Facts], Any]:
        key = self.name
        if self.kind.startswith("answer"):
            return lambda facts: facts.values.get(key)
        if key in DIMENSIONS:
            return lambda facts: facts.scores.get(key)
        if key == "paradigm":  # every co-primary quadrant of an undecided policy
            return lambda facts: facts.paradigms or None
        if key.startswith("membership."):
            paradigm = key.split(".", 1)[1]
            return lambda facts: None if facts.membership is None else facts.membership[paradigm]
        return lambda facts: facts.stats[key]


@record
class CountSubject(Subject):
    filters: tuple[tuple[str, str, frozenset[str]], ...] = ()  # (key, op, values: any of)

    def _reader(self) -> Callable[[Facts], Any]:
        entries, matches, key = self.entries, self.matches, (self.name, self.filters)

        def count(facts: Facts) -> int:
            # Several rules count the same thing: counted once per proposal.
            memo = facts.counts
            found = memo.get(key)
            if found is None:
                found = memo[key] = sum(1 for entry in entries(facts) if matches(entry))
            return found

        return count

    def entries(self, facts: Facts) -> tuple[Mapping[str, str], ...]:
        """What is counted: each stakeholder's fields, or each planned approach's ratings."""
        return facts.stakeholder_fields if self.name == "stakeholders" else facts.plan_ratings

    def matches(self, entry: Mapping[str, str]) -> bool:
        return all((entry.get(key) in values) is (op == "=") for key, op, values in self.filters)


def stakeholder_fields(stakeholders: Iterable[object]) -> tuple[Mapping[str, str], ...]:
    """What `stakeholders(...)` filters on, for each stakeholder (Facts.stakeholder_fields)."""
    return tuple({key: getattr(s, key) for key in STAKEHOLDER_FILTERS} for s in stakeholders)


# ---------------------------------------------------------------- condition nodes


Test = Callable[[Facts], "frozenset[str] | None"]  # the triggers if it fires, else None


@record
class Condition:
    """A node of a compiled condition. `test` is the node as one closure, built once, which
    every checked file runs; `evaluate` is the same answer as an Outcome."""

    test: Test = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "test", self._compile())

    # Pickled without the closure, built again when read back (after the node's parts:
    # pickle restores what a node holds before the node).
    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "test"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    def _compile(self) -> Test:
        raise NotImplementedError

    def evaluate(self, facts: Facts) -> Outcome:
        triggers = self.test(facts)
        return QUIET if triggers is None else Outcome(True, triggers)

    def describe(self) -> str:
        raise NotImplementedError

    def subjects(self) -> tuple[Subject, ...]:
        raise NotImplementedError


@record
class Compare(Condition):
    subject: Subject
    op: str
    expected: Any
    text: str

    def _compile(self) -> Test:
        get, expected, fired = self.subject.value, self.expected, _triggers(self.subject)
        # A missing or unsure answer (None) never fires anything.
        if self.op == "is":  # `is answered`: a value is there
            return lambda facts: None if get(facts) is None else fired
        if self.subject.kind == "paradigm":  # a tuple: one quadrant, or the co-primary ones
            wanted = expected if self.op == "in" else (expected,)
            holds = self.op != "!="

            def test_paradigm(facts: Facts) -> frozenset[str] | None:
                actual = get(facts)
                if actual is None:
                    return None
                return fired if any(p in wanted for p in actual) is holds else None

            return test_paradigm
        if self.op == "in":
            return lambda facts: fired if get(facts) in expected else None
        compare = COMPARISONS[self.op]
        if self.subject.kind.startswith("answer"):  # most leaves: the answer read inline
            key = self.subject.name

            def test(facts: Facts) -> frozenset[str] | None:
                actual = facts.values.get(key)
                return fired if actual is not None and compare(actual, expected) else None

            return test
        return lambda facts: (
            fired if (actual := get(facts)) is not None and compare(actual, expected) else None
        )

    def describe(self) -> str:
        return self.text

    def subjects(self) -> tuple[Subject, ...]:
        return (self.subject,)


@record
class State(Condition):
    """`ID is unsure` / `ID is missing`."""

    subject: Subject
    state: str
    text: str

    def _compile(self) -> Test:
        name, fired = self.subject.name, _triggers(self.subject)
        if self.state == "unsure":
            return lambda facts: fired if name in facts.unsure else None
        return lambda facts: (
            None
            if name in facts.unsure or name in facts.values or name in facts.not_applicable
            else fired
        )

    def describe(self) -> str:
        return self.text

    def subjects(self) -> tuple[Subject, ...]:
        return (self.subject,)


@record
class All(Condition):
    parts: tuple[Condition, ...]

    def _compile(self) -> Test:
        tests = tuple(part.test for part in self.parts)
        if len(tests) == 1:  # `all: [one condition]`, common in rules/risks.yaml
            return tests[0]

        def test(facts: Facts) -> frozenset[str] | None:
            found: frozenset[str] = frozenset()
            for part in tests:
                triggers = part(facts)
                if triggers is None:
                    return None
                found |= triggers
            return found

        return test

    def describe(self) -> str:
        return " and ".join(_wrap(part) for part in self.parts)

    def subjects(self) -> tuple[Subject, ...]:
        return tuple(s for part in self.parts for s in part.subjects())


@record
class AnyOf(Condition):
    parts: tuple[Condition, ...]

    def _compile(self) -> Test:
        tests = tuple(part.test for part in self.parts)
        if len(tests) == 1:
            return tests[0]

        def test(facts: Facts) -> frozenset[str] | None:
            found = None
            for part in tests:  # every part: each one that fires is a cause
                triggers = part(facts)
                if triggers is not None:
                    found = triggers if found is None else found | triggers
            return found

        return test

    def describe(self) -> str:
        return " or ".join(_wrap(part) for part in self.parts)

    def subjects(self) -> tuple[Subject, ...]:
        return tuple(s for part in self.parts for s in part.subjects())


@record
class Not(Condition):
    part: Condition

    def _compile(self) -> Test:
        inner = self.part.test
        # The absence is the cause: what the negated part looks at made this fire.
        fired = frozenset(t for s in self.part.subjects() for t in _triggers(s))
        return lambda facts: fired if inner(facts) is None else None

    def describe(self) -> str:
        return f"not {_wrap(self.part)}"

    def subjects(self) -> tuple[Subject, ...]:
        return self.part.subjects()


def _wrap(condition: Condition) -> str:
    text = condition.describe()
    return f"({text})" if isinstance(condition, All | AnyOf) and len(condition.parts) > 1 else text


def _triggers(subject: Subject) -> frozenset[str]:
    return frozenset((subject.trigger,)) if subject.trigger else frozenset()


# ---------------------------------------------------------------- compiling


@record(frozen=False)
class Vocabulary:
    """What rule text may name: the questionnaire's ids and types, and the fixed subjects."""

    question_types: Mapping[str, str]  # id -> scale | bool | count
    paradigms: tuple[str, ...] = PARADIGMS
    cache: dict[str, Condition] = field(default_factory=dict)


_TOKEN = re.compile(
    r"\s*(?:(?P<num>-?\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_.]*)"
    r"|(?P<op>==|!=|<=|>=|<|>|=)|(?P<punct>[\[\](),|]))"
)


def compile_condition(
    raw: Any,
    vocabulary: Vocabulary,
    on_error: Callable[[Any, str], None] | None = None,
    at: tuple[str | int, ...] = (),
) -> Condition:
    """A YAML condition (string leaf, or all/any/not mapping) as a Condition; raises
    ConditionError, or reports each bad leaf through on_error(path, message) and goes on."""
    if isinstance(raw, str):
        try:
            return _leaf(raw, vocabulary)
        except ConditionError as error:
            if on_error is None:
                raise
            on_error(at, str(error))
            return All(())
    if isinstance(raw, dict) and len(raw) == 1:
        ((key, value),) = raw.items()
        if key in ("all", "any") and isinstance(value, list) and value:
            parts = tuple(
                compile_condition(item, vocabulary, on_error, (*at, key, i))
                for i, item in enumerate(value)
            )
            return All(parts) if key == "all" else AnyOf(parts)
        if key == "not":
            return Not(compile_condition(value, vocabulary, on_error, (*at, key)))
    message = (
        "a condition is a string like `funding_gap >= 4`, or a mapping with one key: "
        "`all: [...]`, `any: [...]` (non-empty lists) or `not: ...`"
    )
    if on_error is None:
        raise ConditionError(message)
    on_error(at, message)
    return All(())


def _leaf(text: str, vocabulary: Vocabulary) -> Condition:
    tokens = _tokenise(text)
    subject, rest = _subject(tokens, vocabulary)
    if not rest:
        raise ConditionError(f"`{text}`: an operator and a value are missing after the subject")
    op, rest = rest[0], rest[1:]
    if op == "is":
        if len(rest) != 1 or rest[0] not in STATES:
            raise ConditionError(f"`{text}`: write `is unsure`, `is answered` or `is missing`")
        if not subject.kind.startswith("answer"):
            raise ConditionError(f"`{text}`: only an answer can be unsure, answered or missing")
        if rest[0] == "answered":
            return Compare(subject, "is", None, text)
        return State(subject, rest[0], text)
    if op != "in" and op not in COMPARISONS:
        raise ConditionError(
            f"`{text}`: unknown operator `{op}` (use {', '.join(COMPARISONS)}, in, is)"
        )
    expected = _value(rest, text)
    _check_types(subject, op, expected, text, vocabulary)
    return Compare(subject, op, expected, text)


def _tokenise(text: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ConditionError(f"`{text}`: cannot read from `{text[position:].strip()}`")
        tokens.append(match.group().strip())
        position = match.end()
    return tokens


def _subject(tokens: list[str], vocabulary: Vocabulary) -> tuple[Subject, list[str]]:
    name = tokens[0] if tokens else ""
    if name in ("stakeholders", "support_plan"):
        return _count_subject(name, tokens[1:])
    question_type = vocabulary.question_types.get(name)
    if question_type is not None:
        return Subject(name, f"answer-{question_type}", trigger=name), tokens[1:]
    if name in DIMENSIONS or name in STATS:
        trigger = "answers" if name in STATS else ""
        return Subject(name, "number", trigger=trigger), tokens[1:]
    if name == "paradigm":
        return Subject(name, "paradigm"), tokens[1:]
    if name.startswith("membership.") and name.split(".", 1)[1] in vocabulary.paradigms:
        return Subject(name, "number"), tokens[1:]
    known = [
        *vocabulary.question_types,
        *DIMENSIONS,
        *STATS,
        "paradigm",
        "stakeholders",
        "support_plan",
        *(f"membership.{p}" for p in vocabulary.paradigms),
    ]
    hint = did_you_mean(name, known)
    raise ConditionError(
        f"unknown subject `{name}`"
        + (
            f"; {hint}"
            if hint
            else " (a question id, ambiguity, conflict, paradigm, membership.NAME, "
            "answered_share, unsure_count, missing_count, stakeholders(...), "
            "support_plan(...))"
        )
    )


def _count_subject(name: str, tokens: list[str]) -> tuple[Subject, list[str]]:
    if not tokens or tokens[0] != "(" or ")" not in tokens:
        raise ConditionError(f"`{name}` is counted: write `{name}(key=value, ...)` or `{name}()`")
    close = tokens.index(")")
    inner, rest = tokens[1:close], tokens[close + 1 :]
    allowed: Mapping[str, tuple[str, ...]] = (
        STAKEHOLDER_FILTERS
        if name == "stakeholders"
        else dict.fromkeys(RATING_KEYS, tuple(RATINGS))
    )
    filters: list[tuple[str, str, frozenset[str]]] = []
    for chunk in _filters(inner):
        if len(chunk) < 3 or chunk[1] not in ("=", "!=") or "|" in chunk[::2]:
            raise ConditionError(
                f"`{name}(...)`: filters are `key=value` (or `key=a|b`), separated by commas"
            )
        key, op, values = chunk[0], chunk[1], chunk[2::2]
        if key not in allowed or any(bar != "|" for bar in chunk[3::2]):
            raise ConditionError(f"`{name}(...)`: unknown key `{key}` (use {', '.join(allowed)})")
        for value in values:
            if value not in allowed[key]:
                raise ConditionError(f"`{name}(...)`: `{key}` takes {', '.join(allowed[key])}")
        words = (RATINGS.get(v, v) if name == "support_plan" else v for v in values)
        filters.append((key, op, frozenset(words)))
    return CountSubject(name, "count", trigger=name, filters=tuple(filters)), rest


def _filters(inner: list[str]) -> list[list[str]]:
    """`role=implementer|partner, stance=oppose` as one token list per filter."""
    chunks: list[list[str]] = [[]]
    for token in inner:
        if token == ",":
            chunks.append([])
        else:
            chunks[-1].append(token)
    return [chunk for chunk in chunks if chunk] if inner else []


def _value(tokens: list[str], text: str) -> Any:
    if len(tokens) == 1:
        return _scalar(tokens[0])
    if len(tokens) >= 3 and tokens[0] == "[" and tokens[-1] == "]":
        items = tokens[1:-1]
        if all(token == "," for token in items[1::2]) and len(items) % 2 == 1:
            return tuple(_scalar(token) for token in items[::2])
    raise ConditionError(f"`{text}`: the value must be one number, word or [list]")


def _scalar(token: str) -> Any:
    if token in ("true", "false"):
        return token == "true"
    try:
        return float(token) if "." in token else int(token)
    except ValueError:
        return token


def _check_types(
    subject: Subject, op: str, expected: Any, text: str, vocabulary: Vocabulary
) -> None:
    values = expected if isinstance(expected, tuple) else (expected,)
    if (op == "in") != isinstance(expected, tuple):
        raise ConditionError(f"`{text}`: `in` takes a [list]; other operators a single value")
    if subject.kind == "answer-bool":
        if op not in ("==", "!=") or not all(isinstance(v, bool) for v in values):
            raise ConditionError(
                f"`{text}`: `{subject.name}` is yes/no: compare with `== true` or `== false`"
            )
    elif subject.kind == "paradigm":
        if op not in ("==", "!=", "in"):
            raise ConditionError(f"`{text}`: compare the paradigm with ==, != or in")
        for v in values:
            if v not in vocabulary.paradigms:
                raise ConditionError(
                    f"`{text}`: unknown paradigm `{v}` (use {', '.join(vocabulary.paradigms)})"
                )
    elif not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        raise ConditionError(f"`{text}`: `{subject.name}` is a number: compare it with a number")
    elif subject.kind == "answer-scale" and not all(1 <= v <= 5 for v in values):
        raise ConditionError(f"`{text}`: answers to `{subject.name}` run from 1 to 5")
