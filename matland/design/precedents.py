"""The nearest cases in the case library: proposals answered most alike, with their lessons.

"Reuse what works elsewhere, adapted to context, instead of reinventing" (IfG blog on policy
sharing): a precedent is a past proposal whose answers are close to this one's, read for the
`lessons` it records. The library is the bundled examples plus any directories given.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from matland.core.assessment import Assessment
from matland.core.classify import SCALE_MAX, SCALE_MIN
from matland.core.findings import Finding
from matland.core.knowledge import Knowledge
from matland.core.records import record
from matland.core.yamlpos import DEFAULT_MAX_BYTES
from matland.source.discovery import YAML_SUFFIXES, discover
from matland.source.pipeline import NO_GATES, check_target

# A similarity resting on a handful of shared answers is noise: ask for as many shared items
# as a classifiable policy needs at least (half of the twelve classification items).
MIN_SHARED_ITEMS = 6
# The nearest few are read; a longer list dilutes the lessons.
TOP_PRECEDENTS = 3
# How many of the answers that differ most are shown with each precedent.
SHOWN_DIFFERENCES = 3


@record
class Difference:
    item: str
    here: int
    there: int


@record
class Precedent:
    case: Assessment
    similarity: float  # 1 - the mean absolute difference of the answers, scaled to 0-1
    shared: int  # items answered in both
    differences: tuple[Difference, ...]  # the largest first


@record
class PrecedentSearch:
    assessment: Assessment
    precedents: tuple[Precedent, ...]
    library_size: int  # cases compared (the file itself left out)
    problems: tuple[Finding, ...]  # library files that could not be read


def bundled_examples(name: str = "examples") -> Path | None:
    """examples/ (or validation/library, the published cases: name `cases`) inside the
    installed package, where the wheel ships them, or in a source checkout."""
    here = Path(__file__).resolve().parent.parent  # the package
    if (here / name).is_dir():
        return here / name
    checkout = here.parent  # only a checkout: site-packages/examples would be someone else's
    where = checkout / ("validation/library" if name == "cases" else name)
    if where.is_dir() and (checkout / "pyproject.toml").is_file():
        return where
    return None


def citation(case: Assessment) -> str:
    """A published case's citation (`x-citation` in the case library), or ''."""
    data = case.proposal.document.data if case.proposal.document is not None else None
    value = data.get("x-citation") if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""


def authors_quadrant(case: Assessment) -> str:
    data = case.proposal.document.data if case.proposal.document is not None else None
    value = data.get("x-authors-quadrant") if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""


def load_library(
    directories: Sequence[str], knowledge: Knowledge
) -> tuple[list[Assessment], list[Finding]]:
    """Every valid proposal among the bundled worked examples (the files at the top of
    examples/; its subdirectories hold other material, such as workshop inputs) and in the
    directories given (searched like `matland check` does), each file once; and the findings
    of the files that could not be read."""
    paths = [
        str(path)
        for folder in (bundled_examples(), bundled_examples("cases"))
        for path in sorted(folder.iterdir() if folder else ())
        if path.suffix in YAML_SUFFIXES
    ]
    cases: list[Assessment] = []
    problems: list[Finding] = []
    seen: set[str] = set()
    for target in discover([*paths, *directories]):
        result = check_target(target, knowledge, DEFAULT_MAX_BYTES, NO_GATES)
        if result is None or result.kind == "review":  # a review is not a case
            continue
        if result.assessment is None:
            problems += [e for e in result.errors if e.is_error]
        elif _real(result.path) not in seen:
            seen.add(_real(result.path))
            cases.append(result.assessment)
    return cases, problems


def find_precedents(
    assessment: Assessment,
    library: Sequence[Assessment],
    knowledge: Knowledge,
    problems: Sequence[Finding] = (),
) -> PrecedentSearch:
    own = _real(assessment.proposal.path)
    others = [case for case in library if _real(case.proposal.path) != own]
    ranked = sorted(
        (p for case in others if (p := compare_answers(assessment, case, knowledge)) is not None),
        key=lambda p: (-p.similarity, -p.shared, p.case.proposal.path),
    )
    return PrecedentSearch(assessment, tuple(ranked[:TOP_PRECEDENTS]), len(others), tuple(problems))


def compare_answers(here: Assessment, there: Assessment, knowledge: Knowledge) -> Precedent | None:
    """How alike two proposals are answered, over the scale items both answered; None when
    they share fewer than MIN_SHARED_ITEMS. Yes/no screen items and counts are left out: a
    yes/no difference would weigh as much as the whole 1-5 scale and swamp graded answers."""
    span = SCALE_MAX - SCALE_MIN
    distances: list[tuple[float, Difference]] = []
    for item, question in knowledge.questions.items():
        a, b = here.facts.values.get(item), there.facts.values.get(item)
        if question.type == "scale" and isinstance(a, int) and isinstance(b, int):
            distances.append((abs(a - b) / span, Difference(item, a, b)))
    if len(distances) < MIN_SHARED_ITEMS:
        return None
    similarity = 1 - sum(d for d, _ in distances) / len(distances)
    largest = sorted((x for x in distances if x[0] > 0), key=lambda x: -x[0])
    return Precedent(
        there, similarity, len(distances), tuple(d for _, d in largest[:SHOWN_DIFFERENCES])
    )


def _real(path: str) -> str:
    return os.path.realpath(path) if path != "-" else path


# ---------------------------------------------------------------- output
