"""Where one file's check goes, stage by stage, in one process (no workers, no start-up).

Generates N proposals as bench_check.py does and prints, for each stage of `matland check
--format json`, its cost per file (the best of --repeat runs over every file), next to the
parse floor of bench_check.py (`yaml.compose` with CSafeLoader) measured on the same files.
A worker runs the same stages with its collector nearly off, so the stages run with it off.

    python benchmarks/bench_stages.py [--n 2000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from matland.core import yamlpos
from matland.core.assessment import FileResult, answered_values, assess, facts_for
from matland.core.classify import classify
from matland.core.knowledge import load_knowledge
from matland.core.risks import by_hindrance, fire_risks
from matland.core.support import recommend, support_mix
from matland.render import pieces
from matland.source.load import proposal_from_document
from matland.source.pipeline import check_file

sys.path.insert(0, str(Path(__file__).parent))
from bench_check import generate


def best_of(
    repeat: int, step: Callable[[Any], Any], items: Sequence[Any]
) -> tuple[float, list[Any]]:
    """The fastest of `repeat` runs of `step` over every item, in ms per item; and what the
    last run returned."""
    best = float("inf")
    out: list[Any] = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = [step(item) for item in items]
        best = min(best, time.perf_counter() - start)
    return best / len(items) * 1000, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    knowledge = load_knowledge()
    with tempfile.TemporaryDirectory() as tmp:
        paths = [str(p) for p in generate(Path(tmp), args.n)]
        texts = [yamlpos.read_text(p) for p in paths]
        gc.collect()
        gc.disable()
        rows: list[tuple[str, float]] = []

        def stage(name: str, step: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
            cost, out = best_of(args.repeat, step, items)
            rows.append((name, cost))
            return out

        stage("parse floor (CSafeLoader compose)", _floor, texts)
        stage("read", yamlpos.read_text, paths)
        stage("parse (compose + convert)", yamlpos.parse, texts)
        documents = [yamlpos.parse(t) for t in texts]
        proposals = stage(
            "validate",
            lambda pd: proposal_from_document(pd[0], pd[1], knowledge)[0],
            list(zip(paths, documents, strict=True)),
        )
        values = [answered_values(p) for p in proposals]
        placements = stage("classify", lambda v: classify(v, knowledge), values)
        facts = stage(
            "facts",
            lambda a: facts_for(a[0], a[1], knowledge, a[2]),
            list(zip(proposals, placements, values, strict=True)),
        )
        fired = stage(
            "risks",
            lambda a: fire_risks(a[0], a[1], knowledge),
            list(zip(facts, proposals, strict=True)),
        )
        mixes = [support_mix(p.membership, knowledge) if p.membership else None for p in placements]
        stage(
            "support",
            lambda a: recommend(a[0], by_hindrance(a[1]), knowledge) if a[0] else (),
            list(zip(mixes, fired, strict=True)),
        )
        assessments = stage(
            "assess (classify to support)", lambda p: assess(p, knowledge), proposals
        )
        results = [FileResult(p.path, a) for p, a in zip(proposals, assessments, strict=True)]
        stage("render json", lambda r: pieces(("json",), "high", r, knowledge), results)
        stage(
            "whole check of a file",
            lambda p: pieces(("json",), "high", check_file(p, knowledge), knowledge),
            paths,
        )
        gc.enable()
    floor = rows[0][1]
    print(f"{args.n} proposals, best of {args.repeat} runs, one process, collector off")
    for name, cost in rows:
        print(f"  {name:34s} {cost:.4f} ms/file  {cost / floor:5.2f}x floor")


def _floor(text: str) -> Any:
    return yaml.compose(text, Loader=yaml.CSafeLoader)


if __name__ == "__main__":
    main()
