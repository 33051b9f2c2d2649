"""`matland assess` in a real terminal (a pty through pexpect): Ctrl-C, resume, SIGKILL, hang-up.

Every wait is on text the program prints, with generous timeouts, so a slow machine only makes
the tests slower.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from matland.core.knowledge import Knowledge
from matland.core.model import Answer
from matland.source.load import load_proposal

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.slow
TIMEOUT = 60


def spawn(tmp_path: Path, *args: str) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATLAND_")}
    env["PYTHONIOENCODING"] = "utf-8"
    return pexpect.spawn(
        sys.executable,
        ["-m", "matland", "assess", *args],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(50, 120),
    )


def answers_in(path: Path, knowledge: Knowledge) -> dict[str, Answer]:
    proposal, errors = load_proposal(str(path), knowledge)
    assert proposal is not None, [e.one_line() for e in errors]
    return dict(proposal.answers)


def answer_for(knowledge: Knowledge, qid: str) -> str:
    return {"scale": "2", "bool": "n", "count": "7"}[knowledge.questions[qid].type]


def at_question(child: pexpect.spawn, number: int, total: int) -> None:
    child.expect_exact(f"[{number}/{total}]")
    child.expect_exact("> ")


def skip_details(child: pexpect.spawn) -> None:
    """s at the first of the policy's details (asked while they are missing)."""
    child.expect_exact("Summary (what the policy does, in a sentence or two): ")
    child.sendline("s")


def lists_left_as_they_are(child: pexpect.spawn) -> None:
    for prompt in ("stakeholders> ", "plan> ", "risks> "):
        child.expect_exact(prompt)
        child.sendline("")


def finished(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    status: int = child.exitstatus
    return status


def test_ctrl_c_saves_then_running_again_resumes_and_finishes(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    items = list(knowledge.questions)
    total = len(items)
    draft = tmp_path / "draft.yaml"

    child = spawn(tmp_path, "draft.yaml")
    child.expect_exact("Policy title: ")
    child.sendline("Terminal policy")
    skip_details(child)
    for number in range(1, 4):
        at_question(child, number, total)
        child.sendline(answer_for(knowledge, items[number - 1]))
    at_question(child, 4, total)
    child.sendintr()
    child.expect_exact("Resume with: matland assess draft.yaml")
    assert finished(child) == 130
    assert answers_in(draft, knowledge) == {qid: Answer(2) for qid in items[:3]}

    child = spawn(tmp_path, "draft.yaml")
    skip_details(child)
    given: dict[str, bool] = {}
    for number in range(4, total + 1):
        qid = items[number - 1]
        if not knowledge.questions[qid].applies(given):  # a pilot's item, for no pilot
            continue
        at_question(child, number, total)
        child.sendline(answer_for(knowledge, qid))
        if knowledge.questions[qid].type == "bool":
            given[qid] = False  # answer_for answers every yes/no item no
        if number == len(knowledge.dimension_items("ambiguity")) * 2:
            child.expect_exact("Provisional position")
    lists_left_as_they_are(child)
    child.expect_exact("Position in Matland's matrix")
    assert finished(child) == 0
    answers = answers_in(draft, knowledge)
    assert "pilot_dual_purpose" not in answers  # not asked: the policy is no pilot
    assert len(answers) == total - 1 and answers["implementing_bodies"] == Answer(7)


def test_a_killed_process_leaves_the_draft_with_every_answer_before_the_last(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    items = list(knowledge.questions)
    draft = tmp_path / "killed.yaml"
    child = spawn(tmp_path, "killed.yaml")
    child.expect_exact("Policy title: ")
    child.sendline("Killed policy")
    skip_details(child)
    given = 8
    for number in range(1, given + 1):
        at_question(child, number, len(items))
        child.sendline(str(1 + number % 5))
    os.kill(child.pid, signal.SIGKILL)  # the last answer may or may not have been saved
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL
    answers = answers_in(draft, knowledge)
    for number in range(1, given):
        assert answers[items[number - 1]] == Answer(1 + number % 5)
    assert set(answers) <= set(items[:given])


def test_closing_the_terminal_keeps_the_answers_given(tmp_path: Path, knowledge: Knowledge) -> None:
    items = list(knowledge.questions)
    draft = tmp_path / "hangup.yaml"
    child = spawn(tmp_path, "hangup.yaml")
    child.expect_exact("Policy title: ")
    child.sendline("Hang-up policy")
    skip_details(child)
    for number in range(1, 4):
        at_question(child, number, len(items))
        child.sendline("5")
    at_question(child, 4, len(items))
    child.close(force=True)  # the terminal goes away: SIGHUP, then what force takes
    assert answers_in(draft, knowledge) == {qid: Answer(5) for qid in items[:3]}


COMMENTED = """\
# Care reform draft: comments are ours
matland: 1
policy:
  title: Care reform   # working title

answers:
  # the first two are agreed
  goal_ambiguity: 2   # national targets
  means_ambiguity: {value: 4, note: 'pilots differ'}   # see the minutes
# nothing below this line is settled
"""


def test_resuming_a_commented_file_keeps_its_comments(tmp_path: Path, knowledge: Knowledge) -> None:
    items = list(knowledge.questions)
    draft = tmp_path / "commented.yaml"
    draft.write_text(COMMENTED, encoding="utf-8")
    child = spawn(tmp_path, "commented.yaml")
    skip_details(child)
    for number in (3, 4):  # resumes at the first unanswered item
        at_question(child, number, len(items))
        child.sendline(answer_for(knowledge, items[number - 1]))
    at_question(child, 5, len(items))
    child.sendline("q")
    child.expect_exact("Resume with: matland assess commented.yaml")
    assert finished(child) == 0
    text = draft.read_text(encoding="utf-8")
    for line in COMMENTED.splitlines():  # every line the user wrote, as they wrote it
        assert line in text.splitlines()
    answers = answers_in(draft, knowledge)
    assert answers[items[2]] == answers[items[3]] == Answer(2)
    assert answers["means_ambiguity"] == Answer(4, "pilots differ")


def test_stdin_not_a_terminal_is_refused(tmp_path: Path) -> None:
    import subprocess

    env = {k: v for k, v in os.environ.items() if not k.startswith("MATLAND_")}
    done = subprocess.run(
        [sys.executable, "-m", "matland", "assess", "p.yaml"],
        cwd=tmp_path,
        env=env,
        input="T\n",
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 2 and "matland init" in done.stderr
    assert not (tmp_path / "p.yaml").exists()


def political_file(knowledge: Knowledge) -> str:
    """Every item answered: clear goals and means (2), high conflict and risk (4), no pilot:
    a political policy whose compliance risk escalates while no stakeholder map says who
    opposes."""
    import yaml

    ambiguity = set(knowledge.dimension_items("ambiguity"))
    values = {"scale": 4, "bool": False, "count": 12}
    answers = {
        qid: 2 if qid in ambiguity else values[q.type] for qid, q in knowledge.questions.items()
    }
    answers.pop("pilot_dual_purpose")  # not asked of a policy that is no pilot
    data = {"matland": 1, "policy": {"title": "Care reform"}, "answers": answers}
    return "# drafted by the policy team\n" + yaml.safe_dump(data, sort_keys=False)


def check_lines(path: Path, rule: str) -> list[str]:
    import subprocess

    env = {k: v for k, v in os.environ.items() if not k.startswith("MATLAND_")}
    done = subprocess.run(
        [sys.executable, "-m", "matland", "check", "--fail-on", "never", path.name],
        cwd=path.parent,
        env={**env, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    return [line for line in done.stdout.splitlines() if f"[{rule}]" in line]


def test_the_whole_proposal_is_asked_resumed_and_read_by_the_rules(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    from matland.assess.details import search

    draft = tmp_path / "whole.yaml"
    draft.write_text(political_file(knowledge), encoding="utf-8")
    assert (
        "high [political-compliance-withheld]"
        in check_lines(draft, "political-compliance-withheld")[0]
    )

    child = spawn(tmp_path, "whole.yaml")
    child.expect_exact("Summary (what the policy does, in a sentence or two): ")
    child.sendline("Reforms adult care law")
    child.expect_exact("Owner (the department or body that owns it): ")
    child.sendline("s")  # the rest of this part later
    child.expect_exact("stakeholders> ")
    for name, role, stance, influence in (
        ("County councils", "imp", "oppose", "high"),
        ("Care union", "opponent", "3", "3"),
    ):
        child.sendline("a")
        child.expect_exact("Name (Enter alone cancels): ")
        child.sendline(name)
        child.expect_exact("Role (")
        child.sendline(role)
        child.expect_exact("Stance (")
        child.sendline(stance)
        child.expect_exact("Influence (")
        child.sendline(influence)
        child.expect_exact("stakeholders> ")
    child.sendline("e 1")
    child.expect_exact("Name [County councils]: ")
    child.sendline("")
    child.expect_exact("[implementer]: ")
    child.sendline("")
    child.expect_exact("[oppose]: ")
    child.sendline("boss")
    child.expect_exact("'boss' is not a stance")
    child.sendline("support")
    child.expect_exact("[high]: ")
    child.sendline("")
    child.expect_exact("Now County councils: implementer, support, high influence.")
    child.expect_exact("stakeholders> ")
    child.sendline("r 2")
    child.expect_exact('Remove "Care union" from the stakeholders? [y/N] ')
    child.sendline("y")
    child.expect_exact("stakeholders> ")
    child.sendline("")
    child.expect_exact("plan> ")
    child.sendline("stakeholder")
    found = [a.id for a in search(knowledge, "stakeholder")]
    number = found.index("stakeholder_support") + 1
    child.expect_exact(f"{number}. stakeholder_support: ")
    child.expect_exact("plan> ")
    child.sendline(str(number))
    child.expect_exact("Added stakeholder_support to the plan.")
    child.expect_exact("plan> ")
    child.sendline("q")  # quit half way; everything given so far is in the file
    child.expect_exact("Resume with: matland assess whole.yaml")
    assert finished(child) == 0
    proposal, _ = load_proposal(str(draft), knowledge)
    assert proposal is not None and proposal.policy.summary == "Reforms adult care law"
    assert [s.name for s in proposal.stakeholders] == ["County councils"]
    assert proposal.support_plan == ("stakeholder_support",)

    child = spawn(tmp_path, "whole.yaml")  # resumed: what is missing, then the lists again
    child.expect_exact("Owner (the department or body that owns it): ")
    child.sendline("s")
    child.expect_exact("1. County councils: implementer, support, high influence")
    child.expect_exact("stakeholders> ")
    child.sendline("")
    child.expect_exact("In the plan: 1. stakeholder_support")
    child.expect_exact("plan> ")
    child.sendline("")
    child.expect_exact("risks> ")
    child.sendline("funding-gap")
    child.expect_exact("Why is funding-gap accepted? (Enter alone cancels): ")
    child.sendline("settled in the spending review")
    child.expect_exact("Accepted funding-gap.")
    child.expect_exact("risks> ")
    child.sendline("")
    child.expect_exact("Position in Matland's matrix")
    assert finished(child) == 0

    text = draft.read_text(encoding="utf-8")
    assert text.startswith("# drafted by the policy team\n")
    met = check_lines(draft, "stakeholder-alignment-assumed")
    assert met and "(met by the plan: stakeholder_support)" in met[0]
    compliance = check_lines(
        draft, "political-compliance-withheld"
    )  # the map: no opposed implementer
    assert compliance and "medium [political-compliance-withheld]" in compliance[0]
    accepted = check_lines(draft, "funding-gap")
    assert accepted and "accepted" in accepted[0]


def test_a_dash_clears_a_detail_and_its_lines_leave_the_file(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    draft = tmp_path / "clear.yaml"
    text = political_file(knowledge).replace(
        "  title: Care reform\n", "  title: Care reform\n  summary: Reforms adult care law\n"
    )
    draft.write_text(text.replace("policy:\n", "policy:\n  owner: DHSC  # the department\n"))
    child = spawn(tmp_path, "--review", "clear.yaml")
    child.expect_exact("clears it")
    child.expect_exact("[Reforms adult care law]: ")
    child.sendline("?")  # a key of the questions: help, not the summary's new text
    child.expect_exact("Enter alone keeps what is there")
    child.expect_exact("[Reforms adult care law]: ")
    child.sendline("b")
    child.expect_exact("[Reforms adult care law]: ")
    child.sendline("-")
    child.expect_exact("Cleared.")
    child.expect_exact("Owner (the department or body that owns it) [DHSC]: ")
    child.sendline("")  # Enter keeps it
    child.expect_exact("Jurisdiction")
    child.sendline("q")
    child.expect_exact("Resume with: matland assess clear.yaml")
    assert finished(child) == 0
    after = draft.read_text(encoding="utf-8")
    assert "Reforms adult care law" not in after
    assert "  owner: DHSC  # the department\n" in after  # the kept one, comment and all
    assert after.startswith("# drafted by the policy team\n")
    proposal, _ = load_proposal(str(draft), knowledge)
    assert proposal is not None and proposal.policy.summary is None
