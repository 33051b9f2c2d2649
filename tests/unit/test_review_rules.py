"""rules/review.yaml beyond the four + one: the six criteria of the report's Table 3, the
mapping onto McConnell's spectrum, and every source naming a work in sources.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from matland.core.knowledge import load_knowledge, source_parts
from matland.core.reviewrules import LEVELS, load_review_rules

RULES = Path(__file__).parents[2] / "rules"
REPORT = Path("/work/shared/seeds/001_43ac24d009fb3a2c.txt")


def _sources(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [v for k, v in node.items() if k in ("source", "criteria_source")]
        return found + [s for v in node.values() for s in _sources(v)]
    if isinstance(node, list):
        return [s for v in node for s in _sources(v)]
    return []


def test_every_source_in_review_yaml_names_a_work_in_sources_yaml() -> None:
    works = load_knowledge().sources.values()
    data = yaml.safe_load((RULES / "review.yaml").read_text(encoding="utf-8"))
    sources = _sources(data)
    assert len(sources) >= 13  # 5 questions, the file, 6 criteria, criteria_source, spectrum
    for text in sources:
        for part in source_parts(text):
            assert any(p in part for w in works for p in w.cited_as), part


def test_the_six_criteria_in_the_report_order() -> None:
    assert load_review_rules().criterion_ids == (
        "legitimacy",
        "stakeholder_engagement",
        "programme_clarity",
        "complexity",
        "political_support",
        "objectives",
    )


def test_level_descriptions_are_table_3_verbatim() -> None:
    if not REPORT.is_file():  # the source documents sit beside the project, not in it
        pytest.skip("the report's text is not on this machine")
    table = " ".join(REPORT.read_text(encoding="utf-8").split())
    for criterion in load_review_rules().criteria:
        for level in LEVELS:
            words = " ".join(getattr(criterion.levels, level).split())
            assert words in table, (criterion.id, level)


def test_the_spectrum_has_mcconnells_five_positions_and_ends_in_a_catch_all() -> None:
    spectrum = load_review_rules().spectrum
    assert [p.name for p in spectrum.positions] == [
        "Success",
        "Resilient success",
        "Conflicted success",
        "Precarious success",
        "Failure",
    ]
    assert spectrum.positions[-1].holds(0.0, 1.0)
    assert "matland" in spectrum.source and "McConnell 2010" in spectrum.source


def test_rules_list_has_the_criteria_as_their_own_kind(run_cli: Any) -> None:
    result = run_cli("rules", "list", "--kind", "criterion")
    assert result.exit_code == 0
    assert result.output.startswith("criterion (6)\n")
    shown = run_cli("rules", "show", "complexity")
    assert "Perceived and as a remote agency" in " ".join(shown.output.split())
