"""The one check a blind reader may run on a fill: whether the file is a valid proposal, and
its errors if not, and nothing about the result (no paradigm, score or finding), so that the
reader's answers cannot be steered towards a quadrant.

    python validation/blind_check.py validation/fills/<case>.a.yaml [...]
"""

from __future__ import annotations

import sys

from matland.core.knowledge import load_knowledge
from matland.source.load import load_proposal


def main(paths: list[str]) -> int:
    knowledge = load_knowledge()
    bad = 0
    for path in paths:
        proposal, errors = load_proposal(path, knowledge)
        if proposal is not None and not errors:
            print(f"{path}: valid")
            continue
        bad += 1
        print(f"{path}: INVALID")
        for error in errors:
            print(f"  {error.one_line()}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
