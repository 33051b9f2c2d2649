"""Everything in rules/ loaded once into typed, checked objects; conditions compiled here.

A broken rules file is reported as Findings naming the file, the entry and its line, through
KnowledgeError; the CLI prints them and exits 2.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal, NamedTuple, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from matland.core.conditions import Condition, Vocabulary, compile_condition
from matland.core.findings import Finding, Severity, did_you_mean
from matland.core.vocabulary import PARADIGMS, ParadigmName
from matland.core.words import flat
from matland.core.yamlpos import Document, YamlProblem, load

RULE_FILES = ("questions", "paradigms", "classification", "support", "risks")
Evidence = Literal["finding", "hypothesis", "practice"]
Hindrance = Literal[
    "over_optimism", "dispersed_governance", "collaborative_policymaking", "political_cycle"
]
Text = Annotated[str, Field(min_length=1)]


def _rating(value: Any) -> Any:
    # An unquoted yes/no in YAML 1.1 is a boolean; the catalogue means the word.
    return {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value


Rating = Annotated[Literal["yes", "in part", "no"], BeforeValidator(_rating)]


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Group(_Rule):
    id: Text
    title: Text
    intro: Text
    source: Text


class Question(_Rule):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    group: Text
    type: Literal["scale", "bool", "count"]
    text: Text
    help: Text
    anchors: dict[int, Text] | None = None
    lever: str | None = None
    lever_source: str | None = None
    # Asked only when an earlier yes/no item has this answer (`{pilot: true}`); unanswered or
    # unsure, the item is asked.
    asked_when: dict[str, bool] | None = None
    source: Text

    def applies(self, answers: Mapping[str, Any]) -> bool:
        """Whether the item is to be asked, given the answers so far (values by id; an
        Answer's `.value` is read too)."""
        for item, wanted in (self.asked_when or {}).items():
            value = getattr(answers.get(item), "value", answers.get(item))
            if isinstance(value, bool) and value is not wanted:
                return False
        return True


class QuestionsFile(_Rule):
    version: Literal[1]
    groups: list[Group]
    questions: list[Question]


class Paradigm(_Rule):
    id: ParadigmName
    name: Text
    ambiguity: Literal["low", "high"]
    conflict: Literal["low", "high"]
    principle: Text
    decides: Text
    description: Text
    support_model: Text
    pitfalls: list[Text]
    example: Text
    evidence: Evidence
    source: Text


class ParadigmsFile(_Rule):
    version: Literal[1]
    paradigms: list[Paradigm]


class ConfidenceLevel(_Rule):
    min_distance: Annotated[float, Field(ge=0, le=50)]
    min_answered_share: Annotated[float, Field(ge=0, le=1)]


class TieRule(_Rule):
    side: Literal["low", "high"]
    when: Any
    why: Text
    source: Text


class Ties(_Rule):
    within: Annotated[float, Field(ge=0, lt=50)]
    ambiguity: list[TieRule] = []
    conflict: list[TieRule] = []


class Classification(_Rule):
    version: Literal[1]
    weights: dict[Literal["ambiguity", "conflict"], dict[str, Annotated[float, Field(gt=0)]]]
    midpoint: Annotated[float, Field(gt=0, lt=100)]
    band: Annotated[float, Field(ge=0, lt=50)]
    min_answered_share: Annotated[float, Field(ge=0, le=1)]
    confidence: dict[Literal["high", "medium"], ConfidenceLevel]
    ties: Ties = Ties(within=0)
    source: Text


class Premise(_Rule):
    """What an approach presupposes; the answers that contradict it leave it out."""

    says: Text
    contradicted_when: Any
    source: Text


class Approach(_Rule):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: Text
    description: Text
    performance_management: Rating
    problem_solving: Rating
    capacity_building: Rating
    collaboration: Rating
    evidence: Evidence
    mitigates: list[Hindrance] = []
    premise: Premise | None = None
    source: Text

    @functools.cached_property
    def ratings(self) -> Mapping[str, str]:
        """The four ratings by mix key (read-only; worked out once per approach)."""
        return MappingProxyType({key: getattr(self, key) for key in MIX_KEYS})


MIX_KEYS = ("performance_management", "problem_solving", "capacity_building", "collaboration")
Share = Annotated[float, Field(ge=0, le=1)]


class MixEntry(_Rule):
    performance_management: Share
    problem_solving: Share
    capacity_building: Share
    collaboration: Share
    summary: Text
    evidence: Evidence
    source: Text
    model: list[str] = []  # the approaches that embody the paradigm's support model


class Ranking(_Rule):
    top: Annotated[int, Field(ge=1)]
    rating_values: dict[Literal["yes", "in part", "no"], Share]
    risk_bonus: Share
    source: Text


class SupportFile(_Rule):
    version: Literal[1]
    approaches: list[Approach]
    mix: dict[ParadigmName, MixEntry]
    ranking: Ranking


class Escalation(_Rule):
    when: Any
    severity: Literal["info", "low", "medium", "high"]
    why: Text


class RiskExamples(_Rule):
    fires: list[dict[str, Any]] = []
    quiet: list[dict[str, Any]] = []
    escalates: list[dict[str, Any]] = []


class MetBy(_Rule):
    """The support approaches that meet a risk: in the proposal's plan, the risk is still
    reported, at `severity` (lowered), as met by the plan."""

    approaches: Annotated[list[str], Field(min_length=1)]
    severity: Literal["info", "low", "medium"]
    source: Text


class RiskRule(_Rule):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    title: Text
    category: Literal[
        "over_optimism",
        "dispersed_governance",
        "collaborative_policymaking",
        "political_cycle",
        "paradigm",
        "preparation",
        "support_plan",
        "consistency",
        "completeness",
    ]
    severity: Literal["info", "low", "medium", "high"]
    escalate: list[Escalation] = []
    when: Any
    explanation: Text
    mitigation: Text
    evidence: Evidence
    source: Text
    examples: RiskExamples = RiskExamples()
    met_by: MetBy | None = None


class RisksFile(_Rule):
    version: Literal[1]
    risks: list[RiskRule]


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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
    # What the rules were made from (rulecache.key): a result cache keys on it.
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


def _source_fields(
    data: Any, at: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Each `source:` and `lever_source:` text in a rules file, with where it stands."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("source", "lever_source") and isinstance(value, str):
                yield (*at, key), value
            else:
                yield from _source_fields(value, (*at, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _source_fields(value, (*at, index))


def _mean(vectors: list[tuple[float, ...]]) -> tuple[float, ...]:
    return tuple(sum(column) / len(vectors) for column in zip(*vectors, strict=True))


class Work(_Rule):
    """A work the rules cite (rules/sources.yaml)."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    cited_as: Annotated[list[Text], Field(min_length=1)]
    authors: Text
    title: Text
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


class SourcesFile(_Rule):
    version: Literal[1]
    sources: list[Work]


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
    """The rules, validated once per content: a later run takes the validated files from
    the user's cache (rulecache.py) and only compiles their conditions."""
    from matland.core import rulecache

    root = Path(rules_dir) if rules_dir else bundled_rules()
    loader = _Loader(root)
    key = rulecache.key(root, (*RULE_FILES, "sources"))
    files = rulecache.read(root, key, RuleFiles)
    if files is None:
        files = loader.validated()
        rulecache.write(root, key, files)
    return loader.assemble(files, key)


class RuleFiles(NamedTuple):
    """The rules files validated (what the cache holds)."""

    questions: QuestionsFile
    paradigms: ParadigmsFile
    classification: Classification
    support: SupportFile
    risks: RisksFile
    sources: dict[str, Work]


M = TypeVar("M", bound=BaseModel)


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.findings: list[Finding] = []
        self.documents: dict[str, Document] = {}

    def fail(self, name: str, at: tuple[str | int, ...], message: str, hint: str = "") -> None:
        document = self.documents.get(name)
        line, column = document.position(at) if document else (1, 1)
        entry = self._entry(name, at)
        prefix = f"{entry}: " if entry else ""
        self.findings.append(
            Finding(
                self._path(name), line, column, "invalid-rules", "error", prefix + message, hint
            )
        )

    def _path(self, name: str) -> str:
        return os.path.join(str(self.root), f"{name}.yaml")

    def _entry(self, name: str, at: tuple[str | int, ...]) -> str:
        document = self.documents.get(name)
        if document is None or len(at) < 2 or not isinstance(at[1], int):
            return ""
        try:
            item = document.data[at[0]][at[1]]
        except (KeyError, IndexError, TypeError):
            return ""
        return f"{at[0]} entry '{item['id']}'" if isinstance(item, dict) and "id" in item else ""

    def parse(self, name: str, model: type[M]) -> M | None:
        path = self._path(name)
        if not os.path.isfile(path):
            self.findings.append(
                Finding(
                    path,
                    1,
                    1,
                    "rules-missing",
                    "error",
                    f"rules file {name}.yaml is missing",
                    f"a rules directory needs {', '.join(RULE_FILES)}",
                )
            )
            return None
        try:
            document = load(path)
        except YamlProblem as problem:
            self.findings.append(problem.finding(path))
            return None
        self.documents[name] = document
        try:
            return model.model_validate(document.data)
        except ValidationError as error:
            for item in error.errors(include_url=False):
                loc = tuple(item["loc"])
                where = ".".join(str(p) for p in loc)
                message = (
                    f"unknown key '{loc[-1]}'"
                    if item["type"] == "extra_forbidden"
                    else f"{where}: {item['msg']}"
                )
                self.fail(name, loc, message)
            return None

    def knowledge(self) -> Knowledge:
        return self.assemble(self.validated())

    def validated(self) -> RuleFiles:
        """The rules files read and validated, every cross-reference checked (what the
        cache keeps: a cached copy skips all of this)."""
        questions = self.parse("questions", QuestionsFile)
        paradigms = self.parse("paradigms", ParadigmsFile)
        classification = self.parse("classification", Classification)
        support = self.parse("support", SupportFile)
        risks = self.parse("risks", RisksFile)
        if self.findings:
            raise KnowledgeError(self.findings)
        assert questions and paradigms and classification and support and risks
        question_map = {q.id: q for q in questions.questions}
        self._check_questions(questions, question_map)
        self._check_classification(classification, question_map)
        self._check_unique("support", "approaches", [a.id for a in support.approaches])
        self._check_mix(support)
        # Compiled here too (in the order the findings have always come), for their errors.
        self._compile_risks(risks, question_map)
        self._compile_premises(support, question_map)
        self._compile_ties(classification, question_map)
        sources = self._check_sources()
        self._check_met_by(risks, support)
        if self.findings:
            raise KnowledgeError(self.findings)
        return RuleFiles(questions, paradigms, classification, support, risks, sources)

    def assemble(self, files: RuleFiles, digest: str = "") -> Knowledge:
        """Knowledge from validated files: the conditions compiled, nothing checked again."""
        questions, support = files.questions, files.support
        question_map = {q.id: q for q in questions.questions}
        risk_list = self._compile_risks(files.risks, question_map)
        premises = self._compile_premises(support, question_map)
        tie_rules = self._compile_ties(files.classification, question_map)
        if self.findings:
            raise KnowledgeError(self.findings)
        return Knowledge(
            root=self.root,
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
            premises=premises,
            tie_rules=tie_rules,
            sources=files.sources,
            digest=digest,
        )

    def _check_unique(self, name: str, key: str, ids: list[str]) -> None:
        seen: set[str] = set()
        for index, item in enumerate(ids):
            if item in seen:
                self.fail(name, (key, index, "id"), f"id '{item}' is used twice")
            seen.add(item)

    def _check_questions(self, questions: QuestionsFile, by_id: Mapping[str, Question]) -> None:
        self._check_unique("questions", "questions", [q.id for q in questions.questions])
        group_ids = {g.id for g in questions.groups}
        for index, question in enumerate(questions.questions):
            at = ("questions", index)
            if question.group not in group_ids:
                self.fail(
                    "questions",
                    (*at, "group"),
                    f"unknown group '{question.group}'",
                    did_you_mean(question.group, group_ids),
                )
            if (question.type == "scale") != (question.anchors is not None):
                self.fail(
                    "questions",
                    at,
                    "scale items need anchors for 1, 3 and 5; other items have none",
                )
            elif question.anchors is not None and set(question.anchors) != {1, 3, 5}:
                self.fail("questions", (*at, "anchors"), "anchors must be given for 1, 3 and 5")
            for item in question.asked_when or {}:
                other = by_id.get(item)
                if other is None or other.type != "bool":
                    self.fail(
                        "questions",
                        (*at, "asked_when", item),
                        f"asked_when names '{item}', which is not a yes/no item",
                        did_you_mean(item, by_id),
                    )

    def _check_classification(
        self, classification: Classification, questions: Mapping[str, Question]
    ) -> None:
        for dimension in ("ambiguity", "conflict"):
            items = classification.weights.get(dimension)
            if not items:
                self.fail("classification", ("weights",), f"no weights for {dimension}")
                continue
            for item in items:
                question = questions.get(item)
                if question is None or question.type != "scale":
                    self.fail(
                        "classification",
                        ("weights", dimension, item),
                        f"'{item}' is not a scale question",
                        did_you_mean(item, questions),
                    )

    def _check_mix(self, support: SupportFile) -> None:
        for paradigm in PARADIGMS:
            entry = support.mix.get(paradigm)  # type: ignore[call-overload]
            if entry is None:
                self.fail("support", ("mix",), f"no support mix for {paradigm}")
                continue
            known = {a.id for a in support.approaches}
            for position, approach in enumerate(entry.model):
                if approach not in known:
                    self.fail(
                        "support",
                        ("mix", paradigm, "model", position),
                        f"model names '{approach}', which is not in the support catalogue",
                        did_you_mean(approach, known),
                    )
            total = entry.performance_management + entry.problem_solving + entry.capacity_building
            if abs(total - 1) > 1e-9:
                self.fail(
                    "support",
                    ("mix", paradigm),
                    f"{paradigm}: the three shares add up to {total:g}, not 1",
                )

    def _compile_risks(
        self, risks: RisksFile, questions: Mapping[str, Question]
    ) -> tuple[Risk, ...]:
        self._check_unique("risks", "risks", [r.id for r in risks.risks])
        vocabulary = Vocabulary({q.id: q.type for q in questions.values()})
        compiled: list[Risk] = []
        for index, rule in enumerate(risks.risks):
            at = ("risks", index)
            report = self._reporter(at)
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

    def _compile_premises(
        self, support: SupportFile, questions: Mapping[str, Question]
    ) -> dict[str, Condition]:
        vocabulary = Vocabulary({q.id: q.type for q in questions.values()})
        premises = {}
        for index, approach in enumerate(support.approaches):
            if approach.premise is not None:
                report = self._reporter(("approaches", index, "premise"), "support")
                premises[approach.id] = compile_condition(
                    approach.premise.contradicted_when, vocabulary, report, ("contradicted_when",)
                )
        return premises

    def _compile_ties(
        self, classification: Classification, questions: Mapping[str, Question]
    ) -> dict[str, tuple[tuple[str, Condition, str, str], ...]]:
        vocabulary = Vocabulary({q.id: q.type for q in questions.values()})
        compiled = {}
        for dimension in ("ambiguity", "conflict"):
            rules = getattr(classification.ties, dimension)
            compiled[dimension] = tuple(
                (
                    rule.side,
                    compile_condition(
                        rule.when,
                        vocabulary,
                        self._reporter(("ties", dimension, index), "classification"),
                        ("when",),
                    ),
                    rule.why,
                    rule.source,
                )
                for index, rule in enumerate(rules)
            )
        return compiled

    def _check_sources(self) -> dict[str, Work]:
        """rules/sources.yaml, and every source of the five files resolved against it (a
        rules directory without the file is not checked: it cites nothing to list)."""
        if not os.path.isfile(self._path("sources")):
            return {}
        parsed = self.parse("sources", SourcesFile)
        if parsed is None:
            return {}
        self._check_unique("sources", "sources", [w.id for w in parsed.sources])
        works = {w.id: w for w in parsed.sources}
        for name in RULE_FILES:
            document = self.documents.get(name)
            if document is None:
                continue
            for at, text in _source_fields(document.data, ()):
                for part in source_parts(text):
                    if not any(p in part for w in works.values() for p in w.cited_as):
                        self.fail(
                            name,
                            at,
                            f"source '{part}' names no work in sources.yaml",
                            "add the work to rules/sources.yaml, or cite it as one of its "
                            "cited_as phrases",
                        )
        return works

    def _check_met_by(self, risks: RisksFile, support: SupportFile) -> None:
        known = {a.id for a in support.approaches}
        for index, rule in enumerate(risks.risks):
            for position, approach in enumerate(rule.met_by.approaches if rule.met_by else ()):
                if approach not in known:
                    self.fail(
                        "risks",
                        ("risks", index, "met_by", "approaches", position),
                        f"met_by names '{approach}', which is not in the support catalogue",
                        did_you_mean(approach, known),
                    )

    def _reporter(
        self, at: tuple[str | int, ...], name: str = "risks"
    ) -> Callable[[Any, str], None]:
        def report(sub: tuple[str | int, ...], message: str) -> None:
            self.fail(name, (*at, *sub), message)

        return report
