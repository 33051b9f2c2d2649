"""The validated rules kept in the user's cache: the same Knowledge with it and without."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from matland.core import usercache
from matland.core.knowledge import Knowledge, KnowledgeError, bundled_rules, load_knowledge


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    load_knowledge.cache_clear()
    yield tmp_path / "xdg" / "matland"
    load_knowledge.cache_clear()


def _fresh(rules: str | None = None) -> Knowledge:
    load_knowledge.cache_clear()
    return load_knowledge(rules)


def _same(a: Knowledge, b: Knowledge) -> None:
    assert a.questions == b.questions
    assert a.approaches == b.approaches and a.mix == b.mix and a.ranking == b.ranking
    assert a.classification == b.classification and a.paradigms == b.paradigms
    assert [r.rule for r in a.risks] == [r.rule for r in b.risks]
    assert [r.condition.describe() for r in a.risks] == [r.condition.describe() for r in b.risks]
    assert a.sources == b.sources and a.groups == b.groups


def test_the_rules_from_the_cache_are_the_rules_read_and_validated(cache_home: Path) -> None:
    built = _fresh()
    assert len(list(cache_home.glob("rules-*.pickle"))) == 1
    _same(_fresh(), built)


def test_a_corrupt_cache_is_rebuilt_silently(cache_home: Path) -> None:
    built = _fresh()
    (cached,) = cache_home.glob("rules-*.pickle")
    cached.write_bytes(b"not a pickle")
    _same(_fresh(), built)
    assert cached.read_bytes() != b"not a pickle"  # written again


def test_changed_rules_are_read_again(cache_home: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(bundled_rules(), rules)
    before = _fresh(str(rules))
    risks = rules / "risks.yaml"
    risks.write_text(risks.read_text(encoding="utf-8").replace("version: 1", "version: 2", 1))
    with pytest.raises(KnowledgeError):
        _fresh(str(rules))
    risks.write_text(risks.read_text(encoding="utf-8").replace("version: 2", "version: 1", 1))
    _same(_fresh(str(rules)), before)
    # --rules DIR has its own entry beside the bundled rules'
    _fresh()
    assert len(list(cache_home.glob("rules-*.pickle"))) == 2


def test_an_unwritable_cache_costs_nothing_but_time(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_home.parent.mkdir(parents=True)
    cache_home.write_text("a file where the folder would go")
    _same(_fresh(), _fresh())
    assert not os.path.isdir(cache_home)
    assert usercache.read(bundled_rules(), "no such key", object) is None


def test_a_config_comes_from_the_cache_while_its_text_is_unchanged(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matland.check import config as configuration
    from matland.core import yamlpos

    (tmp_path / ".matland.yaml").write_text("fail-on: high\nexclude: [drafts]\n")
    first = configuration.find(str(tmp_path))
    assert list(cache_home.glob("config-*.pickle"))
    parsed: list[str] = []
    monkeypatch.setattr(
        configuration, "parse", lambda text: parsed.append(text) or yamlpos.parse(text)
    )
    again = configuration.find(str(tmp_path))
    assert again == first and again.config.fail_on == "high" and parsed == []
    (tmp_path / ".matland.yaml").write_text("fail-on: medium\nexclude: [drafts]\n")
    changed = configuration.find(str(tmp_path))
    assert changed.config.fail_on == "medium" and len(parsed) == 1


def test_a_config_with_a_problem_is_never_cached(cache_home: Path, tmp_path: Path) -> None:
    from matland.check.config import ConfigError, find

    (tmp_path / ".matland.yaml").write_text("fail-on: high\nfial-on: low\n")
    for _ in range(2):  # the second run reports it exactly as the first did
        with pytest.raises(ConfigError) as raised:
            find(str(tmp_path))
        finding = raised.value.findings[0]
        assert (finding.line, finding.column, finding.rule_id) == (2, 1, "invalid-config")
    assert not list(cache_home.glob("config-*.pickle"))


def test_a_directory_named_two_ways_reads_its_other_files_from_this_runs_spelling(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entry is the directory's: a run from its parent that names it `a/rules` after a
    run from `a` named it `rules` reads review.yaml and workshop.yaml from `a/rules`."""
    shutil.copytree(bundled_rules(), tmp_path / "a" / "rules")
    monkeypatch.chdir(tmp_path / "a")
    assert _fresh("rules").root == Path("rules")
    monkeypatch.chdir(tmp_path)
    knowledge = _fresh("a/rules")
    assert len(list(cache_home.glob("rules-*.pickle"))) == 1  # the same entry, read
    assert knowledge.root == Path("a/rules") and (knowledge.root / "review.yaml").is_file()


def test_a_value_that_will_not_pickle_costs_the_cache_nothing_but_time(
    cache_home: Path, tmp_path: Path
) -> None:
    rulesdir = tmp_path / "r"
    rulesdir.mkdir()
    usercache.write(rulesdir, "key", lambda: None)  # not picklable: TypeError, kept quiet
    usercache.write(rulesdir, "key", [[[]]] * 10 + [_deep(100_000)])  # RecursionError
    assert usercache.read(rulesdir, "key", object) is None
    assert not [p for p in cache_home.iterdir() if p.suffix == ".tmp"]  # no temporaries


def _deep(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth):
        value = [value]
    return value
