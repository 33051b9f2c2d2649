"""matland.core.yamlpos.parse and matland.source.load.load_proposal, called directly."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from matland.core import yamlparse, yamlpos
from matland.core.knowledge import Knowledge, load_knowledge
from matland.core.model import Answer, Proposal
from matland.core.yamlpos import MAX_DEPTH, YamlProblem, decode, parse, read_text
from matland.source.load import load_proposal, proposal_from_document

EXAMPLES = Path(__file__).parents[2] / "examples"
HEAD = "matland: 1\npolicy:\n  title: T\n"


def load_text(text: str, knowledge: Knowledge) -> tuple[Proposal | None, list[tuple[object, ...]]]:
    proposal, findings = load_proposal("p.yaml", knowledge, text=text)
    return proposal, [(f.rule_id, f.line, f.column, f.message) for f in findings]


def valid(text: str, knowledge: Knowledge) -> Proposal:
    proposal, findings = load_text(text, knowledge)
    assert proposal is not None, findings
    return proposal


# ---------------------------------------------------------------- positions


def test_positions_are_one_based_line_and_column_of_keys() -> None:
    document = parse(
        "matland: 1\n"
        "policy:\n"
        "  title: T\n"
        "answers:\n"
        "  goal_ambiguity: 4\n"
        "  stakes: {value: 3, note: n}\n"
        "stakeholders:\n"
        "  - name: LGA\n"
        "    role: partner\n"
    )
    keys = document.position  # a key's own position
    assert keys(("matland",)) == (1, 1)
    assert keys(("policy", "title")) == (3, 3)
    assert keys(("answers", "goal_ambiguity")) == (5, 3)
    assert keys(("answers", "stakes", "note")) == (6, 22)
    assert keys(("stakeholders", 0, "role")) == (9, 5)
    values = document.value_position
    assert values(()) == (1, 1)
    assert values(("answers", "goal_ambiguity")) == (5, 19)
    assert values(("answers", "stakes", "value")) == (6, 19)
    assert values(("stakeholders", 0)) == (8, 5)
    # A finding is placed on the key (what a reader looks for), the value on request.
    assert document.position(("answers", "goal_ambiguity")) == (5, 3)
    assert document.value_position(("answers", "goal_ambiguity")) == (5, 19)
    # A path below the document's nodes falls back to the nearest enclosing one.
    assert document.position(("answers", "goal_ambiguity", "value")) == (5, 3)
    assert document.position(("nowhere",)) == (1, 1)


def test_proposal_knows_where_each_answer_is(knowledge: Knowledge) -> None:
    proposal = valid(HEAD + "answers:\n  stakes: 3\n  pilot: {value: false}\n", knowledge)
    assert proposal.answer_position("stakes") == (5, 3)
    assert proposal.answer_position("pilot") == (6, 3)


def test_every_example_loads(knowledge: Knowledge) -> None:
    for example in sorted(EXAMPLES.glob("*.yaml")):
        proposal, findings = load_proposal(str(example), knowledge)
        assert proposal is not None and findings == [], example.name
        assert proposal.path == str(example)


# ---------------------------------------------------------------- what is allowed


def test_x_keys_are_the_users_own_at_every_level(knowledge: Knowledge) -> None:
    proposal = valid(
        "matland: 1\n"
        "x-reviewed-by: Ann\n"
        "policy:\n"
        "  title: T\n"
        "  x-ticket: POL-12\n"
        "answers:\n"
        "  x-draft: {anything: [1, 2]}\n"
        "  goal_ambiguity: {value: 4, note: n, x-source: interview 3}\n"
        "stakeholders:\n"
        "  - name: LGA\n"
        "    role: partner\n"
        "    x-contact: someone\n",
        knowledge,
    )
    assert proposal.answers == {"goal_ambiguity": Answer(4, "n")}
    assert proposal.policy.title == "T"


@pytest.mark.parametrize("empty", ["answers:\n", "answers: null\n", "answers: {}\n", ""])
def test_no_answers_is_an_empty_questionnaire(empty: str, knowledge: Knowledge) -> None:
    assert valid(HEAD + empty, knowledge).answers == {}


@pytest.mark.parametrize("key", ["stakeholders", "support_plan", "accepted_risks", "lessons"])
def test_null_lists_are_empty(key: str, knowledge: Knowledge) -> None:
    proposal = valid(HEAD + f"{key}:\n", knowledge)
    assert getattr(proposal, key) == ()


def test_bare_and_mapping_answers_give_the_same_value(knowledge: Knowledge) -> None:
    bare = valid(HEAD + "answers:\n  goal_ambiguity: 4\n  pilot: true\n", knowledge)
    mapped = valid(
        HEAD + "answers:\n"
        "  goal_ambiguity: {value: 4, note: '  targets left to local areas  '}\n"
        "  pilot:\n"
        "    value: true\n",
        knowledge,
    )
    for question in ("goal_ambiguity", "pilot"):
        assert bare.value(question) == mapped.value(question)
    assert bare.answers["goal_ambiguity"] == Answer(4)
    assert mapped.answers["goal_ambiguity"] == Answer(4, "targets left to local areas")
    assert mapped.answers["pilot"] == Answer(True)


def test_unsure_is_accepted_for_every_question(knowledge: Knowledge) -> None:
    ids = list(knowledge.questions)
    bare = "".join(f"  {q}: unsure\n" for q in ids)
    mapped = "".join(f"  {q}: {{value: unsure, note: not known yet}}\n" for q in ids)
    for answers in (bare, mapped):
        proposal = valid(HEAD + "answers:\n" + answers, knowledge)
        assert set(proposal.answers) == set(ids)
        for answer in proposal.answers.values():
            assert answer.unsure and answer.value is None


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("true", True),
        ("false", False),
        ("yes", True),
        ("no", False),
        ("Yes", True),
        ("NO", False),
        ("on", True),
        ("off", False),
    ],
)
def test_yaml_11_booleans_answer_yes_no_items(
    written: str, value: bool, knowledge: Knowledge
) -> None:
    bool_ids = [q.id for q in knowledge.questions.values() if q.type == "bool"]
    assert "pilot" in bool_ids
    text = HEAD + "answers:\n" + "".join(f"  {q}: {written}\n" for q in bool_ids)
    proposal = valid(text, knowledge)
    assert {q: proposal.value(q) for q in bool_ids} == dict.fromkeys(bool_ids, value)


def test_scales_and_counts_take_whole_numbers(knowledge: Knowledge) -> None:
    proposal = valid(
        HEAD + "answers:\n  goal_ambiguity: 1\n  stakes: 5\n  implementing_bodies: 152\n",
        knowledge,
    )
    assert proposal.value("goal_ambiguity") == 1
    assert proposal.value("stakes") == 5
    assert proposal.value("implementing_bodies") == 152
    assert isinstance(proposal.value("stakes"), int)


def test_dates_stay_as_written(knowledge: Knowledge) -> None:
    proposal = valid("matland: 1\npolicy:\n  title: 2014-04-01\n", knowledge)
    assert proposal.policy.title == "2014-04-01"


def test_stakeholder_defaults(knowledge: Knowledge) -> None:
    proposal = valid(HEAD + "stakeholders:\n  - {name: '  LGA ', role: partner}\n", knowledge)
    (stakeholder,) = proposal.stakeholders
    assert (stakeholder.name, stakeholder.role) == ("LGA", "partner")
    assert (stakeholder.stance, stakeholder.influence) == ("neutral", "medium")


# ---------------------------------------------------------------- what is refused


def test_every_bad_answer_is_reported_not_only_the_first(knowledge: Knowledge) -> None:
    proposal, findings = load_text(
        HEAD + "answers:\n"
        "  goal_ambiguity: 9\n"
        "  means_ambiguity: 3\n"
        "  stakes: high\n"
        "  pilot: maybe\n"
        "  goal_conflict: {value: 0, note: n}\n",
        knowledge,
    )
    assert proposal is None
    assert [(rule, line, column) for rule, line, column, _ in findings] == [
        ("invalid-answer", 5, 19),
        ("invalid-answer", 7, 11),
        ("invalid-answer", 8, 10),
        ("invalid-answer", 9, 26),
    ]


def test_unknown_ids_and_keys_are_all_reported(knowledge: Knowledge) -> None:
    proposal, findings = load_text(
        HEAD + "answers:\n  goal_ambiguty: 4\n  stakez: 3\n  pilot: {value: true, nte: x}\n",
        knowledge,
    )
    assert proposal is None
    assert [(rule, line) for rule, line, _, _ in findings] == [
        ("unknown-question", 5),
        ("unknown-question", 6),
        ("unknown-key", 7),
    ]


def test_findings_carry_a_did_you_mean_hint(knowledge: Knowledge) -> None:
    _, findings = load_proposal("p.yaml", knowledge, text=HEAD + "answers:\n  stake: 3\n")
    (finding,) = findings
    assert finding.hint == "did you mean 'stakes'?"
    assert finding.one_line() == (
        "p.yaml:5:3: unknown question id 'stake' (did you mean 'stakes'?)"
    )


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("", 1, 1, "empty"),
        ("# only a comment\n", 1, 1, "empty"),
        ("a: 1\nb: [1\n", 3, 1, "YAML syntax error"),
        ("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a' (first at line 1)"),
        ("a: 1\n---\nb: 2\n", 2, 1, "more than one YAML document"),
        ("a: !!binary aGk=\n", 1, 4, "not allowed"),
        ("a: !!set {x}\n", 1, 4, "not allowed"),
        ("a: !thing 1\n", 1, 4, "tag !thing is not allowed"),
        ("b: &b {x: 1}\na:\n  <<: *b\n", 3, 3, "merge keys"),
        ("? [1]\n: x\n", 1, 3, "plain word"),
    ],
)
def test_parse_refuses_with_a_position(text: str, line: int, column: int, words: str) -> None:
    with pytest.raises(YamlProblem) as caught:
        parse(text)
    problem = caught.value
    assert words in problem.message
    assert (problem.line, problem.column) == (line, column)
    finding = problem.finding("f.yaml")
    expected = "duplicate-key" if "duplicate" in words else "yaml-syntax"
    assert (finding.rule_id, finding.severity) == (expected, "error")


def test_parse_bounds_nesting() -> None:
    parse("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n")
    with pytest.raises(YamlProblem, match="nesting deeper"):
        parse("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n")


def test_parse_bounds_alias_expansion() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    with pytest.raises(YamlProblem, match="nodes") as caught:
        parse("\n".join(lines) + "\n")
    assert "alias" in caught.value.hint
    parse("a: &a [1, 2]\nb: *a\nc: *a\n")  # a few aliases are fine


def test_parse_bounds_the_text_aliases_expand_to() -> None:
    """Aliases of one long string cost no nodes but copy its text wherever validation
    strips it: 99,000 of them (a 510 KB file) took 900 MB before the character cap."""
    text = "lessons: [&a " + "x" * 500 + ", " + ", ".join(["*a"] * 99_000) + "]\n"
    assert len(text) < 600_000
    with pytest.raises(YamlProblem, match="characters of text") as caught:
        parse(text)
    assert "alias" in caught.value.hint
    parse("a: &a " + "x" * 500 + "\nb: [" + ", ".join(["*a"] * 100) + "]\n")  # fine


def test_decode_strips_a_bom_and_names_the_bad_byte() -> None:
    assert decode(b"\xef\xbb\xbfmatland: 1\n") == "matland: 1\n"
    with pytest.raises(YamlProblem) as caught:
        decode(b"a: 1\nb: \xff\n")
    assert (caught.value.line, caught.value.column) == (2, 4)
    assert "0xff" in caught.value.message


def test_read_text_refuses_large_files_and_directories(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: 1\n" * 100)
    assert read_text(str(big), max_bytes=500) == "a: 1\n" * 100
    with pytest.raises(YamlProblem, match="over the 499-byte limit"):
        read_text(str(big), max_bytes=499)
    with pytest.raises(YamlProblem, match="directory"):
        read_text(str(tmp_path))
    with pytest.raises(YamlProblem, match="cannot read") as caught:
        read_text(str(tmp_path / "missing.yaml"))
    assert caught.value.hint == "check the path"


def test_load_proposal_turns_yaml_problems_into_findings(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("matland: 1\npolicy: [\n")
    proposal, findings = load_proposal(str(broken), knowledge)
    assert proposal is None
    (finding,) = findings
    assert finding.path == str(broken) and finding.rule_id == "yaml-syntax"


def test_proposal_from_document_refuses_non_mappings(knowledge: Knowledge) -> None:
    for text, kind in (("- a\n- b\n", "a list"), ("42\n", "a single value")):
        proposal, findings = proposal_from_document("f.yaml", parse(text), knowledge)
        assert proposal is None
        (finding,) = findings
        assert finding.rule_id == "not-a-proposal" and kind in finding.message


def test_read_text_explains_a_permission_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a chmod 000 file gives a non-root user (root reads it anyway, so simulated)."""
    locked = tmp_path / "locked.yaml"
    locked.write_text(HEAD)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(yamlpos, "open", refuse, raising=False)
    with pytest.raises(YamlProblem, match="cannot read file: Permission denied") as caught:
        read_text(str(locked))
    assert caught.value.hint == "check the file's permissions"


@pytest.mark.parametrize("text", ["a: !!map foo\n", "a: !!seq 3\n", "a: !!str [1]\n"])
def test_a_standard_tag_on_the_wrong_kind_of_node_is_refused(text: str) -> None:
    with pytest.raises(YamlProblem, match="is not allowed here"):
        parse(text)


def test_one_pass_reports_problems_from_every_stage_in_line_order(knowledge: Knowledge) -> None:
    text = 'matland: 1\npolicy:\n  title: ""\n  ownr: x\nanswers:\n  goal_ambiguity: 9\n'
    _, errors = proposal_from_document("p.yaml", parse(text), knowledge)
    assert [(e.rule_id, e.line) for e in errors] == [
        ("invalid-value", 3),
        ("unknown-key", 4),
        ("invalid-answer", 6),
    ]


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
def test_libyaml_parses_when_present() -> None:
    # A wrong import silently falls back to the pure-Python parser, ten times slower.
    assert issubclass(yamlparse.LOADER, yaml._yaml.CParser)


REPO = Path(__file__).resolve().parents[2]
CORPUS = sorted(
    [
        *REPO.glob("examples/**/*.yaml"),
        *REPO.glob("tests/data/**/*.yaml"),
        *REPO.glob("rules/*.yaml"),
    ]
)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(REPO)))
def test_pure_python_loader_reads_the_same(path: Path) -> None:
    """Without libyaml, files read the same: data, every position, or the same problem."""

    def read(loader: yamlparse.Loader) -> object:
        try:
            document = parse(path.read_text(encoding="utf-8"), loader)
        except YamlProblem as problem:
            return (problem.rule_id, problem.line, problem.column)  # the wording may differ
        except UnicodeDecodeError:
            return "not utf-8"
        paths = list(_paths(document.data, ()))
        return (
            document.data,
            [(document.position(p), document.value_position(p), document.exact(p)) for p in paths],
        )

    assert read(yamlparse.PurePythonLoader) == read(yamlparse.LOADER)


def _paths(data: object, at: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    """Every path in plain data, and one below each leaf (which must fall back)."""
    yield at
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*at, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*at, index))
    else:
        yield (*at, "below")


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(REPO)))
def test_positions_from_nodes_match_positions_from_tables(path: Path) -> None:
    """A YAML document finds positions in its node tree; a CSV row gives them as tables.
    Both answer every path the same way (the tables counted from each node's offset, as an
    editor counts lines: the same as the marks' line and column but after U+2028 and kin)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        document = parse(text)
    except YamlProblem:
        return
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    lines = yamlpos.Lines(text)
    values: dict[tuple[str | int, ...], tuple[int, int]] = {}
    keys: dict[tuple[str | int, ...], tuple[int, int]] = {}

    def record(node: yaml.Node, at: tuple[str | int, ...]) -> None:
        values[at] = lines.position(node.start_mark.index)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                keys[(*at, key.value)] = lines.position(key.start_mark.index)
                record(value, (*at, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                record(item, (*at, index))

    record(node, ())
    tables = yamlpos.Document(document.data, values, keys)
    for at in _paths(document.data, ()):
        assert document.position(at) == tables.position(at), at
        assert document.value_position(at) == tables.value_position(at), at
        assert document.exact(at) == tables.exact(at), at


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc")
def test_read_text_reads_a_file_whose_size_is_not_known_beforehand() -> None:
    # /proc files say size 0; the text is read all the same, and the cap still holds.
    assert "Name:" in read_text("/proc/self/status")
    with pytest.raises(YamlProblem, match="over the 10-byte limit"):
        read_text("/proc/self/status", max_bytes=10)


def test_an_entry_listed_twice_is_an_error_at_the_second(knowledge: Knowledge) -> None:
    text = HEAD + (
        "stakeholders:\n"
        "  - {name: LGA, role: partner}\n"
        "  - {name: ADASS, role: partner}\n"
        "  - {name: LGA, role: sponsor}\n"
        "support_plan: [written_guidance, regional_support, written_guidance]\n"
    )
    proposal, findings = load_text(text, knowledge)
    assert proposal is None
    assert [f[:3] for f in findings] == [("duplicate-entry", 7, 12), ("duplicate-entry", 8, 52)]
    assert "first at line 5" in findings[0][3]


def test_a_document_finds_positions_after_a_trip_through_pickle() -> None:
    import pickle

    document = parse(HEAD + "answers:\n  stakes: 3\n  zero_sum: 2\n")
    assert document.position(("answers", "zero_sum")) == (6, 3)  # its key index is made
    copy = pickle.loads(pickle.dumps(document))
    assert copy.position(("answers", "zero_sum")) == (6, 3)
    assert copy.exact(("answers", "missing")) is None


@pytest.mark.parametrize("loader", [yamlparse.LOADER, yamlparse.PurePythonLoader])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: ! 123\n", {"a": "123"}),  # the non-specific tag `!`: text, as YAML says
        ("a: &x ! 123\nb: *x\n", {"a": "123", "b": "123"}),
        ("a: ! &x true\n", {"a": "true"}),
        ("a: [! 1, 2]\n", {"a": ["1", 2]}),
        ("a: {b: ! null}\n", {"a": {"b": "null"}}),
        ("a: !\n  4\n", {"a": "4"}),
        ("a: !\n", {"a": ""}),
        ("a: &x 4\nb: *x\n", {"a": 4, "b": 4}),  # an anchor alone changes nothing
        ("a: !!str 4\nb: !!int '5'\n", {"a": "4", "b": 5}),
    ],
)
def test_the_non_specific_tag_makes_a_plain_scalar_text(
    loader: yamlparse.Loader, text: str, expected: object
) -> None:
    assert parse(text, loader).data == expected


def test_a_non_specific_tag_on_an_answer_is_reported_as_text(knowledge: Knowledge) -> None:
    text = "matland: 1\npolicy: {title: T}\nanswers:\n  stakes: ! 3\n"
    proposal, findings = load_proposal("p.yaml", knowledge, text=text)
    assert proposal is None
    assert [(f.rule_id, f.line, f.column) for f in findings] == [("invalid-answer", 4, 11)]
    assert "'3' is not a number" in findings[0].message


def test_misspelt_ids_are_reported_with_the_type_errors_in_one_pass(
    knowledge: Knowledge,
) -> None:
    text = (
        "matland: 1\npolicy: {title: x}\n"
        "support_plan: [written_guidance, writen_guidance, 5]\n"
        "accepted_risks: [{id: funding_gap}]\n"
    )
    proposal, findings = load_proposal("p.yaml", knowledge, text=text)
    assert proposal is None
    assert [(f.rule_id, f.line) for f in findings] == [
        ("unknown-approach", 3),
        ("invalid-value", 3),
        ("missing-key", 4),
        ("unknown-risk", 4),
    ]


@given(
    value=st.one_of(st.integers(-2, 8), st.booleans(), st.none(), st.just("unsure")),
    note=st.one_of(st.text(max_size=8), st.none(), st.integers()),
)
def test_the_quick_path_for_an_answer_with_a_note_agrees_with_the_full_check(
    value: object, note: object
) -> None:
    from matland.source.load import _Checker

    knowledge = load_knowledge()
    question = knowledge.questions["goal_ambiguity"]
    entry = {"value": value, "note": note}
    quick = _Checker("p.yaml", parse("a: 1\n"))
    full = _Checker("p.yaml", parse("a: 1\n"))
    answers = quick.answers({"goal_ambiguity": entry}, knowledge)
    expected = full._answer(question, entry, ("answers", "goal_ambiguity"))
    assert answers.get("goal_ambiguity") == expected
    assert [f.rule_id for f in quick.findings] == [f.rule_id for f in full.findings]
