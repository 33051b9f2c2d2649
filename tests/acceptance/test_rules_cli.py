"""`matland rules list` / `rules show` over every rules file: the five core ones and
workshop.yaml and review.yaml, each entry with its source, from the bundled rules or
--rules DIR."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import Result

from matland.cli.main import rules_list
from matland.render import catalogue

ROOT = Path(__file__).parents[2]
RULES = ROOT / "rules"
EXAMPLES = ROOT / "examples"
Run = Callable[..., Result]


def _yaml(name: str, root: Path = RULES) -> Any:
    """A rules file as plain data, read without matland: what the listing must show."""
    return yaml.safe_load((root / name).read_text(encoding="utf-8"))


def _workshop_sources(root: Path = RULES) -> dict[str, str]:
    data = _yaml("workshop.yaml", root)
    return {key: value["source"] for key, value in data.items() if isinstance(value, dict)}


def _review_sources(root: Path = RULES) -> dict[str, str]:
    return {q["id"]: q["source"] for q in _yaml("review.yaml", root)["questions"]}


def _flat(text: str) -> str:
    """Text without any white space: the same words however a column or a line wrapped
    them (a wrap may fall after a hyphen, so joining with spaces would not do)."""
    return "".join(text.split())


def _columns(output: str, kind: str) -> dict[str, dict[str, str]]:
    """The table of one kind in `rules list` text, as {id: {header: cell}}; a wrapped cell
    is joined up again from its continuation lines."""
    lines = output.split(f"{kind} (", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    header, _dashes, *rows = lines
    names = header.split()
    starts = [header.index(f" {name}") + 1 if i else 0 for i, name in enumerate(names)]
    table: dict[str, dict[str, str]] = {}
    cells: dict[str, str] = {}
    for row in rows:
        pieces = [row[a:b] for a, b in zip(starts, [*starts[1:], len(row)], strict=True)]
        if not row.startswith(" "):
            cells = table.setdefault(pieces[0].strip(), dict.fromkeys(names, ""))
        for name, piece in zip(names, pieces, strict=True):
            cells[name] += piece
    return table


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    return target


# ------------------------------------------------------------------ rules list


def test_json_lists_every_workshop_rule_and_review_question_with_its_source(
    run_cli: Run,
) -> None:
    result = run_cli("rules", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    listing = json.loads(result.stdout)
    workshop = {e["id"]: e["source"] for e in listing["workshop"]}
    review = {e["id"]: e["source"] for e in listing["review"]}
    assert workshop == _workshop_sources()
    assert review == _review_sources()
    assert set(workshop) == {
        "disagreement",
        "conflict_evidence",
        "group",
        "roles",
        "participants",
        "survey",
        "stability",
    }


def test_json_of_one_kind_carries_the_rule_itself(run_cli: Run) -> None:
    disagreement = _yaml("workshop.yaml")["disagreement"]
    entries = json.loads(run_cli("rules", "list", "--kind", "workshop", "--format", "json").stdout)
    (entry,) = (e for e in entries if e["id"] == "disagreement")
    for key in ("low_max", "high_min", "divisor", "min_spread", "explanation", "source"):
        assert entry[key] == disagreement[key]
    questions = json.loads(run_cli("rules", "list", "--kind", "review", "--format", "json").stdout)
    assert [q["question"] for q in questions] == [
        q["question"] for q in _yaml("review.yaml")["questions"]
    ]


def test_text_lists_each_entry_with_its_whole_source(run_cli: Run) -> None:
    result = run_cli("rules", "list")
    assert result.exit_code == 0
    assert "workshop (7)" in result.output and "review (5)" in result.output
    for kind, sources in (("workshop", _workshop_sources()), ("review", _review_sources())):
        table = _columns(result.output, kind)
        # the source column is wrapped, never cut short
        assert {i: _flat(row["source"]) for i, row in table.items()} == {
            i: _flat(source) for i, source in sources.items()
        }


@pytest.mark.usefixtures("wide_terminal")
def test_text_of_the_workshop_kind_shows_the_rule_settings(run_cli: Run) -> None:
    result = run_cli("rules", "list", "--kind", "workshop")
    assert result.exit_code == 0
    assert result.output.startswith("workshop (7)\nid ")
    settings = _columns(result.output, "workshop")["disagreement"]["settings"]
    assert settings.strip() == "low_max: 2, high_min: 4, divisor: 3, min_spread: 2"
    assert "question (" not in result.output and "review (" not in result.output


def test_kind_review_lists_the_four_and_the_one(run_cli: Run) -> None:
    table = _columns(run_cli("rules", "list", "--kind", "review").output, "review")
    assert {i: row["part"].strip() for i, row in table.items()} == {
        "tried": "four",
        "learned": "four",
        "pleased": "four",
        "concerned": "four",
        "do_next": "one",
    }
    assert table["do_next"]["question"].strip() == "What will we do next?"


def test_rules_dir_is_honoured_for_workshop_and_review(run_cli: Run, rules_copy: Path) -> None:
    workshop = rules_copy / "workshop.yaml"
    workshop.write_text(
        workshop.read_text(encoding="utf-8").replace("divisor: 3", "divisor: 4"), encoding="utf-8"
    )
    review = rules_copy / "review.yaml"
    review.write_text(
        review.read_text(encoding="utf-8").replace(
            '\n      "TRIED?"\n', "\n      our own team's retrospective\n"
        ),
        encoding="utf-8",
    )
    result = run_cli("--rules", str(rules_copy), "rules", "list", "--format", "json")
    listing = json.loads(result.stdout)
    (disagreement,) = (e for e in listing["workshop"] if e["id"] == "disagreement")
    assert disagreement["divisor"] == 4
    (tried,) = (e for e in listing["review"] if e["id"] == "tried")
    assert tried["source"].endswith("our own team's retrospective")
    bundled = json.loads(run_cli("rules", "list", "--format", "json").stdout)
    assert next(e for e in bundled["review"] if e["id"] == "tried")["source"] != tried["source"]


# ------------------------------------------------------------------ rules show


def test_show_a_workshop_rule_in_full(run_cli: Run) -> None:
    disagreement = _yaml("workshop.yaml")["disagreement"]
    result = run_cli("rules", "show", "disagreement")
    assert result.exit_code == 0
    assert result.output.startswith("disagreement (workshop)\n")
    assert "divisor: 3" in result.output and "min_spread: 2" in result.output
    assert _flat(f"source: {disagreement['source']}") in _flat(result.output)


def test_show_a_review_question_in_full(run_cli: Run) -> None:
    result = run_cli("rules", "show", "do_next")
    assert result.exit_code == 0
    assert result.output.startswith("do_next (review)\n")
    assert "question: What will we do next?" in result.output
    assert _flat(f"source: {_review_sources()['do_next']}") in _flat(result.output)


def test_show_suggests_a_workshop_rule_for_a_typo(run_cli: Run) -> None:
    result = run_cli("rules", "show", "disagrement")
    assert result.exit_code == 2
    assert "did you mean 'disagreement'?" in result.stderr


def test_show_reads_the_rules_dir(run_cli: Run, rules_copy: Path) -> None:
    workshop = rules_copy / "workshop.yaml"
    workshop.write_text(
        workshop.read_text(encoding="utf-8").replace("top_items: 5", "top_items: 7"),
        encoding="utf-8",
    )
    result = run_cli("--rules", str(rules_copy), "rules", "show", "roles")
    assert result.exit_code == 0 and "top_items: 7" in result.output


# ------------------------------------------------------------------ a broken rules directory


def _line_of(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip().startswith(start))


@pytest.mark.parametrize(
    "command",
    [("rules", "list"), ("rules", "list", "--kind", "workshop"), ("rules", "show", "roles")],
)
def test_an_unknown_key_in_workshop_yaml_is_named_by_file_line_and_column(
    run_cli: Run, rules_copy: Path, command: tuple[str, ...]
) -> None:
    workshop = rules_copy / "workshop.yaml"
    workshop.write_text(
        workshop.read_text(encoding="utf-8").replace(
            "  min_spread: 2\n", "  min_spread: 2\n  max_spread: 9\n"
        ),
        encoding="utf-8",
    )
    line = _line_of(workshop, "max_spread:")
    result = run_cli("--rules", str(rules_copy), *command)
    assert result.exit_code == 2
    assert f"{workshop}:{line}:3: unknown key 'max_spread'" in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_a_yaml_syntax_error_in_workshop_yaml_is_named_by_file_line_and_column(
    run_cli: Run, rules_copy: Path
) -> None:
    workshop = rules_copy / "workshop.yaml"
    workshop.write_text(
        workshop.read_text(encoding="utf-8").replace("  divisor: 3\n", "  divisor: [3\n"),
        encoding="utf-8",
    )
    result = run_cli("--rules", str(rules_copy), "rules", "list", "--kind", "workshop")
    assert result.exit_code == 2
    (first, *_) = result.stderr.splitlines()
    assert first.startswith(f"matland: {workshop}:")
    line, column = first.removeprefix(f"matland: {workshop}:").split(":")[:2]
    assert int(line) >= _line_of(workshop, "divisor:") and int(column) >= 1
    assert "YAML syntax error" in first
    assert "Traceback" not in result.output


def test_a_missing_review_yaml_is_named(run_cli: Run, rules_copy: Path) -> None:
    (rules_copy / "review.yaml").unlink()
    result = run_cli("--rules", str(rules_copy), "rules", "list", "--kind", "review")
    assert result.exit_code == 2
    assert f"{rules_copy / 'review.yaml'}:1:1: rules file review.yaml is missing" in result.stderr


def test_core_kinds_are_listed_without_reading_workshop_yaml(
    run_cli: Run, rules_copy: Path
) -> None:
    (rules_copy / "workshop.yaml").unlink()  # enough for `check`, which never reads it
    result = run_cli("--rules", str(rules_copy), "rules", "list", "--kind", "risk")
    assert result.exit_code == 0 and "funding-gap" in result.output
    assert run_cli("--rules", str(rules_copy), "rules", "show", "funding-gap").exit_code == 0


# ------------------------------------------------------------------ the catalogue itself


def test_the_kind_option_offers_every_kind_of_the_catalogue() -> None:
    (kind,) = (p for p in rules_list.params if p.name == "kind")
    assert isinstance(kind.type, click.Choice)
    assert tuple(kind.type.choices) == catalogue.KINDS


def test_every_bundled_id_names_one_entry(run_cli: Run) -> None:
    listing = json.loads(run_cli("rules", "list", "--format", "json").stdout)
    ids = [entry["id"] for entries in listing.values() for entry in entries]
    assert len(ids) == len(set(ids))


def test_rules_show_reads_as_text_not_as_data(run_cli: Run) -> None:
    out = run_cli("rules", "show", "support-assurance-mixed").stdout
    assert "\\u00a7" not in out and "['" not in out and '{"' not in out  # no JSON, no lists
    assert "  - when: support_assurance_mixed >= 4 and learning_unsafe >= 4" in out
    assert out.count("support_assurance_mixed >= 4\n") == 1  # the condition once, in words
    pitfalls = run_cli("rules", "show", "symbolic").stdout.split("pitfalls:\n")[1]
    assert pitfalls.startswith("  - No coalition is strong enough")


def test_rules_show_suggests_only_a_close_id(run_cli: Run) -> None:
    assert "did you mean" not in run_cli("rules", "show", "nonexist").stderr
    assert "did you mean 'funding-gap'?" in run_cli("rules", "show", "funding-gapp").stderr


# ------------------------------------------------------------------ sources


def test_a_source_that_names_no_known_work_is_a_rules_error(run_cli: Run, rules_copy: Path) -> None:
    risks = rules_copy / "risks.yaml"
    text = risks.read_text()
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("    source: "))
    lines = text.splitlines()
    lines[line - 1] = "    source: Smith 2031 (a study nobody wrote)"
    risks.write_text("\n".join(lines) + "\n")
    result = run_cli("--rules", str(rules_copy), "check", str(EXAMPLES / "care-act-2014.yaml"))
    assert result.exit_code == 2
    assert f"risks.yaml:{line}:" in result.stderr
    assert "source 'Smith 2031 (a study nobody wrote)' names no work in sources.yaml" in (
        result.stderr
    )


def test_every_report_lists_the_works_it_rests_on(run_cli: Run) -> None:
    path = str(EXAMPLES / "troubled-families.yaml")
    data = json.loads(run_cli("report", path, "--format", "json").stdout)
    ids = [w["id"] for w in data["references"]]
    assert ids[:2] == ["matland1995", "report"]  # the classification's source comes first
    matland = data["references"][0]
    assert matland["doi"] == "10.1093/oxfordjournals.jpart.a037242"
    text = run_cli("report", path).stdout
    assert "References\n──────────" in text and "oxfordjournals.jpart.a037242" in text
    markdown = run_cli("report", path, "--format", "markdown").stdout
    assert "## References" in markdown
    listing = run_cli("rules", "list", "--kind", "source").stdout
    assert "matland1995" in listing and "cited as" in listing
