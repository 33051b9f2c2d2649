"""Does matland classify like the literature? Each published case in validation/cases/ was
filled blind (validation/fills/<case>.<reader>.yaml, from the evidence text alone) and is
classified here two ways: by matland, and by the simplest thing a user could do by hand -
the unweighted mean of each axis's six items against 50 (50 itself counting as high).

Prints, per case and in total, whether each fill lands in the authors' quadrant; whether
the authors' quadrant is at least among matland's co-primary quadrants or elements; and how
often the two fills of a case agree. A fill whose evidence left fewer than half of an
axis's items answered is not classifiable by matland (it does not guess); the naive mean
still takes the mean of what is there, so the totals are also given over the classifiable
fills, where both decide on the same evidence. The last line is machine-readable:

    cases=N fills=N matland=K naive=K fills_agree=K classifiable=N matland_classifiable=K
    naive_classifiable=K

    python benchmarks/bench_validity.py [--validation DIR] [--rules DIR]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from matland.core.assessment import assess
from matland.core.classify import SCALE_MAX, SCALE_MIN
from matland.core.knowledge import Knowledge, load_knowledge
from matland.source.load import load_proposal

ROOT = Path(__file__).resolve().parents[1]
NAIVE_LINE = 50.0  # the midpoint a user would compare a mean with


@dataclass(frozen=True)
class Fill:
    case: str
    reader: str
    matland: tuple[str, ...]  # the paradigm, or the co-primary quadrants
    elements: tuple[str, ...]
    naive: str | None
    classifiable: bool


def naive(values: dict[str, int], knowledge: Knowledge) -> str | None:
    """Unweighted mean of each axis's answered items, 0-100, against 50 (>= 50 high)."""
    sides = []
    for dimension in ("ambiguity", "conflict"):
        items = [values[i] for i in knowledge.dimension_items(dimension) if i in values]
        if not items:
            return None
        mean = sum((v - SCALE_MIN) / (SCALE_MAX - SCALE_MIN) * 100 for v in items) / len(items)
        sides.append("high" if mean >= NAIVE_LINE else "low")
    return next(
        p.id
        for p in knowledge.paradigms.values()
        if (p.ambiguity, p.conflict) == (sides[0], sides[1])
    )


def classify_fill(path: Path, knowledge: Knowledge) -> Fill:
    case, _, reader = path.stem.rpartition(".")
    proposal, errors = load_proposal(str(path), knowledge)
    if proposal is None:
        sys.exit(f"{path}: not a valid proposal: {[e.one_line() for e in errors]}")
    a = assess(proposal, knowledge)
    place = a.placement
    values = {
        q: int(ans.value)
        for q, ans in proposal.answers.items()
        if isinstance(ans.value, int) and not isinstance(ans.value, bool)
    }
    paradigms = place.paradigms or ((place.paradigm,) if place.paradigm else ())
    return Fill(
        case, reader, paradigms, place.elements, naive(values, knowledge), place.classifiable
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--validation", type=Path, default=ROOT / "validation")
    parser.add_argument("--rules", default=None, help="another rules directory (weights to try)")
    args = parser.parse_args()
    knowledge = load_knowledge(args.rules)
    cases = {
        path.stem: yaml.safe_load(path.read_text())
        for path in sorted((args.validation / "cases").glob("*.yaml"))
    }
    fills = [
        classify_fill(path, knowledge)
        for path in sorted((args.validation / "fills").glob("*.yaml"))
        if path.stem.rpartition(".")[0] in cases
    ]
    by_case: dict[str, list[Fill]] = {}
    for fill in fills:
        by_case.setdefault(fill.case, []).append(fill)
    hits = naive_hits = within = undecided = agree = paired = 0
    able = able_hits = able_naive = 0
    print(f"{'case':44} {'authors':14} {'reader':6} {'matland':34} {'naive':14}")
    for case, its_fills in by_case.items():
        authors = cases[case]["quadrant"]
        for fill in its_fills:
            decided = fill.matland[0] if len(fill.matland) == 1 else None
            hit = decided == authors
            near = authors in fill.matland or authors in fill.elements
            hits += hit
            naive_hits += fill.naive == authors
            within += near
            undecided += decided is None and fill.classifiable
            able += fill.classifiable
            able_hits += hit and fill.classifiable
            able_naive += fill.naive == authors and fill.classifiable
            shown = decided or (
                "undecided: " + "/".join(fill.matland) if fill.classifiable else "not classifiable"
            )
            mark = "✓" if hit else ("~" if near else "✗")
            naive_mark = "✓" if fill.naive == authors else "✗"
            print(
                f"{case:44} {authors:14} {fill.reader:6} {mark} {shown:32} "
                f"{naive_mark} {fill.naive or '—'}"
            )
        if len(its_fills) >= 2:
            paired += 1
            agree += its_fills[0].matland == its_fills[1].matland
    print()
    print(
        f"{len(by_case)} cases, {len(fills)} fills: matland puts {hits} fills in the authors' "
        f"quadrant ({undecided} undecided, {len(fills) - able} not classifiable), the naive "
        f"mean {naive_hits}; over the {able} classifiable fills, matland {able_hits} and the "
        f"naive mean {able_naive}; the authors' quadrant "
        f"is matland's paradigm, among its co-primary ones or among its elements for {within} "
        f"of {len(fills)}; the two fills agree on matland's paradigm for {agree} of {paired} "
        "cases filled twice."
    )
    print(
        f"cases={len(by_case)} fills={len(fills)} matland={hits} naive={naive_hits} "
        f"fills_agree={agree} classifiable={able} matland_classifiable={able_hits} "
        f"naive_classifiable={able_naive}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
