"""Builds the case library `matland precedents` searches from the validation set: for each
published case, its first blind fill (the answers, made from the evidence text alone), with
the authors' citation, quadrant, placing quote and lessons as the case's own.

    python validation/make_library.py      # rewrites validation/library/*.yaml
"""

from __future__ import annotations

from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def library_entry(case: dict[str, object], fill: dict[str, object]) -> dict[str, object]:
    policy = dict(fill["policy"])  # type: ignore[call-overload]
    policy["jurisdiction"] = case.get("jurisdiction")
    return {
        "matland": 1,
        "policy": {k: v for k, v in policy.items() if v},
        "answers": fill["answers"],
        "lessons": [" ".join(str(lesson).split()) for lesson in case.get("lessons", [])],  # type: ignore[attr-defined]
        "x-citation": " ".join(str(case["citation"]).split()),
        "x-authors-quadrant": case["quadrant"],
        "x-authors-quote": " ".join(str(case["quote"]).split()),
    }


def main() -> None:
    for path in sorted((HERE / "cases").glob("*.yaml")):
        fill_path = HERE / "fills" / f"{path.stem}.a.yaml"
        if not fill_path.exists():
            continue
        case = yaml.safe_load(path.read_text())
        entry = library_entry(case, yaml.safe_load(fill_path.read_text()))
        header = (
            f"# A published application of Matland's model, filled blind from its evidence text\n"
            f"# (validation/evidence/{path.stem}.md); made by validation/make_library.py.\n"
        )
        out = HERE / "library" / f"{path.stem}.yaml"
        out.write_text(
            header + yaml.safe_dump(entry, sort_keys=False, allow_unicode=True, width=88)
        )


if __name__ == "__main__":
    main()
