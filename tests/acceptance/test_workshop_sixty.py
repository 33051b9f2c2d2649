"""The fixture workshop of sixty (tests/data/workshop-60, written by its make.py): a survey
export with a timestamp column, mixed-case roles, bad cells, a correction sent later, a
half-blank form, a participant about another policy and a Windows-1252 file. Each point is
asserted in every output format."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from matland.cli.main import cli
from matland.core.knowledge import load_knowledge

sys.path.insert(0, str(Path(__file__).parents[1] / "unit"))
from test_workshop_matrix import crossings

DATA = Path(__file__).parents[1] / "data" / "workshop-60"
FILES = [str(DATA / "export.csv"), str(DATA / "late.csv")]
FORMATS = ("text", "markdown", "json", "html")
Run = Callable[..., Result]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["workshop", *FILES, *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def outputs() -> dict[str, str]:
    found = {}
    for fmt in FORMATS:
        result = run("--by", "role", "--format", fmt)
        assert result.exit_code == 2  # two bad cells: invalid input, the rest still counts
        found[fmt] = result.stdout
    return found


@pytest.fixture(scope="module")
def document(outputs: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(outputs["json"])
    return data


def flat(text: str) -> str:
    """The words of any format, markup and line breaks aside."""
    text = re.sub(r"<[^>]+>", " ", text).replace("&#x27;", "'").replace("&quot;", '"')
    return " ".join(text.replace("&amp;", "&").split())


def located(fmt: str, output: str, where: str, text: str) -> bool:
    """Whether a format tells `text` at `where` (file:row:column; JSON has them apart)."""
    if fmt != "json":
        return where in flat(output) and text in flat(output)
    path, line, column = where.rsplit(":", 2)
    return any(
        e["path"].endswith(path)
        and (e["line"], e["column"]) == (int(line), int(column))
        and text in e["message"]
        for e in json.loads(output)["errors"]
    )


def person(document: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in document["participants"] if p["name"] == name)


def test_sixty_participants_and_what_was_left_out_said_at_the_top(
    outputs: dict[str, str], document: dict[str, Any]
) -> None:
    assert len(document["participants"]) == 60
    said = (
        "60 participants; 2 cells left out (counted as unanswered); 1 participant about "
        "another policy left out; 1 earlier submission replaced by a later one; 1 participant "
        "with too few answers left out of the group's position (see “Left out or noted”, "
        "6 notes)"
    )
    for fmt in ("text", "markdown", "html"):
        assert said in flat(outputs[fmt]), fmt


def test_the_correction_sent_later_replaces_the_first_answer(
    outputs: dict[str, str], document: dict[str, Any]
) -> None:
    ann = person(document, "Ann Lee")
    assert ann["answers"]["goal_conflict"] == 1  # the correction at 10:41, not 10:01's 5
    assert ann["source"].endswith("export.csv:2")
    (replaced,) = [e for e in document["errors"] if e["rule_id"] == "duplicate-participant"]
    assert replaced["line"] == 58
    for fmt in FORMATS:
        assert "'Ann Lee' answered twice: row 58 (2025-03-14 10:01) is replaced by row 2" in flat(
            outputs[fmt]
        ), fmt


def test_roles_that_differ_in_case_or_spaces_are_one_role(
    outputs: dict[str, str], document: dict[str, Any]
) -> None:
    roles = {r["role"]: len(r["participants"]) for r in document["roles"]}
    assert roles == {
        "Commissioner": 10,
        "Provider": 14,
        "Front-line staff": 14,
        "Carer": 12,
        "Voluntary sector": 10,
    }
    for fmt in ("text", "markdown", "html"):
        assert "commissioner " not in outputs[fmt] and "COMMISSIONER" not in outputs[fmt]


def test_bad_cells_count_as_unanswered_and_the_rest_of_the_row_counts(
    outputs: dict[str, str], document: dict[str, Any]
) -> None:
    bad = [(e["line"], e["column"]) for e in document["errors"] if e["rule_id"] == "bad-cell"]
    assert bad == [(8, 14), (11, 13)]  # "4-5" for stakes, "dunno" for means_conflict
    row8 = next(p for p in document["participants"] if p["source"].endswith(":8"))
    assert "stakes" not in row8["answers"] and len(row8["answers"]) == 13  # of 14
    row14 = next(p for p in document["participants"] if p["source"].endswith(":14"))
    assert row14["answers"]["zero_sum"] == 3  # "3 " is read as 3
    for fmt in FORMATS:
        said = "'4-5' is not a number; counted as unanswered"
        assert located(fmt, outputs[fmt], "export.csv:8:14", said), fmt


def test_a_half_blank_participant_stays_out_of_the_group_position(
    outputs: dict[str, str], document: dict[str, Any]
) -> None:
    sam = person(document, "Sam Patel")
    assert sam["in_group_position"] is False
    assert document["left_out_of_group_position"] == ["Sam Patel"]
    assert "Sam Patel" not in document["group"]["counted"]
    assert document["items"]["goal_ambiguity"]["n"] == 60  # their answer still counts here
    for fmt in FORMATS:
        assert "'Sam Patel' answered 4 of 12 classification items" in flat(outputs[fmt]), fmt
    for fmt in ("text", "markdown", "html"):
        assert "left out of the group's position" in flat(outputs[fmt]), fmt


def test_a_participant_about_another_policy_is_left_out_unless_mixed(
    outputs: dict[str, str], document: dict[str, Any]
) -> None:
    assert document["title"] == "Neighbourhood care hubs"
    assert "Olu Ade" not in [p["name"] for p in document["participants"]]
    for fmt in FORMATS:
        assert "'Olu Ade' assessed 'Day centres review', not 'Neighbourhood care hubs'" in flat(
            outputs[fmt]
        ), fmt
    mixed = json.loads(run("--format", "json", "--allow-mixed").stdout)
    assert len(mixed["participants"]) == 61


def test_the_windows_1252_file_is_read_with_a_note(
    outputs: dict[str, str], document: dict[str, Any]
) -> None:
    assert {"José Núñez", "Zoë Brontë", "Søren Økland"} <= {
        p["name"] for p in document["participants"]
    }
    for fmt in FORMATS:
        assert located(fmt, outputs[fmt], "late.csv:2:24", "read as Windows-1252"), fmt
        assert "José Núñez" in flat(outputs[fmt]), fmt


def test_every_marker_is_in_its_quadrant_and_the_text_matrix_counts_them(
    outputs: dict[str, str], document: dict[str, Any]
) -> None:
    placed = [p for p in document["participants"] if None not in p["scores"].values()]
    assert len(placed) == 59  # Sam Patel's four answers place nobody
    drawn, crossing, wrong = crossings(outputs["html"], load_knowledge())
    assert drawn >= 59 + 1 and crossing == 0, wrong
    text = outputs["text"]
    matrix = text.split("┌", 1)[1].split("└", 1)[0]
    for label in ("ADMINISTRATIVE", "POLITICAL", "EXPERIMENTAL", "SYMBOLIC"):
        matrix = matrix.replace(label, "")
    alone = len(re.findall(r"[1-9A-Z]", matrix))
    shared = re.findall(r"^  (?:[a-z*]:|◆ shares its cell with) (\d+) participants?", text, re.M)
    assert alone + sum(int(n) for n in shared) == 59


def test_a_bloc_of_roles_is_a_split_and_the_contested_item_names_its_sides(
    outputs: dict[str, str], document: dict[str, Any]
) -> None:
    splits = {s["item"]: s for s in document["role_splits"]}
    funding = splits["funding_gap"]
    assert (funding["low"], funding["high"], funding["contested"]) == (
        ["Commissioner"],
        ["Front-line staff"],
        False,
    )
    assert document["group"]["disagreement"]["items"] == ["goal_conflict"]
    sides = document["group"]["disagreement"]["sides"]["goal_conflict"]
    assert "Ann Lee" in sides["low"] and len(sides["low"]) == 22
    said = "funding_gap: Commissioner (1-2) against Front-line staff (4-5)"
    for fmt in ("text", "markdown", "html"):
        words = flat(outputs[fmt])
        assert said in words and "not contested for the whole group" in words, fmt
        assert "1 contested item" in words and "Ann Lee" in words, fmt


def test_notes_are_kept_by_participant(outputs: dict[str, str], document: dict[str, Any]) -> None:
    notes = document["items"]["goal_conflict"]["notes"]
    assert {"participant": "Ann Lee", "note": "changed my mind after the discussion"} in notes
    assert {"participant": "Zoë Brontë", "note": "the hubs’ budget is a guess"} in notes
    for fmt in ("markdown", "html"):
        assert "changed my mind after the discussion" in flat(outputs[fmt]), fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_anonymous_drops_every_name_and_keeps_roles(fmt: str) -> None:
    out = run("--by", "role", "--anonymous", "--format", fmt).stdout
    for name in ("Ann Lee", "Sam Patel", "Olu Ade", "José Núñez", "Zoë Brontë", "Ben Shah"):
        assert name not in out, name
    assert "Front-line staff" in out and "Commissioner" in out
    if fmt != "text":  # the notes are kept, unnamed
        assert "changed my mind after the discussion" in out
