"""The "four + one" review questions (rules/review.yaml) as a handout: text or markdown."""

from __future__ import annotations

from matland.core.reviewrules import ReviewRules, load_review_rules
from matland.core.words import flat
from matland.render.prose import fit, hanging, titled

# The model lives in the core (the review file and `matland review` read the same file);
# `Review` is kept as this module's name for it.
Review = ReviewRules


def load_review(rules_dir: str | None = None) -> Review:
    return load_review_rules(rules_dir)


def _flat(text: str) -> str:
    return flat(text)


def render(review: Review, fmt: str) -> str:
    return _markdown(review) if fmt == "markdown" else _text(review)


def _text(review: Review) -> str:
    lines = [*titled(review.title), *hanging(review.intro, "")]
    for part, heading in (("four", "The four"), ("one", "+ one")):
        lines += ["", *titled(heading, "─")]
        for index, q in enumerate(q for q in review.questions if q.part == part):
            lines += [""] if index else []  # one blank line between questions, none doubled
            lines += fit(f"{q.question}  [{q.id}]", "", "    ")
            lines += hanging(q.prompt, "    ")
    lines += ["", *hanging(f"Source: {review.source}", "", "  ")]
    return "\n".join(lines) + "\n"


def _markdown(review: Review) -> str:
    lines = [f"# {review.title}", "", _flat(review.intro), ""]
    for part, heading in (("four", "The four"), ("one", "+ one")):
        lines += [f"## {heading}", ""]
        for q in (q for q in review.questions if q.part == part):
            lines += [f"### {q.question}", "", _flat(q.prompt), "", "Notes:", "", "- ", ""]
    lines.append(f"*Source: {review.source}*")
    return "\n".join(lines) + "\n"
