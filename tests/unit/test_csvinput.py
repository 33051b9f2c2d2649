"""CSV input: one row per participant, with and without a --map; bad rows are Findings at
their row and column and are left out, the other rows still count."""

from __future__ import annotations

from pathlib import Path

import pytest

from matland.core.findings import Finding
from matland.core.knowledge import Knowledge
from matland.workshop.aggregate import Participant
from matland.workshop.csvinput import ColumnMap, load_map, read_participants
from matland.workshop.participants import gather

ROOT = Path(__file__).parents[2]
WORKSHOP = ROOT / "examples" / "workshop"


def read(
    tmp_path: Path, text: str, knowledge: Knowledge, column_map: ColumnMap | None = None
) -> tuple[list[Participant], list[Finding]]:
    path = tmp_path / "answers.csv"
    path.write_bytes(text.encode("utf-8"))
    return read_participants(str(path), knowledge, column_map)


def values(participant: Participant) -> dict[str, object]:
    return {qid: a.value for qid, a in participant.proposal.answers.items()}


def where(findings: list[Finding]) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.rule_id) for f in findings]


def test_rows_become_participants_with_roles_and_answers(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    text = (
        "participant,role,goal_conflict,pilot,implementing_bodies,stakes\n"
        "Ann,commissioner,2,yes,12,unsure\n"
        "Bob,,5,False,3,\n"
    )
    people, findings = read(tmp_path, text, knowledge)
    assert findings == []
    assert [(p.name, p.role) for p in people] == [("Ann", "commissioner"), ("Bob", None)]
    assert values(people[0]) == {
        "goal_conflict": 2,
        "pilot": True,
        "implementing_bodies": 12,
        "stakes": None,  # unsure
    }
    assert values(people[1]) == {"goal_conflict": 5, "pilot": False, "implementing_bodies": 3}
    assert people[1].source.endswith("answers.csv:3")


def test_a_bad_cell_is_reported_at_row_and_column_and_counts_as_unanswered(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    text = (
        "participant,role,goal_conflict,pilot\n"
        "Ann,a,2,yes\n"
        "Bob,b,7,yes\n"  # row 3, column 3: outside 1-5
        "Cy,c,3,maybe\n"  # row 4, column 4: not yes/no
        "Di,d,2.5,no\n"  # row 5, column 3: not a whole number
        "Ed,e,4,no\n"
    )
    people, findings = read(tmp_path, text, knowledge)
    # every participant stays, with the rest of their answers
    assert [p.name for p in people] == ["Ann", "Bob", "Cy", "Di", "Ed"]
    assert [values(p) for p in people[1:4]] == [
        {"pilot": True},
        {"goal_conflict": 3},
        {"pilot": False},
    ]
    assert where(findings) == [(3, 3, "bad-cell"), (4, 4, "bad-cell"), (5, 3, "bad-cell")]
    assert all(f.path.endswith("answers.csv") and f.is_error for f in findings)
    assert findings[0].message == "goal_conflict: 7 is outside 1–5; counted as unanswered"
    assert findings[0].hint == "give a whole number from 1 (least) to 5 (most), or unsure"


def test_a_row_with_more_cells_than_columns_is_left_out(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    text = "participant,stakes\nAnn,2\nBob,3,4\n\nCy,4\n"
    people, findings = read(tmp_path, text, knowledge)
    assert [p.name for p in people] == ["Ann", "Cy"]  # the blank line is skipped quietly
    assert where(findings) == [(3, 3, "extra-cells")]


def test_without_a_participant_column_nothing_is_read(tmp_path: Path, knowledge: Knowledge) -> None:
    people, findings = read(tmp_path, "who,stakes\nAnn,2\n", knowledge)
    assert people == []
    assert "no-participant-column" in [f.rule_id for f in findings]


def test_unknown_columns_are_noted_and_misspelt_question_ids_are_errors(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    text = "participant,Department,goal_conflcit,stakes\nAnn,today,2,3\n"
    people, findings = read(tmp_path, text, knowledge)
    assert values(people[0]) == {"stakes": 3}
    info, error = findings
    assert (info.column, info.severity, info.rule_id) == (2, "info", "ignored-column")
    assert (error.column, error.severity) == (3, "error")
    assert "goal_conflict" in error.hint


def test_a_second_column_for_the_same_question_is_ignored(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    people, findings = read(tmp_path, "participant,stakes,Stakes\nAnn,2,5\n", knowledge)
    assert values(people[0]) == {"stakes": 2}
    assert where(findings) == [(1, 3, "duplicate-column")]


def test_semicolons_quotes_and_a_byte_order_mark_are_read(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    text = '\ufeffparticipant;role;stakes\r\n"Smith; Ann";"lead, finance";4\r\n'
    people, findings = read(tmp_path, text, knowledge)
    assert findings == []
    assert (people[0].name, people[0].role, values(people[0])) == (
        "Smith; Ann",
        "lead, finance",
        {"stakes": 4},
    )


def test_an_empty_participant_cell_is_named_by_its_row(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    people, _ = read(tmp_path, "participant,stakes\n,2\n", knowledge)
    assert people[0].name == "row 2"


def test_a_name_given_twice_counts_once_by_the_later_row(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("participant,stakes\nAnn,2\nBob,3\nann ,5\n")
    people, findings = gather([str(path)], knowledge)
    assert [(p.name, values(p)) for p in people] == [("Bob", {"stakes": 3}), ("ann", {"stakes": 5})]
    assert where(findings) == [(2, 1, "duplicate-participant")]  # the replaced row
    assert findings[0].severity == "low"
    assert "answered twice: row 2 is replaced by row 4 (given later)" in findings[0].message


def test_a_correction_replaces_the_earlier_submission_by_its_timestamp(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Timestamp,Your name,stakes\n"
        "14/03/2025 10:40:00,Ann,5\n"  # the correction, exported above the first answer
        "14/03/2025 10:02:00,Ann,2\n"
        "14/03/2025 10:05:00,Bob,3\n"
    )
    people, findings = gather([str(path)], knowledge)
    assert [(p.name, values(p)) for p in people] == [("Ann", {"stakes": 5}), ("Bob", {"stakes": 3})]
    (replaced,) = findings
    assert (replaced.line, replaced.rule_id) == (3, "duplicate-participant")
    assert "(2025-03-14 10:02) is replaced by" in replaced.message
    assert "(2025-03-14 10:40) (the later timestamp)" in replaced.message


def test_the_example_csv_holds_the_same_answers_as_the_example_files(
    knowledge: Knowledge,
) -> None:
    from_csv, problems = gather([str(WORKSHOP / "workshop.csv")], knowledge)
    from_files, errors = gather([str(WORKSHOP / "participants")], knowledge)
    assert problems == errors == []
    assert len(from_files) >= 6
    by_name = {p.name: p for p in from_csv}
    for participant in from_files:
        twin = by_name[participant.name]
        assert twin.role == participant.role
        assert values(twin) == values(participant)


# ------------------------------------------------------------------ --map


MAP = """\
version: 1
columns:
  "Your name": participant
  "Your role": role
  "The goals are clear": goal_ambiguity
  "People disagree about the goals": goal_conflict
  "Is this a pilot?": pilot
labels:
  Strongly disagree: 1
  Disagree: 2
  Neither agree nor disagree: 3
  Agree: 4
  Strongly agree: 5
  "Don't know": unsure
item_labels:
  pilot: {"Yes": true, "No": false}
reverse: [goal_ambiguity]
"""


@pytest.fixture
def column_map(tmp_path: Path, knowledge: Knowledge) -> ColumnMap:
    path = tmp_path / "map.yaml"
    path.write_text(MAP)
    loaded, findings = load_map(str(path), knowledge)
    assert findings == [] and loaded is not None
    return loaded


def test_a_map_translates_headers_labels_and_reversed_items(
    tmp_path: Path, knowledge: Knowledge, column_map: ColumnMap
) -> None:
    text = (
        "ID,Your  name,YOUR ROLE,The goals are clear,"
        "People disagree about the goals,Is this a pilot?\n"
        "1,Ann,Lead,Strongly agree,disagree,Yes\n"
        "2,Bob,Staff,Don't know,Strongly Agree,No\n"
    )
    people, findings = read(tmp_path, text, knowledge, column_map)
    assert findings == []  # `ID` is a survey tool's own column: ignored without a word
    assert [(p.name, p.role) for p in people] == [("Ann", "Lead"), ("Bob", "Staff")]
    # "The goals are clear": strongly agreeing means the least goal ambiguity
    assert values(people[0]) == {"goal_ambiguity": 1, "goal_conflict": 2, "pilot": True}
    assert values(people[1]) == {"goal_ambiguity": None, "goal_conflict": 5, "pilot": False}


def test_an_unknown_label_is_reported_with_a_suggestion(
    tmp_path: Path, knowledge: Knowledge, column_map: ColumnMap
) -> None:
    text = "Your name,People disagree about the goals\nAnn,Agre\nBob,Agree\n"
    people, findings = read(tmp_path, text, knowledge, column_map)
    assert [(p.name, values(p)) for p in people] == [("Ann", {}), ("Bob", {"goal_conflict": 4})]
    (finding,) = findings
    assert (finding.line, finding.column, finding.rule_id) == (2, 2, "bad-cell")
    assert "unknown answer label 'Agre'" in finding.message
    assert "'Agree'" in finding.hint


def test_the_example_survey_export_with_its_map_gives_the_same_answers(
    knowledge: Knowledge,
) -> None:
    column_map, problems = load_map(str(WORKSHOP / "survey-map.yaml"), knowledge)
    assert problems == [] and column_map is not None
    survey, notes = gather([str(WORKSHOP / "survey-export.csv")], knowledge, column_map)
    assert all(n.severity == "info" for n in notes)
    files = {p.name: p for p in gather([str(WORKSHOP / "participants")], knowledge)[0]}
    for participant in survey:
        answers = values(files[participant.name])
        assert values(participant) == {k: answers[k] for k in values(participant)}
        assert len(values(participant)) == 12


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("version: 1\ncolumns:\n  Name: particpant\n", 3, "'particpant' is not a question id"),
        ("version: 1\nlabels:\n  Agree: maybe\n", 3, "'maybe' is not an answer"),
        ("version: 1\nreverse: [pilot]\n", 2, "'pilot' is not a 1-5 scale question"),
        ("version: 1\ncolumn: {}\n", 2, "unknown key 'column'"),
        ("columns: {}\n", 1, "missing required key 'version'"),
        ("version: 1\nitem_labels:\n  pilott: {Yes: true}\n", 3, "'pilott' is not a question id"),
    ],
)
def test_a_bad_map_is_reported_at_its_line(
    tmp_path: Path, knowledge: Knowledge, text: str, line: int, message: str
) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(text)
    loaded, findings = load_map(str(path), knowledge)
    assert loaded is None
    assert findings[0].line == line
    assert message in findings[0].message
