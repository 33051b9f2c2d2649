"""A rules directory read and validated: each file through its pydantic model
(rulemodels.py), turned into the records of knowledge.py, and every cross-reference checked.

Run when the rules cache has nothing for the rules' content (usercache.py); a problem is a
Finding naming the file, the entry and its line, raised together as KnowledgeError.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from matland.core import invalid, rulemodels
from matland.core.findings import Finding, did_you_mean
from matland.core.knowledge import (
    RECORDS,
    RULE_FILES,
    At,
    Classification,
    KnowledgeError,
    Question,
    QuestionsFile,
    RiskRule,
    RisksFile,
    RuleFiles,
    SourcesFile,
    SupportFile,
    Work,
    compile_premises,
    compile_risks,
    compile_ties,
    source_parts,
)
from matland.core.records import from_model
from matland.core.vocabulary import PARADIGMS
from matland.core.yamlpos import Document, YamlProblem, load

M = TypeVar("M", bound=BaseModel)


def validated(root: Path) -> RuleFiles:
    """The rules files read and validated, every cross-reference checked (what the
    cache keeps: a cached copy skips all of this)."""
    return _Loader(root).validated()


def _source_fields(data: Any, at: At) -> Iterator[tuple[At, str]]:
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


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.findings: list[Finding] = []
        self.documents: dict[str, Document] = {}

    def fail(self, name: str, at: At, message: str, hint: str = "") -> None:
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

    def _entry(self, name: str, at: At) -> str:
        document = self.documents.get(name)
        if document is None or len(at) < 2 or not isinstance(at[1], int):
            return ""
        try:
            item = document.data[at[0]][at[1]]
        except (KeyError, IndexError, TypeError):
            return ""
        return f"{at[0]} entry '{item['id']}'" if isinstance(item, dict) and "id" in item else ""

    def parse(self, name: str, model: type[BaseModel]) -> Any:
        """The file validated by `model`, as its record; None when it cannot be."""
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
            return from_model(model.model_validate(document.data), RECORDS)
        except ValidationError as error:
            for item in error.errors(include_url=False):
                loc = invalid.loc_of(item)
                self.fail(name, loc, *invalid.as_given(loc, item))
            return None

    def validated(self) -> RuleFiles:
        questions: QuestionsFile | None = self.parse("questions", rulemodels.QuestionsFile)
        paradigms = self.parse("paradigms", rulemodels.ParadigmsFile)
        classification: Classification | None = self.parse(
            "classification", rulemodels.Classification
        )
        support: SupportFile | None = self.parse("support", rulemodels.SupportFile)
        risks: RisksFile | None = self.parse("risks", rulemodels.RisksFile)
        if self.findings:
            raise KnowledgeError(self.findings)
        assert questions and paradigms and classification and support and risks
        question_map = {q.id: q for q in questions.questions}
        self._check_questions(questions, question_map)
        self._check_classification(classification, question_map)
        self._check_unique("support", "approaches", [a.id for a in support.approaches])
        self._check_mix(support)
        # Compiled here too (in the order the findings have always come), for their errors.
        self._check_unique("risks", "risks", [r.id for r in risks.risks])
        compile_risks(risks, question_map, self._reporter)
        compile_premises(support, question_map, self._reporter)
        compile_ties(classification, question_map, self._reporter)
        sources = self._check_sources()
        self._check_met_by(risks.risks, support)
        if self.findings:
            raise KnowledgeError(self.findings)
        return RuleFiles(questions, paradigms, classification, support, risks, sources)

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

    def _check_sources(self) -> dict[str, Work]:
        """rules/sources.yaml, and every source of the five files resolved against it (a
        rules directory without the file is not checked: it cites nothing to list)."""
        if not os.path.isfile(self._path("sources")):
            return {}
        parsed: SourcesFile | None = self.parse("sources", rulemodels.SourcesFile)
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

    def _check_met_by(self, risks: list[RiskRule], support: SupportFile) -> None:
        known = {a.id for a in support.approaches}
        for index, rule in enumerate(risks):
            for position, approach in enumerate(rule.met_by.approaches if rule.met_by else ()):
                if approach not in known:
                    self.fail(
                        "risks",
                        ("risks", index, "met_by", "approaches", position),
                        f"met_by names '{approach}', which is not in the support catalogue",
                        did_you_mean(approach, known),
                    )

    def _reporter(self, name: str, at: At) -> Callable[[Any, str], None]:
        def report(sub: At, message: str) -> None:
            self.fail(name, (*at, *sub), message)

        return report
