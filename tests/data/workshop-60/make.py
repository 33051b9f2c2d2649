"""Writes the fixture workshop: sixty participants of "Neighbourhood care hubs" from a
survey tool's export, as a trainer gets them. Run it again after changing it:

    python tests/data/workshop-60/make.py

What it holds, each asserted in tests/acceptance/test_workshop_sixty.py:
* export.csv (UTF-8, a Google Forms-like export): a Timestamp and an Email address column,
  headers that are question texts, ids and "id: text"; answers as anchors ("1 - Broad
  consensus"), numbers and `unsure`; roles in mixed case and spacing; a `goal_conflict
  note` column; three bad cells ("4-5", "dunno", and "3 " that reads as 3); Ann Lee twice
  (a correction sent later, exported first); Sam Patel with 4 of 12 classification items
  answered; Olu Ade about another policy.
* late.csv (Windows-1252 with `;`, as Excel writes it in much of Europe): five more.
Participants sit near the paradigm lines (many exactly on one), commissioners answer
funding_gap low and front-line staff high (a split between roles too small for the whole
group's rule), and goal_conflict splits the whole group.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

HERE = Path(__file__).parent
TITLE = "Neighbourhood care hubs"
ROLES = (
    (["Commissioner", "commissioner ", "COMMISSIONER"] * 4)[:10]
    + ["Provider"] * 14
    + ["Front-line staff", "front-line staff "] * 7
    + ["Carer"] * 12
    + ["Voluntary sector"] * 10
)
AMBIGUITY = [
    ("goal_ambiguity", "How precisely does the policy state its goals?"),
    (
        "means_ambiguity",
        "means_ambiguity: Is there a known, well-understood method for achieving the goals?",
    ),
    ("evidence_gap", "evidence_gap"),
    (
        "role_ambiguity",
        "Does each organisation in the implementation chain know what it is expected to do?",
    ),
    ("interpretive_latitude", "interpretive_latitude"),
    ("context_dependence", "How far are the outcomes expected to depend on local conditions?"),
]
CONFLICT = [
    (
        "goal_conflict",
        "How far do implementers and affected groups disagree with the policy's goals?",
    ),
    ("means_conflict", "means_conflict"),
    ("stakes", "How much do implementers or affected groups stand to gain or lose?"),
    ("zero_sum", "zero_sum: Do gains for some come at others' expense?"),
    ("organised_opposition", "organised_opposition"),
    (
        "value_clash",
        "Does the policy challenge professional values, allegiances or salient political symbols?",
    ),
]
FUNDING = ("funding_gap", "Is the funding adequate for what the policy is expected to achieve?")
PILOT = ("pilot", "Is the policy being introduced as a pilot?")
GOAL_ANCHORS = {1: "Broad consensus", 5: "Goals strongly contested"}
HEADER = [
    "Timestamp",
    "Email address",
    "Your name",
    "Your role",
    "Policy",
    *(h for _, h in AMBIGUITY + CONFLICT),
    FUNDING[1],
    PILOT[1],
    "goal_conflict note",
]
FIRST = [
    "Ann",
    "Ben",
    "Cara",
    "Dev",
    "Ema",
    "Finn",
    "Gita",
    "Hal",
    "Ines",
    "Jon",
    "Kemi",
    "Liam",
    "Mona",
    "Nils",
    "Oona",
    "Pete",
    "Rosa",
    "Theo",
    "Uma",
    "Vik",
    "Wen",
    "Yusuf",
    "Zara",
]
LAST = ["Lee", "Shah", "Okafor", "Morgan", "Ellis", "Barker", "Rahman", "Novak", "Quinn"]


def people(rng: random.Random) -> list[dict[str, object]]:
    rows = []
    for index, role in enumerate(ROLES):
        kind = role.strip().lower()
        answers: dict[str, object] = {}
        on_line = index % 3 == 0
        for item, _ in AMBIGUITY:
            answers[item] = 3 if on_line else rng.choice([2, 3, 3, 3, 4])
        for item, _ in CONFLICT:
            answers[item] = 3 if on_line else rng.choice([2, 3, 3, 4])
        # goal_conflict splits the room: 22 low, 22 high (20 of 60 needed on each side)
        low = kind in ("commissioner", "voluntary sector") or (kind == "carer" and index % 6 == 0)
        answers["goal_conflict"] = (
            rng.choice([1, 2])
            if low
            else (rng.choice([4, 5]) if kind in ("provider",) or index % 2 == 0 else 3)
        )
        # funding_gap: a bloc of commissioners low against front-line staff high
        answers["funding_gap"] = (
            rng.choice([1, 2])
            if kind == "commissioner"
            else rng.choice([4, 5])
            if kind == "front-line staff"
            else 3
        )
        answers["pilot"] = rng.choice(["yes", "yes", "no"])
        name = f"{FIRST[index % len(FIRST)]} {LAST[index // len(FIRST) * 3 + index % 3]}"
        rows.append({"name": name, "role": role, "answers": answers, "policy": TITLE})
    return rows


def cell(item: str, value: object) -> str:
    if item == "goal_conflict" and value in GOAL_ANCHORS:
        return f"{value} - {GOAL_ANCHORS[value]}"  # the form's choice, anchor and all
    return str(value)


def line(person: dict[str, object], minute: int, note: str = "") -> list[str]:
    answers = person["answers"]
    assert isinstance(answers, dict)
    name = str(person["name"])
    return [
        f"14/03/2025 10:{minute:02d}:13",
        name.lower().replace(" ", ".") + "@example.org",
        name,
        str(person["role"]),
        str(person["policy"]),
        *(cell(item, answers.get(item, "")) for item, _ in AMBIGUITY + CONFLICT),
        cell(FUNDING[0], answers.get(FUNDING[0], "")),
        str(answers.get(PILOT[0], "")),
        note,
    ]


def main() -> None:
    rng = random.Random(18)
    everyone = people(rng)
    exported, late = everyone[:55], everyone[55:]
    # Ann Lee (row 2 of the export, a commissioner) corrects her goal_conflict answer;
    # the tool exports the correction first, the first answer last.
    ann = exported[0]
    assert ann["name"] == "Ann Lee"
    first_answer = {**ann, "answers": {**ann["answers"], "goal_conflict": 5}}  # type: ignore[dict-item]
    # Sam Patel answers 4 of the 12 classification items.
    sam = exported[20]
    sam["name"] = "Sam Patel"
    sam["answers"] = {
        k: v
        for k, v in sam["answers"].items()
        if k
        in (  # type: ignore[union-attr]
            "goal_ambiguity",
            "means_ambiguity",
            "goal_conflict",
            "stakes",
            "funding_gap",
        )
    }
    # Bad cells
    exported[6]["answers"]["stakes"] = "4-5"  # type: ignore[index]
    exported[9]["answers"]["means_conflict"] = "dunno"  # type: ignore[index]
    exported[12]["answers"]["zero_sum"] = "3 "  # type: ignore[index]
    other = {
        "name": "Olu Ade",
        "role": "Provider",
        "policy": "Day centres review",
        "answers": {item: 4 for item, _ in AMBIGUITY + CONFLICT},
    }
    rows = [line(ann, 41, "changed my mind after the discussion")]
    for minute, person in enumerate(exported[1:], start=2):
        note = (
            "the memorandum commits every partner"
            if person["role"] == "Provider" and minute % 5 == 0
            else ""
        )
        rows.append(line(person, minute % 60, note))
    rows.insert(30, line(other, 31))
    rows.append(line(first_answer, 1))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    (HERE / "export.csv").write_bytes(out.getvalue().encode("utf-8"))
    accented = ["José Núñez", "Zoë Brontë", "François Dubois", "Søren Økland", "Ãine Ó Sé"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for person, name in zip(late, accented, strict=True):
        person["name"] = name
        writer.writerow(
            line(person, 50, "the hubs’ budget is a guess" if name.startswith("Z") else "")
        )
    (HERE / "late.csv").write_bytes(out.getvalue().encode("cp1252"))


if __name__ == "__main__":
    main()
