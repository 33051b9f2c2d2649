"""Everything in rules/ as plain, checked records; conditions compiled here.

The records are frozen dataclasses, one per kind of entry, with the fields of the pydantic
model of the same name in rulemodels.py that validates a rules file when it is read
(ruleload.py). What is read and validated once is kept in the user's cache (usercache.py),
so a run with the cache warm imports no pydantic: it unpickles the records and compiles
their conditions.

A broken rules file is reported as Findings naming the file, the entry and its line, through
KnowledgeError; the CLI prints them and exits 2.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from matland.core.conditions import Condition, Vocabulary, compile_condition
from matland.core.findings import Finding, Severity
from matland.core.records import record
from matland.core.vocabulary import ParadigmName
from matland.core.words import flat

RULE_FILES = ("questions", "paradigms", "classification", "support", "risks")
Evidence = Literal["finding", "hypothesis", "practice"]
Hindrance = Literal[
    "over_optimism", "dispersed_governance", "collaborative_policymaking", "political_cycle"
]
Rating = Literal["yes", "in part", "no"]
Side = Literal["low", "high"]
Level = Literal["info", "low", "medium", "high"]
MIX_KEYS = ("performance_management", "problem_solving", "capacity_building", "collaboration")

# Keyword-only (as a model is built): a field with a default may come before one without.


@record(kw_only=True)
class Group:
    id: str
    title: str
    intro: str
    source: str


@record(kw_only=True)
class Question:
    id: str
    group: str
    type: Literal["scale", "bool", "count"]
    text: str
    help: str
    anchors: dict[int, str] | None = None
    lever: str | None = None
    lever_source: str | None = None
    asked_when: dict[str, bool] | None = None
    source: str

    def applies(self, answers: Mapping[str, Any]) -> bool:
        """Whether the item is to be asked, given the answers so far (values by id; an
        Answer's `.value` is read too)."""
        for item, wanted in (self.asked_when or {}).items():
            value = getattr(answers.get(item), "value", answers.get(item))
            if isinstance(value, bool) and value is not wanted:
                return False
        return True


@record(kw_only=True)
class QuestionsFile:
    version: Literal[1]
    groups: list[Group]
    questions: list[Question]


@record(kw_only=True)
class Paradigm:
    id: ParadigmName
    name: str
    ambiguity: Side
    conflict: Side
    principle: str
    decides: str
    description: str
    support_model: str
    pitfalls: list[str]
    example: str
    evidence: Evidence
    source: str


@record(kw_only=True)
class ParadigmsFile:
    version: Literal[1]
    paradigms: list[Paradigm]


@record(kw_only=True)
class ConfidenceLevel:
    min_distance: float
    min_answered_share: float


@record(kw_only=True)
class TieRule:
    side: Side
    when: Any
    why: str
    source: str


@record(kw_only=True)
class Ties:
    within: float
    ambiguity: list[TieRule] = field(default_factory=list)
    conflict: list[TieRule] = field(default_factory=list)


@record(kw_only=True)
class Classification:
    version: Literal[1]
    weights: dict[Literal["ambiguity", "conflict"], dict[str, float]]
    midpoint: float
    band: float
    min_answered_share: float
    confidence: dict[Literal["high", "medium"], ConfidenceLevel]
    ties: Ties = field(default_factory=lambda: Ties(within=0))
    source: str


@record(kw_only=True)
class Premise:
    """What an approach presupposes; the answers that contradict it leave it out."""

    says: str
    contradicted_when: Any
    source: str


@record(kw_only=True)
class Approach:
    id: str
    name: str
    description: str
    performance_management: Rating
    problem_solving: Rating
    capacity_building: Rating
    collaboration: Rating
    evidence: Evidence
    mitigates: list[Hindrance] = field(default_factory=list)
    premise: Premise | None = None
    source: str

    @functools.cached_property
    def ratings(self) -> Mapping[str, str]:
        """The four ratings by mix key (read-only; worked out once per approach)."""
        return MappingProxyType({key: getattr(self, key) for key in MIX_KEYS})


@record(kw_only=True)
class MixEntry:
    performance_management: float
    problem_solving: float
    capacity_building: float
    collaboration: float
    summary: str
    evidence: Evidence
    source: str
    model: list[str] = field(default_factory=list)  # the approaches of its support model


@record(kw_only=True)
class Ranking:
    top: int
    rating_values: dict[Rating, float]
    risk_bonus: float
    source: str


@record(kw_only=True)
class SupportFile:
    version: Literal[1]
    approaches: list[Approach]
    mix: dict[ParadigmName, MixEntry]
    ranking: Ranking


@record(kw_only=True)
class Escalation:
    when: Any
    severity: Level
    why: str


@record(kw_only=True)
class RiskExamples:
    fires: list[dict[str, Any]] = field(default_factory=list)
    quiet: list[dict[str, Any]] = field(default_factory=list)
    escalates: list[dict[str, Any]] = field(default_factory=list)


@record(kw_only=True)
class MetBy:
    """The support approaches that meet a risk: in the proposal's plan, the risk is still
    reported, at `severity` (lowered), as met by the plan."""

    approaches: list[str]
    severity: Literal["info", "low", "medium"]
    source: str


@record(kw_only=True)
class RiskRule:
    id: str
    title: str
    category: str
    severity: Level
    escalate: list[Escalation] = field(default_factory=list)
    when: Any
    explanation: str
    mitigation: str
    evidence: Evidence
    source: str
    examples: RiskExamples = field(default_factory=RiskExamples)
    met_by: MetBy | None = None


@record(kw_only=True)
class RisksFile:
    version: Literal[1]
    risks: list[RiskRule]


@record(kw_only=True)
class Work:
    """A work the rules cite (rules/sources.yaml)."""

    id: str
    cited_as: list[str]
    authors: str
    title: str
    year: int | None = None
    journal: str | None = None
    publisher: str | None = None
    doi: str | None = None
    url: str | None = None

    def reference(self) -> str:
        """The work as a reference list gives it: authors (year) title. Journal or
        publisher. DOI or URL."""
        year = f" ({self.year})" if self.year else ""
        parts = [f"{self.authors}{year}. {flat(self.title)}."]
        where = self.journal or self.publisher
        if where:
            parts.append(f"{where}.")
        if self.doi:
            parts.append(f"https://doi.org/{self.doi}")
        elif self.url:
            parts.append(self.url)
        return " ".join(parts)


@record(kw_only=True)
class SourcesFile:
    version: Literal[1]
    sources: list[Work]


# Each record by name: what a validated model is turned into (records.from_model).
RECORDS: Mapping[str, type] = {
    kind.__name__: kind
    for kind in (
        Group,
        Question,
        QuestionsFile,
        Paradigm,
        ParadigmsFile,
        ConfidenceLevel,
        TieRule,
        Ties,
        Classification,
        Premise,
        Approach,
        MixEntry,
        Ranking,
        SupportFile,
        Escalation,
        RiskExamples,
        MetBy,
        RiskRule,
        RisksFile,
        Work,
        SourcesFile,
    )
}


@record
class Risk:
    """A risk rule with its conditions compiled."""

    rule: RiskRule
    condition: Condition
    escalations: tuple[tuple[Condition, Severity, str], ...] = ()
    # What can trigger it, in the order the rule names them (the first is the main cause).
    trigger_order: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        order = dict.fromkeys(s.trigger for s in self.condition.subjects() if s.trigger)
        object.__setattr__(self, "trigger_order", tuple(order))

    @property
    def id(self) -> str:
        return self.rule.id


@record
class Knowledge:
    root: Path
    groups: tuple[Group, ...]
    questions: Mapping[str, Question]
    paradigms: Mapping[str, Paradigm]
    classification: Classification
    approaches: Mapping[str, Approach]
    mix: Mapping[str, MixEntry]
    ranking: Ranking
    risks: tuple[Risk, ...]
    support_ids: frozenset[str] = field(default=frozenset())
    risk_ids: frozenset[str] = field(default=frozenset())
    premises: Mapping[str, Condition] = field(default_factory=dict)  # approach id -> contradicted
    sources: Mapping[str, Work] = field(default_factory=dict)  # rules/sources.yaml, by id
    # dimension -> its tie rules, compiled: (side, condition, why, source)
    tie_rules: Mapping[str, tuple[tuple[str, Condition, str, str], ...]] = field(
        default_factory=dict
    )
    # What the rules were made from (usercache.rules_key): a result cache keys on it.
    digest: str = ""

    @functools.cached_property
    def asked_when_items(self) -> frozenset[str]:
        """The items asked only given another answer (`asked_when`)."""
        return frozenset(q.id for q in self.questions.values() if q.asked_when)

    @functools.cached_property
    def ranking_table(
        self,
    ) -> Mapping[str, tuple[tuple[float, ...], frozenset[str], tuple[float, ...]]]:
        """Each approach's ratings as numbers (`ranking.rating_values`, in MIX_KEYS order),
        the hindrances it mitigates, and its profile less the catalogue's mean profile (what
        sets it apart): what ranking reads for every file, made once."""
        values = self.ranking.rating_values
        profiles = {
            a.id: tuple(values[a.ratings[key]] for key in MIX_KEYS)  # type: ignore[index]
            for a in self.approaches.values()
        }
        centre = _mean(list(profiles.values()))
        table = {}
        for a in self.approaches.values():
            profile = profiles[a.id]
            centred = tuple(v - m for v, m in zip(profile, centre, strict=True))
            table[a.id] = (profile, frozenset(a.mitigates), centred)
        return table

    @functools.cached_property
    def need_centre(self) -> tuple[float, ...]:
        """The mean of the four paradigms' mixes: a need is matched by how it differs from
        the typical policy's, so an approach good for every policy wins none by default."""
        return _mean(
            [tuple(getattr(entry, key) for key in MIX_KEYS) for entry in self.mix.values()]
        )

    def dimension_items(self, dimension: str) -> tuple[str, ...]:
        return tuple(self.classification.weights[dimension])  # type: ignore[index]


def _mean(vectors: list[tuple[float, ...]]) -> tuple[float, ...]:
    return tuple(sum(column) / len(vectors) for column in zip(*vectors, strict=True))


def source_parts(text: str) -> list[str]:
    """A `source:` cut at its top-level `;` (a `;` inside parentheses stays in its part)."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if char == ";" and depth <= 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [flat(part) for part in parts if part.strip()]


def cited_works(text: str, works: Mapping[str, Work]) -> tuple[Work, ...]:
    """The works a source text names, in the order it names them."""
    found: dict[str, Work] = {}
    for part in source_parts(text):
        for work in works.values():
            if any(phrase in part for phrase in work.cited_as):
                found.setdefault(work.id, work)
    return tuple(found.values())


class KnowledgeError(Exception):
    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("\n".join(f.one_line() for f in findings))
        self.findings = findings


def bundled_rules() -> Path:
    """rules/ inside the installed package, or at the top of a source checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "rules", package.parent / "rules"):
        if (candidate / "questions.yaml").is_file():
            return candidate
    raise KnowledgeError(
        [
            Finding(
                str(package / "rules"),
                1,
                1,
                "rules-missing",
                "error",
                "matland's bundled rules are missing",
                "reinstall matland",
            )
        ]
    )


@functools.lru_cache(maxsize=4)
def load_knowledge(rules_dir: str | None = None) -> Knowledge:
    """The rules, validated and compiled once per content: a later run takes the Knowledge
    from the user's cache (usercache.py)."""
    from matland.core import usercache

    root = Path(rules_dir) if rules_dir else bundled_rules()
    key = usercache.rules_key(root, (*RULE_FILES, "sources"))
    knowledge = usercache.read(root, key, Knowledge)
    if knowledge is None:
        from matland.core.ruleload import validated

        knowledge = assemble(root, validated(root), _plain_reporter(root), key)
        usercache.write(root, key, knowledge)
    elif knowledge.root != root:
        # The entry is the directory's, however the run that wrote it named it (`rules`
        # from one folder, `a/rules` from its parent): the rules' other files (review,
        # workshop) are read from this run's spelling. Set on the object just read, which
        # nothing else holds yet (replace() would make the record: a millisecond more).
        object.__setattr__(knowledge, "root", root)
    return knowledge


class RuleFiles(NamedTuple):
    """The rules files validated, as records (what the cache holds)."""

    questions: QuestionsFile
    paradigms: ParadigmsFile
    classification: Classification
    support: SupportFile
    risks: RisksFile
    sources: dict[str, Work]


At = tuple[str | int, ...]
# A rules file's name and where in it -> what reports a condition's problem there.
Reporter = Callable[[str, At], Callable[[Any, str], None]]


def _plain_reporter(root: Path) -> Reporter:
    """Problems in rules already validated (their cache): never met, but said if they are."""
    findings: list[Finding] = []

    def at(name: str, where: At) -> Callable[[Any, str], None]:
        def report(sub: At, message: str) -> None:
            path = str(root / f"{name}.yaml")
            findings.append(Finding(path, 1, 1, "invalid-rules", "error", message))
            raise KnowledgeError(findings)

        return report

    return at


def assemble(root: Path, files: RuleFiles, reporter: Reporter, digest: str = "") -> Knowledge:
    """Knowledge from validated files: the conditions compiled, nothing checked again."""
    questions, support = files.questions, files.support
    question_map = {q.id: q for q in questions.questions}
    risk_list = compile_risks(files.risks, question_map, reporter)
    return Knowledge(
        root=root,
        groups=tuple(questions.groups),
        questions=question_map,
        paradigms={p.id: p for p in files.paradigms.paradigms},
        classification=files.classification,
        approaches={a.id: a for a in support.approaches},
        mix={str(k): v for k, v in support.mix.items()},
        ranking=support.ranking,
        risks=risk_list,
        support_ids=frozenset(a.id for a in support.approaches),
        risk_ids=frozenset(r.id for r in risk_list),
        premises=compile_premises(support, question_map, reporter),
        tie_rules=compile_ties(files.classification, question_map, reporter),
        sources=files.sources,
        digest=digest,
    )


def _vocabulary(questions: Mapping[str, Question]) -> Vocabulary:
    return Vocabulary({q.id: q.type for q in questions.values()})


def compile_risks(
    risks: RisksFile, questions: Mapping[str, Question], reporter: Reporter
) -> tuple[Risk, ...]:
    vocabulary = _vocabulary(questions)
    compiled: list[Risk] = []
    for index, rule in enumerate(risks.risks):
        report = reporter("risks", ("risks", index))
        condition = compile_condition(rule.when, vocabulary, report, ("when",))
        escalations = tuple(
            (
                compile_condition(e.when, vocabulary, report, ("escalate", i, "when")),
                e.severity,
                e.why,
            )
            for i, e in enumerate(rule.escalate)
        )
        compiled.append(Risk(rule, condition, escalations))
    return tuple(compiled)


def compile_premises(
    support: SupportFile, questions: Mapping[str, Question], reporter: Reporter
) -> dict[str, Condition]:
    vocabulary = _vocabulary(questions)
    premises = {}
    for index, approach in enumerate(support.approaches):
        if approach.premise is not None:
            report = reporter("support", ("approaches", index, "premise"))
            premises[approach.id] = compile_condition(
                approach.premise.contradicted_when, vocabulary, report, ("contradicted_when",)
            )
    return premises


def compile_ties(
    classification: Classification, questions: Mapping[str, Question], reporter: Reporter
) -> dict[str, tuple[tuple[str, Condition, str, str], ...]]:
    vocabulary = _vocabulary(questions)
    compiled: dict[str, tuple[tuple[str, Condition, str, str], ...]] = {}
    for dimension in ("ambiguity", "conflict"):
        rules: list[TieRule] = getattr(classification.ties, dimension)
        compiled[dimension] = tuple(
            (
                rule.side,
                compile_condition(
                    rule.when,
                    vocabulary,
                    reporter("classification", ("ties", dimension, index)),
                    ("when",),
                ),
                rule.why,
                rule.source,
            )
            for index, rule in enumerate(rules)
        )
    return compiled
