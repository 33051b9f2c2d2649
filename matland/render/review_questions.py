"""The "four + one" review questions (rules/review.yaml) as a handout: text or markdown."""

from __future__ import annotations

import textwrap
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from matland.core.rulefiles import load_rules_file

WIDTH = 88
Text = Annotated[str, Field(min_length=1)]


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReviewQuestion(_Rule):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    part: Literal["four", "one"]
    question: Text
    prompt: Text
    source: Text


class Review(_Rule):
    version: Literal[1]
    title: Text
    intro: Text
    source: Text
    questions: list[ReviewQuestion]


def load_review(rules_dir: str | None = None) -> Review:
    review: Review = load_rules_file("review", Review, rules_dir)
    return review


def _flat(text: str) -> str:
    return " ".join(text.split())


def render(review: Review, fmt: str) -> str:
    return _markdown(review) if fmt == "markdown" else _text(review)


def _text(review: Review) -> str:
    lines = [review.title, "═" * len(review.title), *textwrap.wrap(_flat(review.intro), WIDTH)]
    for part, heading in (("four", "The four"), ("one", "+ one")):
        lines += ["", heading, "─" * len(heading)]
        for index, q in enumerate(q for q in review.questions if q.part == part):
            lines += [""] if index else []  # one blank line between questions, none doubled
            lines.append(f"{q.question}  [{q.id}]")
            lines += textwrap.wrap(
                _flat(q.prompt), WIDTH, initial_indent="    ", subsequent_indent="    "
            )
    lines += ["", f"Source: {review.source}"]
    return "\n".join(lines) + "\n"


def _markdown(review: Review) -> str:
    lines = [f"# {review.title}", "", _flat(review.intro), ""]
    for part, heading in (("four", "The four"), ("one", "+ one")):
        lines += [f"## {heading}", ""]
        for q in (q for q in review.questions if q.part == part):
            lines += [f"### {q.question}", "", _flat(q.prompt), "", "Notes:", "", "- ", ""]
    lines.append(f"*Source: {review.source}*")
    return "\n".join(lines) + "\n"
