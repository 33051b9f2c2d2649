"""Project defaults for `matland check`: `.matland.yaml`, or `[tool.matland]` in pyproject.toml.

Found by walking up from the working directory to the repository root (the first directory
holding `.git`), or, when there is none, from the first path checked. Flags override it.
Validated like everything else: unknown keys are errors with file:line. A config of plain
values (each a word of its list, text, a list of text) is taken as it is; anything else is
validated by the pydantic model in configmodel.py (the reference), so a hook's run in a
repository with a config imports no pydantic either.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matland import __version__
from matland.core import invalid
from matland.core.findings import Finding, did_you_mean
from matland.core.invalid import Loc, describe
from matland.core.records import record
from matland.core.vocabulary import FAIL_ON
from matland.core.yamlpos import YamlProblem, parse, read_text
from matland.render import formats
from matland.source.paths import upwards

if TYPE_CHECKING:
    from matland.core.invalid import Issue

CONFIG_FILE = ".matland.yaml"
KEYS = ("fail-on", "format", "rules", "exclude", "require-notes", "cache-dir")


@record(kw_only=True)
class Config:
    """The settings (configmodel.Config validates them, with the same fields)."""

    fail_on: str | None = None
    format: str | None = None
    rules: str | None = None
    exclude: list[str] = field(default_factory=list)
    require_notes: str | None = None
    cache_dir: str | None = None  # of the result cache


# Each key's field and the words it may be (None: any text).
_WORDS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "fail-on": ("fail_on", FAIL_ON),
    "format": ("format", tuple(formats("check"))),
    "rules": ("rules", None),
    "require-notes": ("require_notes", FAIL_ON[1:]),
    "cache-dir": ("cache_dir", None),
}
_SURROGATE = re.compile("[\ud800-\udfff]")  # text pydantic refuses


@record
class Loaded:
    config: Config
    path: str | None = None  # where it came from
    base: str = "."  # relative `rules` and `exclude` are read from here


class ConfigError(Exception):
    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("\n".join(f.one_line() for f in findings))
        self.findings = findings


def find(start: str = ".") -> Loaded:
    for directory in upwards(start):
        candidate = os.path.join(directory, CONFIG_FILE)
        if os.path.isfile(candidate):
            return Loaded(_from_yaml(candidate), candidate, directory)
        pyproject = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(pyproject):
            section = _from_pyproject(pyproject)
            if section is not None:
                return Loaded(section, pyproject, directory)
    return Loaded(Config())


def _from_yaml(path: str) -> Config:
    """The config in `path`, from the user's cache when its text is the one cached (a run
    with an unchanged config parses no YAML: usercache.py); a config with a problem is
    never cached, so its findings are always the parser's and the model's."""
    from matland.core import usercache

    try:
        text = read_text(path)
    except YamlProblem as problem:
        raise ConfigError([problem.finding(path)]) from problem
    place, key = Path(path), _cache_key(text)
    config = usercache.read(place, key, Config, name="config")
    if config is None:
        config = _parsed(path, text)
        usercache.write(place, key, config, name="config")
    return config


def _cache_key(text: str) -> str:
    """What a cached config was made from: its text, matland's version and this module
    (whose Config is what the cache holds)."""
    import hashlib

    from matland.core.usercache import sources

    digest = hashlib.sha256(f"{__version__}\0{text}".encode(errors="surrogatepass"))
    # What decides a config's validity and its record: this module, its pydantic model,
    # the formats (render's registry) and the core's vocabulary.
    digest.update(sources("check/config.py", "check/configmodel.py", "render/__init__.py"))
    digest.update(sources("core"))
    return digest.hexdigest()


def _parsed(path: str, text: str) -> Config:
    try:
        document = parse(text)
    except YamlProblem as problem:
        if problem.message.startswith("file is empty"):
            return Config()  # an empty config (or only comments) means the defaults
        raise ConfigError([problem.finding(path)]) from problem
    if document.data is None:
        return Config()
    if not isinstance(document.data, dict):
        raise ConfigError(
            [
                Finding(
                    path,
                    1,
                    1,
                    "invalid-config",
                    "error",
                    "the config must be a mapping",
                    "e.g. `fail-on: medium`",
                )
            ]
        )
    return _validate(path, document.data, document.value_position, document.position)


def place(found: Loaded, key: str) -> tuple[int, int]:
    """Where `key` is written in the config `found` came from (for a value that is valid as
    written but wrong on this machine: a `rules` folder that is not there)."""
    assert found.path is not None
    with open(found.path, encoding="utf-8") as handle:
        text = handle.read()
    if found.path.endswith(".toml"):
        return _toml_position(text, (key,))
    return parse(text).value_position((key,))


def _from_pyproject(path: str) -> Config | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    with open(path, "rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(
                [Finding(path, 1, 1, "invalid-config", "error", f"pyproject.toml: {error}")]
            ) from error
    tool = data.get("tool", {})
    section = tool.get("matland") if isinstance(tool, dict) else None
    if section is None:
        return None
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if not isinstance(section, dict):  # `[tool]` + `matland = 5`
        line, column = _toml_position(text, ())
        for number, content in enumerate(text.splitlines(), start=1):
            if re.match(r"\s*matland\s*=", content):
                line, column = number, len(content) - len(content.lstrip()) + 1
                break
        raise ConfigError(
            [
                Finding(
                    path,
                    line,
                    column,
                    "invalid-config",
                    "error",
                    "[tool.matland] must be a table",
                    'e.g. `[tool.matland]` then `fail-on = "medium"` on the next line',
                )
            ]
        )
    return _validate(
        path, section, lambda at: _toml_position(text, at), lambda at: _toml_position(text, at)
    )


def _toml_position(text: str, at: tuple[str | int, ...]) -> tuple[int, int]:
    """TOML parsers keep no positions: find the key's line under [tool.matland] by text."""
    lines = text.splitlines()
    start = next(
        (i for i, line in enumerate(lines) if re.match(r"\s*\[tool\.matland\]\s*$", line)), 0
    )
    if at:
        key = str(at[0])
        for i in range(start + 1, len(lines)):
            if re.match(r"\s*\[", lines[i]):
                break
            if re.match(rf"\s*\"?{re.escape(key)}\"?\s*=", lines[i]):
                return (i + 1, len(lines[i]) - len(lines[i].lstrip()) + 1)
    return (start + 1, 1)


Locate = Callable[[tuple[str | int, ...]], tuple[int, int]]


def _plain(data: dict[str, Any]) -> Config | None:
    """The config when every value is of the plain kind the model takes as it is; else None
    (the model decides)."""
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key == "exclude":
            if type(value) is not list or not all(_text(item) for item in value):
                return None
            values["exclude"] = list(value)
            continue
        name, words = _WORDS.get(key, ("", None))
        if not name or not (_text(value) and (words is None or value in words)):
            return None
        values[name] = value
    return Config(**values)


def _text(value: Any) -> bool:
    return type(value) is str and not _SURROGATE.search(value)


def _validate(path: str, data: dict[str, Any], position: Locate, key_position: Locate) -> Config:
    """The config, or ConfigError: a bad value is placed at the value, an unknown key at
    the key."""
    plain = _plain(data)
    if plain is not None:
        return plain
    from pydantic import ValidationError

    from matland.check.configmodel import Config as Model

    try:
        validated = Model.model_validate(data)
        return Config(**{item.name: getattr(validated, item.name) for item in fields(Config)})
    except ValidationError as error:

        def at(loc: Loc, item: Issue) -> tuple[int, int]:
            return (key_position if item["type"] == "extra_forbidden" else position)(loc)

        def words(loc: Loc, item: Issue) -> tuple[str, str]:
            message, hint = describe(loc, item)
            if item["type"] == "extra_forbidden":
                hint = did_you_mean(str(loc[0]), KEYS) or f"allowed: {', '.join(KEYS)}"
            return message, hint

        findings = invalid.findings(error, path, "invalid-config", at, words)
        raise ConfigError(findings) from error
