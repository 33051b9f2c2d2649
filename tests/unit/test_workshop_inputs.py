"""Nothing a trainer gives is dropped without a word: encodings, strict CSV, oversized
cells, half-blank forms, roles told apart by case only, notes, and the map's own mistakes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from matland.core.findings import Finding
from matland.core.knowledge import Knowledge
from matland.workshop.aggregate import aggregate, load_workshop_rules
from matland.workshop.csvinput import load_map, read_participants
from matland.workshop.participant import Participant

Run = Callable[..., Result]
ITEMS = "goal_ambiguity,means_ambiguity,evidence_gap,goal_conflict,means_conflict,stakes"


def read(
    tmp_path: Path, data: bytes, knowledge: Knowledge, name: str = "answers.csv"
) -> tuple[list[Participant], list[Finding]]:
    path = tmp_path / name
    path.write_bytes(data)
    return read_participants(str(path), knowledge)


def where(findings: list[Finding]) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.rule_id) for f in findings]


def test_a_windows_1252_csv_is_read_with_a_note(tmp_path: Path, knowledge: Knowledge) -> None:
    text = "participant;role;stakes\r\nZoë Brontë;carer;4\r\nJosé;carer;2\r\n"
    people, findings = read(tmp_path, text.encode("cp1252"), knowledge)
    assert [p.name for p in people] == ["Zoë Brontë", "José"]
    (note,) = findings
    assert (note.line, note.rule_id, note.severity) == (2, "csv-encoding", "info")
    assert "Windows-1252" in note.message and "CSV UTF-8" in note.hint


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("participant,stakes\nAnn,4\n".encode("utf-16"), "UTF-16"),
        (b"participant,stakes\nAnn\x81,4\n", "is not UTF-8"),  # no such byte in cp1252
    ],
)
def test_other_encodings_are_an_error_that_says_how_to_save(
    tmp_path: Path, knowledge: Knowledge, data: bytes, message: str
) -> None:
    people, (error,) = read(tmp_path, data, knowledge)
    assert people == [] and error.is_error
    assert message in error.message and "CSV UTF-8" in error.hint


def test_an_unclosed_quote_is_an_error_at_its_row_and_the_rows_before_count(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    text = 'participant,stakes\nAnn,4\nBob,2\n"Cy,3\nDi,4\nEd,5\n'
    people, findings = read(tmp_path, text.encode(), knowledge)
    assert [p.name for p in people] == ["Ann", "Bob"]
    (error,) = findings
    assert (error.line, error.rule_id) == (4, "csv-syntax") and error.is_error
    assert "a quote opened in row 4 (line 4) is never closed" in error.message


@pytest.mark.parametrize(
    ("cell", "kept", "found", "said"),
    [
        ("9" * 5000, ["Ann", "Bob"], (2, 2, "bad-cell"), "5,000 digits"),  # one cell out
        (f'"{"x" * 200_000}"', ["Bob"], (2, 2, "cell-too-large"), "200,000 characters"),
    ],
)
def test_an_oversized_cell_costs_its_cell_or_its_row_never_the_file(
    tmp_path: Path, knowledge: Knowledge, cell: str, kept: list[str], found: tuple, said: str
) -> None:
    text = f"participant,stakes,goal_conflict\nAnn,{cell},2\nBob,3,4\n"
    people, findings = read(tmp_path, text.encode(), knowledge)
    assert [p.name for p in people] == kept
    assert where(findings) == [found]
    assert said in findings[0].message and len(findings[0].message) < 200


def test_survey_columns_are_recognised_and_a_map_may_ignore_any(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    text = (
        "Timestamp,Email address,Start time,Your name,Department,"
        "How much do implementers or affected groups stand to gain or lose?,"
        "goal_conflict: How far do implementers and affected groups disagree with the "
        "policy's goals?\n"
        "2025-03-14 10:02:03,a@b.org,2025-03-14 10:00:00,Ann,Finance,4,"
        "5 - Goals strongly contested\n"
    )
    people, findings = read(tmp_path, text.encode(), knowledge)
    assert where(findings) == [(1, 5, "ignored-column")]  # Department: not a survey column
    (ann,) = people
    assert {k: a.value for k, a in ann.proposal.answers.items()} == {
        "stakes": 4,
        "goal_conflict": 5,
    }
    assert ann.submitted is not None and ann.submitted.hour == 10
    map_file = tmp_path / "map.yaml"
    map_file.write_text("version: 1\ncolumns:\n  Department: ignore\n")
    column_map, problems = load_map(str(map_file), knowledge)
    assert problems == [] and column_map is not None
    path = tmp_path / "answers.csv"
    _, findings = read_participants(str(path), knowledge, column_map)
    assert findings == []


def test_map_labels_that_collide_once_folded_are_an_error_at_the_second(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    path = tmp_path / "map.yaml"
    path.write_text("version: 1\nlabels:\n  Agree: 4\n  AGREE: 5\n")
    column_map, (error,) = load_map(str(path), knowledge)
    assert column_map is None
    assert (error.line, error.rule_id) == (4, "invalid-map")
    assert "'AGREE' is 'Agree' again" in error.message


def test_roles_compare_without_case_or_spaces_and_a_map_can_rename_them(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    text = f"participant,role,{ITEMS}\n"
    for name, role in [("A", "Commissioner"), ("B", "commissioner "), ("C", "Front line")]:
        text += f"{name},{role},3,3,3,3,3,3\n"
    path = tmp_path / "answers.csv"
    path.write_text(text)
    people, _ = read_participants(str(path), knowledge)
    w = aggregate(people, knowledge, load_workshop_rules(), by_role=True)
    assert [r.role for r in w.roles] == ["Commissioner", "Front line"]
    map_file = tmp_path / "map.yaml"
    map_file.write_text("version: 1\nroles:\n  front LINE: frontline staff\n")
    column_map, problems = load_map(str(map_file), knowledge)
    assert problems == [] and column_map is not None
    people, _ = read_participants(str(path), knowledge, column_map)
    assert [p.role for p in people] == ["Commissioner", "commissioner", "frontline staff"]


def test_a_half_blank_participant_is_flagged_and_left_out_of_the_group_position(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    text = f"participant,{ITEMS},zero_sum,value_clash\n"
    text += "A,1,1,1,1,1,1,1,1\nB,1,1,1,1,1,1,1,1\nHalf,5,5,,,,,,5\n"
    path = tmp_path / "answers.csv"
    path.write_text(text)
    people, _ = read_participants(str(path), knowledge)
    w = aggregate(people, knowledge, load_workshop_rules())
    assert w.flagged == ("Half",)
    assert w.group.counted == ("A", "B")
    assert w.items["goal_ambiguity"].n == 3  # in the spread
    assert w.group.assessment.proposal.answers["goal_ambiguity"].value == 1  # not the median
    (flag,) = w.errors
    assert (flag.line, flag.rule_id) == (4, "too-few-answers")
    assert "answered 3 of 12 classification items" in flag.message
    assert "1 participant with too few answers left out of the group's position" in w.headcount()


def test_notes_are_kept_by_participant_or_unnamed(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(f"participant,{ITEMS},stakes note\nAnn,3,3,3,3,3,3,they lose hours\n")
    document = json.loads(run_cli("workshop", str(path), "--format", "json").stdout)
    assert document["items"]["stakes"]["notes"] == [
        {"participant": "Ann", "note": "they lose hours"}
    ]
    for fmt in ("markdown", "html"):
        out = run_cli("workshop", str(path), "--format", fmt).stdout
        assert "they lose hours" in out and "Ann" in out
        hidden = run_cli("workshop", str(path), "--format", fmt, "--anonymous").stdout
        assert "they lose hours" in hidden and "Ann" not in hidden
