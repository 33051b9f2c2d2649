"""Who takes part in a workshop's result, and what is said about those who do not: roles
compared without case or spaces, participants about another policy left out, half-blank
forms kept out of the group's position, names dropped on request.

Pure: Participants in, Participants and Findings out (aggregate.py calls these in order).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from matland.core.findings import Finding
from matland.core.knowledge import Knowledge
from matland.core.words import flat
from matland.workshop.folding import key
from matland.workshop.participant import Participant, is_csv
from matland.workshop.rules import WorkshopRules

OTHER_POLICY = "other-policy"
DIFFERENT_POLICIES = "different-policies"
TOO_FEW_ANSWERS = "too-few-answers"
ANONYMOUS_FILE = "(a participant's file)"


def fold_roles(participants: Sequence[Participant]) -> list[Participant]:
    """Roles that differ only in case or spaces are one role, shown as most of its
    participants wrote it (the first spelling on a tie)."""
    spellings: dict[str, Counter[str]] = {}
    for p in participants:
        if p.role and p.role.strip():
            spellings.setdefault(key(p.role), Counter())[flat(p.role)] += 1
    label = {k: c.most_common(1)[0][0] for k, c in spellings.items()}
    return [
        replace(p, role=label[key(p.role)] if p.role and p.role.strip() else None)
        for p in participants
    ]


def common_title(participants: Iterable[Participant]) -> str:
    """The policy most participants said they assessed (the first seen on a tie); when no
    one said, the commonest title of their proposals."""
    # A title of only separators (0x1c-0x1f are whitespace to Python) states nothing.
    stated = Counter(flat(p.policy) for p in participants if p.policy and flat(p.policy))
    if stated:
        by_key: Counter[str] = Counter()
        spelling: dict[str, str] = {}
        for title, n in stated.items():
            by_key[key(title)] += n
            spelling.setdefault(key(title), title)
        return spelling[by_key.most_common(1)[0][0]]
    counts = Counter(p.proposal.policy.title for p in participants)
    return counts.most_common(1)[0][0] if counts else "Workshop"


def reference_policy(participants: Sequence[Participant], title: str | None) -> str:
    """The policy the workshop is about: `--title` when some participant assessed it, else
    the one most participants assessed (a `--title` may only name the workshop)."""
    if title and any(p.policy and key(p.policy) == key(title) for p in participants):
        return title
    return common_title(participants)


def same_policy(
    participants: Sequence[Participant], policy: str, allow_mixed: bool
) -> tuple[list[Participant], list[Finding]]:
    """Participants who assessed another policy are left out (a finding each), unless
    `allow_mixed` keeps them (then one note says the policies differ)."""
    if allow_mixed:
        return list(participants), different_policies(participants)
    kept, findings = [], []
    for p in participants:
        if p.policy is None or key(p.policy) == key(policy):
            kept.append(p)
            continue
        findings.append(
            Finding(
                p.proposal.path,
                *p.proposal.document.value_position(("policy", "title")),
                OTHER_POLICY,
                "medium",
                f"'{p.name}' assessed '{p.policy}', not '{policy}': left out",
                "--allow-mixed keeps them; --title names the workshop's policy",
            )
        )
    return kept, findings


def different_policies(participants: Sequence[Participant]) -> list[Finding]:
    """One note when the participants kept name different policies."""
    stated = [p for p in participants if p.policy]
    counts = Counter(p.policy for p in stated)
    if len({key(t) for t in counts if t}) < 2:
        return []
    ranked = counts.most_common()
    first = next(p for p in stated if p.policy != ranked[0][0])
    named = ", ".join(f"'{t}' ({n})" for t, n in ranked)
    return [
        Finding(
            first.proposal.path,
            *first.proposal.document.value_position(("policy", "title")),
            DIFFERENT_POLICIES,
            "medium",
            f"the participants name different policies: {named} (--allow-mixed keeps them all)",
            "check they assess the same policy; --title names the workshop",
        )
    ]


def classification_answered(p: Participant, knowledge: Knowledge) -> tuple[int, int]:
    """(items answered, items) of the classification's items: a whole answer, not unsure."""
    items = [*knowledge.dimension_items("ambiguity"), *knowledge.dimension_items("conflict")]
    answered = sum(
        1
        for item in items
        if (a := p.proposal.answers.get(item)) is not None
        and isinstance(a.value, int)
        and not isinstance(a.value, bool)
    )
    return answered, len(items)


def half_blank(
    participants: Sequence[Participant], knowledge: Knowledge, rules: WorkshopRules
) -> tuple[tuple[str, ...], list[Finding]]:
    """The participants who answered too few classification items to count in the group's
    position (rules/workshop.yaml `participants`), and a finding for each."""
    share = rules.participants.min_classification_answered
    flagged, findings = [], []
    for p in participants:
        answered, total = classification_answered(p, knowledge)
        if total and answered < share * total:
            flagged.append(p.name)
            findings.append(
                Finding(
                    p.proposal.path,
                    *p.at,
                    TOO_FEW_ANSWERS,
                    "medium",
                    f"'{p.name}' answered {answered} of {total} classification items (fewer "
                    f"than {share:.0%}): left out of the group's position; their answers "
                    "still count in each item's spread",
                    "ask them to complete the form, or read the group's position without them",
                )
            )
    return tuple(flagged), findings


def pseudonym(index: int) -> str:
    return f"Participant {index + 1}"


def anonymised(participants: Sequence[Participant]) -> list[Participant]:
    """Names replaced by `Participant 1`, `Participant 2` … in the order of the report."""
    return [replace(p, name=pseudonym(i)) for i, p in enumerate(participants)]


def anonymised_findings(
    findings: Iterable[Finding], names: Sequence[str], others: Iterable[str] = ()
) -> list[Finding]:
    """Findings that name no one: a quoted name becomes the pseudonym of a participant in
    the report (`names`, in its order) or `a participant` (`others`, left out), and no file
    of one participant is named by its path."""
    number = dict.fromkeys(others, "a participant") | {n: pseudonym(i) for i, n in enumerate(names)}
    pattern = re.compile("|".join(re.escape(f"'{n}'") for n in sorted(number, key=len)[::-1]))

    def unnamed(text: str) -> str:
        if not number:
            return text
        return pattern.sub(lambda m: _quoted(number[m.group(0)[1:-1]]), text)

    return [
        f._replace(
            path=f.path if is_csv(f.path) or f.path.startswith("<") else ANONYMOUS_FILE,
            message=unnamed(f.message),
        )
        for f in findings
    ]


def _quoted(name: str) -> str:
    return name if name == "a participant" else f"'{name}'"
