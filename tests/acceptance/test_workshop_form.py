"""A form built from `matland workshop form` reads back without a map; the handouts carry
name and role fields and a box for each yes/no answer; the rules' text reads as prose."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import yaml
from click.testing import Result

from matland.core.knowledge import Knowledge

Run = Callable[..., Result]


def test_a_form_built_from_the_guide_is_read_without_a_map(
    run_cli: Run, tmp_path: Path, knowledge: Knowledge
) -> None:
    result = run_cli("workshop", "form", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    questions = [r for r in rows if r["number"]]
    assert [r["id"] for r in questions] == list(knowledge.questions)
    # An export as a form tool writes it: its own columns, then each title, then answers
    # picked from the choices offered (the last scale choice, `unsure`, left aside).
    header = ["Timestamp", "Email address", "Your name", "Your role"]
    header += [r["question"] for r in questions]
    answers = []
    for r in questions:
        offered = [r[f"choice {i}"] for i in range(1, 7) if r[f"choice {i}"]]
        answers.append(offered[0] if offered else "12")
    export = io.StringIO()
    writer = csv.writer(export)
    writer.writerows([header, ["2025-03-14 10:00:00", "a@b.org", "Ann", "lead", *answers]])
    path = tmp_path / "responses.csv"
    path.write_text(export.getvalue())
    document = json.loads(run_cli("workshop", str(path), "--format", "json").stdout)
    assert document["errors"] == []
    (ann,) = document["participants"]
    assert ann["answers"]["goal_ambiguity"] == 1
    assert ann["answers"]["pilot"] is True
    assert ann["answers"]["implementing_bodies"] == 12
    assert len(ann["answers"]) == len(knowledge.questions)


def test_the_guide_lists_every_question_with_its_choices_and_the_map_loads(
    run_cli: Run, tmp_path: Path, knowledge: Knowledge
) -> None:
    guide = run_cli("workshop", "form").stdout
    for question in knowledge.questions.values():
        assert f"{question.text}**" in guide and f"`{question.id}`" in guide
    assert "1. 1 - Broad consensus" in guide
    printed = run_cli("workshop", "form", "--format", "map").stdout
    data = yaml.safe_load(printed)
    assert data["columns"]["Your name"] == "participant"
    (tmp_path / "map.yaml").write_text(printed)
    (tmp_path / "a.csv").write_text("Your name,stakes\nAnn,3\n")
    result = run_cli("workshop", str(tmp_path / "a.csv"), "--map", str(tmp_path / "map.yaml"))
    assert result.exit_code == 0, result.output


def test_the_handout_has_name_and_role_fields_and_boxes_for_yes_and_no(run_cli: Run) -> None:
    out = run_cli("questions", "--format", "markdown").stdout
    head = out.split("## ", 1)[0]
    assert "Name: ___" in head and "Role: ___" in head
    pilot = out.split("Is the policy being introduced as a pilot?", 1)[1].split("**", 2)[1]
    assert "☐ yes  ☐ no  ☐ unsure" in pilot


def test_no_rule_text_holds_a_broken_hyphenation(knowledge: Knowledge) -> None:
    broken = re.compile(r"[a-z]- [a-z]")  # "foot- dragging": a line break inside a word
    texts = [g.intro for g in knowledge.groups]
    for q in knowledge.questions.values():
        texts += [q.text, q.help, *(q.anchors or {}).values()]
    assert [t for t in texts if broken.search(t)] == []
