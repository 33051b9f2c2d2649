"""The words matland uses everywhere, each defined once: paradigms, dimensions, the
`--fail-on` levels and the exit-code policy (documented in the README and `matland --help`)."""

from __future__ import annotations

from typing import Literal

PARADIGMS = ("administrative", "political", "experimental", "symbolic")
ParadigmName = Literal["administrative", "political", "experimental", "symbolic"]
DIMENSIONS = ("ambiguity", "conflict")
# The two answers that are not values: the assessor does not know (`unsure`), and the item
# does not apply to this policy (`n/a`; never to the twelve items of the two dimensions).
UNSURE = "unsure"
NA = "n/a"
REVIEW_KEY = "matland-review"  # the top key that makes a YAML file a review file
FAIL_ON = ("never", "info", "low", "medium", "high")
RULE_KINDS = (
    "question",
    "support",
    "risk",
    "paradigm",
    "workshop",
    "review",
    "criterion",
    "source",
)

# A review file's answers (`matland review`): the levels of the report's Table 3 plus
# `unsure`, whether a flagged risk materialised, whether a support approach was delivered.
RATINGS = ("success", "conflicted", "failure", "unsure")
MATERIALISED = ("yes", "partly", "no", "too early")
DELIVERED = ("yes", "partly", "no", "unsure")

EXIT_OK = 0  # every file valid, no finding at or above --fail-on
EXIT_FINDINGS = 1  # a finding at or above --fail-on, or a gate asked for
EXIT_INVALID = 2  # an invalid file, a usage error, an output that cannot be written
EXIT_BUG = 3  # a bug in matland
EXIT_INTERRUPTED = 130  # Ctrl-C
EXIT_TERMINATED = 143  # SIGTERM
