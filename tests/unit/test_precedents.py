"""precedents: the case library finds the case a proposal was drawn from, never itself."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from matland.core.assessment import Assessment, assess
from matland.core.knowledge import Knowledge
from matland.design.precedents import (
    MIN_SHARED_ITEMS,
    TOP_PRECEDENTS,
    bundled_examples,
    find_precedents,
    load_library,
)
from matland.render.design.precedents import as_data, as_text
from matland.source.load import load_proposal

EXAMPLES = Path(__file__).parents[2] / "examples"


def example(path: Path, knowledge: Knowledge) -> Assessment:
    proposal, errors = load_proposal(str(path), knowledge)
    assert proposal is not None, [e.one_line() for e in errors]
    return assess(proposal, knowledge)


def edited_copy(name: str, tmp_path: Path, changes: dict[str, int]) -> Path:
    text = (EXAMPLES / name).read_text()
    for item, value in changes.items():
        text, count = re.subn(rf"(\n  {item}: {{value: )\d", rf"\g<1>{value}", text)
        assert count == 1, item
    copy = tmp_path / f"draft-{name}"
    copy.write_text(text)
    return copy


PUBLISHED = list((EXAMPLES.parent / "validation" / "library").glob("*.yaml"))


def test_the_checkout_examples_are_the_bundled_library() -> None:
    assert bundled_examples() == EXAMPLES.resolve()
    assert bundled_examples("cases") == (EXAMPLES.parent / "validation" / "library").resolve()
    assert len(PUBLISHED) >= 10


def test_a_published_case_is_shown_by_its_citation_and_its_authors_quadrant(
    knowledge: Knowledge,
) -> None:
    from matland.render.design.precedents import as_data, as_text

    jordan = example(
        EXAMPLES.parent / "validation" / "library" / "pharmacovigilance-jordan.yaml", knowledge
    )
    cases, _ = load_library([], knowledge)
    search = find_precedents(jordan, cases, knowledge)
    oman = next(p for p in as_data(search)["precedents"] if "Oman" in p["title"])
    assert oman["citation"].startswith("Garashi") and oman["authors_quadrant"] == "administrative"
    assert not any(p["path"].startswith("/") for p in as_data(search)["precedents"])
    text = as_text(search)
    assert "The authors place it in administrative implementation." in text


def test_an_edited_copy_finds_its_original_first(knowledge: Knowledge, tmp_path: Path) -> None:
    copy = edited_copy("troubled-families.yaml", tmp_path, {"goal_ambiguity": 4, "stakes": 5})
    cases, problems = load_library([], knowledge)
    assert problems == [] and len(cases) == len(list(EXAMPLES.glob("*.yaml"))) + len(PUBLISHED)
    search = find_precedents(example(copy, knowledge), cases, knowledge)
    first = search.precedents[0]
    assert Path(first.case.proposal.path).name == "troubled-families.yaml"
    assert 0.9 < first.similarity < 1
    assert {d.item for d in first.differences} == {"goal_ambiguity", "stakes"}
    assert len(search.precedents) == TOP_PRECEDENTS
    similarities = [p.similarity for p in search.precedents]
    assert similarities == sorted(similarities, reverse=True)


def test_a_case_is_never_its_own_precedent(knowledge: Knowledge, tmp_path: Path) -> None:
    (tmp_path / "link.yaml").symlink_to(EXAMPLES / "care-act-2014.yaml")  # the same file
    cases, _ = load_library([str(tmp_path)], knowledge)
    assert len(cases) == len(list(EXAMPLES.glob("*.yaml"))) + len(PUBLISHED)  # read once
    link = example(tmp_path / "link.yaml", knowledge)
    search = find_precedents(link, cases, knowledge)
    assert search.library_size == len(cases) - 1
    assert all(not p.case.proposal.path.endswith("care-act-2014.yaml") for p in search.precedents)


def test_too_few_shared_answers_give_no_precedent(
    knowledge: Knowledge, assess_data: Callable[..., Assessment]
) -> None:
    sparse = assess_data(dict.fromkeys(list(knowledge.dimension_items("ambiguity"))[:3], 3))
    cases, _ = load_library([], knowledge)
    search = find_precedents(sparse, cases, knowledge)
    assert search.precedents == ()
    assert f"at least {MIN_SHARED_ITEMS} items" in as_text(search)


def test_lessons_travel_with_the_precedent_and_bad_files_are_skipped(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    library = tmp_path / "library"
    library.mkdir()
    edited_copy("care-act-2014.yaml", library, {"stakes": 4})
    (library / "broken.yaml").write_text("matland: 1\npolicy: {}\n")
    cases, problems = load_library([str(library)], knowledge)
    assert [Path(p.path).name for p in problems] == ["broken.yaml"]
    search = find_precedents(example(EXAMPLES / "care-act-2014.yaml", knowledge), cases, knowledge)
    first = as_data(search)["precedents"][0]
    assert first["path"].endswith("draft-care-act-2014.yaml")
    assert first["lessons"] and first["paradigm"] == "experimental"
