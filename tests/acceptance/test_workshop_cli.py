"""`matland workshop` and `matland review-questions` as a facilitator drives them."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from matland.core.knowledge import bundled_rules
from matland.render.prose import columns

ROOT = Path(__file__).parents[2]
WORKSHOP = ROOT / "examples" / "workshop"
PARTICIPANTS = WORKSHOP / "participants"
Run = Callable[..., Result]


def as_json(result: Result) -> dict[str, object]:
    assert result.exit_code == 0, result.output
    document: dict[str, object] = json.loads(result.stdout)
    return document


def test_text_report_names_the_contested_items_and_the_high_side(run_cli: Run) -> None:
    result = run_cli("workshop", str(PARTICIPANTS))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "7 participants" in out
    flat = " ".join(out.split())
    question = "How far do implementers and affected groups disagree with the policy's goals?"
    assert f"goal_conflict ({question}): 3 of 7 answered 1-2, 3 answered 4-5" in flat
    assert "evidence of conflict" in out
    assert "If the high answers were right" in out and "symbolic" in out
    assert "Support mix" in out and "Policy-failure risks" in out


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_one_participant_is_told_disagreement_needs_two(run_cli: Run, fmt: str) -> None:
    one = sorted(PARTICIPANTS.iterdir())[0]
    out = run_cli("workshop", str(one), "--format", fmt).stdout
    assert "One participant: disagreement needs two or more." in " ".join(out.split())


def test_json_carries_participants_items_and_group(run_cli: Run) -> None:
    document = as_json(run_cli("workshop", str(PARTICIPANTS), "--format", "json"))
    participants = document["participants"]
    assert isinstance(participants, list) and len(participants) == 7
    assert {"name", "role", "paradigm", "scores"} <= set(participants[0])
    items = document["items"]
    assert isinstance(items, dict)
    goal = items["goal_conflict"]
    assert {"n", "mean", "median", "min", "max", "iqr", "disagreement"} <= set(goal)
    assert (goal["n"], goal["median"], goal["iqr"], goal["disagreement"]) == (7, 3, 2, True)
    assert goal["group_value"] == "contested"
    assert items["stakes"]["group_value"] == 4 and items["stakes"]["disagreement"] is False
    group = document["group"]
    assert isinstance(group, dict)
    # four contested conflict items count at their high side: symbolic, the medians
    # alone experimental (rules/workshop.yaml conflict_evidence)
    assert group["paradigm"] == "symbolic"
    assert group["scores"] == {"ambiguity": 68.8, "conflict": 68.8}
    assert group["median_position"] == {
        "label": "experimental",
        "scores": {"ambiguity": 68.8, "conflict": 43.8},
    }
    assert group["conflict_counted_high"] == [
        "goal_conflict",
        "means_conflict",
        "zero_sum",
        "value_clash",
    ]
    assert group["support_mix"]["recommended"] and group["risks"]
    disagreement = group["disagreement"]
    conflict = ["goal_conflict", "means_conflict", "zero_sum", "value_clash"]
    assert disagreement["conflict_items"] == conflict
    assert disagreement["if_high_answers_right"]["paradigm"] == "symbolic"
    assert document["errors"] == []


def test_the_csv_and_the_files_give_the_same_workshop(run_cli: Run) -> None:
    files = as_json(run_cli("workshop", str(PARTICIPANTS), "--format", "json"))
    table = as_json(
        run_cli(
            "workshop",
            str(WORKSHOP / "workshop.csv"),
            "--format",
            "json",
            "--title",
            "Neighbourhood care hubs",
        )
    )

    def without_notes(items: object) -> dict[str, object]:
        assert isinstance(items, dict)
        return {k: {**v, "notes": []} for k, v in items.items()}  # the CSV holds no notes

    def in_any_order(group: object) -> dict[str, object]:
        """The group with its lists of names as sets (the files come sorted by name)."""
        assert isinstance(group, dict)
        sides = group["disagreement"]["sides"]
        return {
            **group,
            "counted": set(group["counted"]),
            "disagreement": {
                **group["disagreement"],
                "sides": {i: {k: set(v) for k, v in s.items()} for i, s in sides.items()},
            },
        }

    assert without_notes(table["items"]) == without_notes(files["items"])
    assert in_any_order(table["group"]) == in_any_order(files["group"])
    assert table["title"] == files["title"]


def test_a_survey_export_is_read_through_its_map(run_cli: Run) -> None:
    document = as_json(
        run_cli(
            "workshop",
            str(WORKSHOP / "survey-export.csv"),
            "--map",
            str(WORKSHOP / "survey-map.yaml"),
            "--format",
            "json",
        )
    )
    assert document["group"]["median_position"]["scores"] == {"ambiguity": 68.8, "conflict": 43.8}
    assert document["errors"] == []  # ID, Start time, Completion time: the tool's own


def test_by_role_shows_each_role_and_where_roles_differ(run_cli: Run) -> None:
    document = as_json(run_cli("workshop", str(PARTICIPANTS), "--by", "role", "--format", "json"))
    roles = {r["role"]: r for r in document["roles"]}
    assert roles["provider"]["paradigm"] == "symbolic"
    assert roles["commissioner"]["paradigm"] == "administrative"
    assert document["role_gaps"][0]["item"] == "no_codesign"
    text = run_cli("workshop", str(PARTICIPANTS), "--by", "role").stdout
    assert "Where the roles differ most" in text


@pytest.mark.parametrize("width", ["80", "200"])
def test_where_roles_differ_fits_the_terminal_and_names_every_roles_median(
    width: str, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", width)
    document = as_json(run_cli("workshop", str(PARTICIPANTS), "--by", "role", "--format", "json"))
    text = run_cli("workshop", str(PARTICIPANTS), "--by", "role").stdout
    section = text.split("Where the roles differ most")[1].split("Ranked by the gap")[0]
    assert max(map(columns, section.splitlines())) <= int(width)
    flat = " ".join(section.split())
    for gap in document["role_gaps"]:  # each item, and each role's median of it, on screen
        assert gap["item"] in flat
        for role, median in gap["medians"].items():
            shown = f"{median:g}"
            assert f"{role} {shown}" in flat or shown in flat.split(gap["item"])[1], role


def test_a_bad_cell_is_reported_and_its_participant_still_counts(
    run_cli: Run, tmp_path: Path
) -> None:
    lines = (WORKSHOP / "workshop.csv").read_text().splitlines()
    header = lines[0].split(",")
    row = lines[3].split(",")
    row[header.index("stakes")] = "9"
    lines[3] = ",".join(row)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    result = run_cli("workshop", str(bad), "--format", "json")
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert len(document["participants"]) == 7
    assert "stakes" not in document["participants"][2]["answers"]
    assert document["items"]["stakes"]["n"] == 6
    (error,) = document["errors"]
    assert (error["line"], error["column"]) == (4, header.index("stakes") + 1)
    text = run_cli("workshop", str(bad)).stdout
    at = f"bad.csv:4:{header.index('stakes') + 1}"
    assert f"{at}: stakes: 9 is outside 1–5; counted as unanswered" in text
    # said at the top too, not only at the end of a long report
    assert " ".join(text.split("\n\n")[0].splitlines()[2:]) == (
        "7 participants; 1 cell left out (counted as unanswered) (see “Left out or noted”, 1 note)"
    )


def test_a_row_cut_short_is_noted_and_still_counts(run_cli: Run, tmp_path: Path) -> None:
    lines = (WORKSHOP / "workshop.csv").read_text().splitlines()
    header = lines[0].split(",")
    lines[2] = ",".join(lines[2].split(",")[:-3])  # the last three cells lost
    short = tmp_path / "short.csv"
    short.write_text("\n".join(lines) + "\n")
    result = run_cli("workshop", str(short), "--format", "json")
    assert result.exit_code == 0  # noted, not an error: the rest of the row counts
    document = json.loads(result.stdout)
    assert len(document["participants"]) == 7
    (note,) = document["errors"]
    assert (note["rule_id"], note["severity"], note["line"]) == ("short-row", "low", 3)
    assert ", ".join(header[-3:]) + " count as unanswered" in note["message"]


def test_a_participant_about_another_policy_is_left_out_unless_mixed_is_allowed(
    run_cli: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "p"
    shutil.copytree(PARTICIPANTS, folder)
    renamed = sorted(folder.iterdir())[-1]
    text = renamed.read_text()
    title = next(line for line in text.splitlines() if line.strip().startswith("title:"))
    renamed.write_text(text.replace(title, "  title: Another policy", 1))
    document = json.loads(run_cli("workshop", str(folder), "--format", "json").stdout)
    assert len(document["participants"]) == 6
    (note,) = document["errors"]
    assert note["rule_id"] == "other-policy" and note["path"] == str(renamed)
    assert "assessed 'Another policy', not 'Neighbourhood care hubs': left out" in note["message"]
    assert "--allow-mixed" in note["hint"]
    mixed = json.loads(run_cli("workshop", str(folder), "--format", "json", "--allow-mixed").stdout)
    assert len(mixed["participants"]) == 7
    (note,) = mixed["errors"]
    assert note["rule_id"] == "different-policies"
    assert "'Another policy' (1)" in note["message"]
    # A --title that no participant assessed names the workshop; the majority decides.
    titled = json.loads(
        run_cli("workshop", str(folder), "--format", "json", "--title", "Hubs").stdout
    )
    assert titled["title"] == "Hubs" and len(titled["participants"]) == 6
    # A --title that some assessed chooses them.
    chosen = json.loads(
        run_cli("workshop", str(folder), "--format", "json", "--title", "another POLICY").stdout
    )
    assert [p["name"] for p in chosen["participants"]] == ["Tom Barker"]


def test_output_file_is_written_once_and_replaced_only_with_force(
    run_cli: Run, tmp_path: Path
) -> None:
    target = tmp_path / "workshop.html"
    result = run_cli("workshop", str(PARTICIPANTS), "--format", "html", "-o", str(target))
    assert result.exit_code == 0 and f"Wrote {target}" in result.stderr
    first = target.read_text()
    assert first.startswith("<!DOCTYPE html>") and 'data-participant="Priya Shah"' in first
    target.write_text("mine")
    again = run_cli("workshop", str(PARTICIPANTS), "--format", "html", "-o", str(target))
    assert again.exit_code == 2 and "--force" in again.stderr
    assert target.read_text() == "mine"
    forced = run_cli(
        "workshop", str(PARTICIPANTS), "--format", "html", "-o", str(target), "--force"
    )
    assert forced.exit_code == 0 and target.read_text() == first
    assert [p.name for p in tmp_path.iterdir()] == ["workshop.html"]  # no temporary left


@pytest.mark.parametrize("target", ["workshop.csv", "participants/priya-shah.yaml", "map.yaml"])
def test_output_never_replaces_an_input_even_with_force(
    run_cli: Run, tmp_path: Path, target: str
) -> None:
    shutil.copytree(WORKSHOP, tmp_path / "w")
    shutil.copy(WORKSHOP / "survey-map.yaml", tmp_path / "w" / "map.yaml")
    inputs = {
        "workshop.csv": ["w/workshop.csv"],
        "participants/priya-shah.yaml": ["w/participants"],
        "map.yaml": ["w/survey-export.csv", "--map", "w/map.yaml"],
    }[target]
    path = tmp_path / "w" / target
    before = path.read_bytes()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        result = run_cli("workshop", *inputs, "-o", f"w/{target}", "--force")
    assert result.exit_code == 2
    assert f"w/{target}: is one of the inputs; not overwritten" in result.stderr
    assert path.read_bytes() == before


def test_usage_errors_exit_2(run_cli: Run, tmp_path: Path) -> None:
    no_csv = run_cli("workshop", str(PARTICIPANTS), "--map", str(WORKSHOP / "survey-map.yaml"))
    assert no_csv.exit_code == 2 and "CSV" in no_csv.stderr
    empty = tmp_path / "empty.csv"
    empty.write_text("who,stakes\nAnn,3\n")
    nobody = run_cli("workshop", str(empty))
    assert nobody.exit_code == 2 and "no `participant` column" in nobody.stderr
    assert run_cli("workshop", str(PARTICIPANTS), "--format", "sarif").exit_code == 2
    bad_map = tmp_path / "map.yaml"
    bad_map.write_text("version: 1\ncolumns:\n  Name: who\n")
    mapped = run_cli("workshop", str(WORKSHOP / "survey-export.csv"), "--map", str(bad_map))
    assert mapped.exit_code == 2 and f"{bad_map}:3:9" in mapped.stderr


def test_a_rules_directory_without_workshop_yaml_exits_2(run_cli: Run, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(bundled_rules(), rules)
    (rules / "workshop.yaml").unlink()
    result = run_cli("--rules", str(rules), "workshop", str(PARTICIPANTS))
    assert result.exit_code == 2
    assert "workshop.yaml is missing" in result.stderr


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_review_questions_ask_the_four_and_the_one(run_cli: Run, fmt: str) -> None:
    result = run_cli("review-questions", "--format", fmt)
    assert result.exit_code == 0
    out = result.stdout
    asked = [
        "What have we tried?",
        "What have we learned?",
        "What are we pleased about?",
        "What are we concerned about?",
        "What will we do next?",
    ]
    positions = [out.index(q) for q in asked]
    assert positions == sorted(positions)
    assert "Policy into Practice" in out


def test_the_committed_example_report_is_current(
    run_cli: Run, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """examples/workshop/report.html is what the README's command writes today."""
    committed = WORKSHOP / "report.html"
    fresh = tmp_path / "report.html"
    result = run_cli(
        "workshop", str(PARTICIPANTS), "--by", "role", "--format", "html", "-o", str(fresh)
    )
    assert result.exit_code == 0
    if request.config.getoption("--update-golden"):
        committed.write_text(fresh.read_text())
    assert fresh.read_text() == committed.read_text(), (
        "regenerate: matland workshop examples/workshop/participants --by role "
        "--format html -o examples/workshop/report.html --force"
    )


def test_group_column_shows_the_answer_the_group_assessment_uses(
    run_cli: Callable[..., Result],
) -> None:
    result = run_cli("workshop", str(WORKSHOP / "participants"), "--format", "json")
    document = json.loads(result.stdout)
    autonomy = document["items"]["implementer_autonomy"]
    assert autonomy["median"] == 2.5
    assert document["group"]["answers"]["implementer_autonomy"] == 3
    text = run_cli("workshop", str(WORKSHOP / "participants")).stdout
    row = next(
        line for line in text.splitlines() if line.strip().startswith("implementer_autonomy")
    )
    assert row.split()[-1] == "3"


def test_a_group_on_both_lines_is_undecided_between_all_four(run_cli: Run, tmp_path: Path) -> None:
    items = ["goal_ambiguity", "means_ambiguity", "evidence_gap"]
    items += ["goal_conflict", "means_conflict", "stakes"]
    rows = [
        "participant," + ",".join(items),
        *(f"P{i}," + ",".join("3" * len(items)) for i in range(3)),
    ]
    csv = tmp_path / "middle.csv"
    csv.write_text("\n".join(rows) + "\n")
    out = run_cli("workshop", str(csv)).stdout
    assert "Undecided between administrative, political, experimental and" in out
    assert "ambiguity lies on the line and no evidence decides it" in out
    assert "Why:        confidence low" in out


def test_by_role_without_roles_says_so(run_cli: Run, tmp_path: Path) -> None:
    lines = (WORKSHOP / "workshop.csv").read_text().splitlines()
    header = lines[0].split(",")
    keep = [i for i, name in enumerate(header) if name != "role"]
    rows = [",".join(line.split(",")[i] for i in keep) for line in lines]
    (tmp_path / "roleless.csv").write_text("\n".join(rows) + "\n")
    document = json.loads(
        run_cli(
            "workshop", str(tmp_path / "roleless.csv"), "--by", "role", "--format", "json"
        ).stdout
    )
    assert [e["rule_id"] for e in document["errors"]] == ["no-roles"]
