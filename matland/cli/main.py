"""The command line: click commands gather options and call the core; nothing else.

Exit codes: 0 clean; 1 a finding at or above --fail-on; 2 invalid input or usage;
3 a bug in matland. Heavy modules are imported inside the commands that need them, so
`matland --help` and `--version` start fast.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import io
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from matland import __version__
from matland.core.vocabulary import EXIT_INTERRUPTED, FAIL_ON, PARADIGMS, RULE_KINDS
from matland.render import formats, line_start, printable

if TYPE_CHECKING:
    from matland.core.assessment import FileResult
    from matland.core.knowledge import Knowledge

EXIT_CODES_HELP = """\b
Exit codes:
  0  every file valid, no finding at or above --fail-on
  1  a finding at or above --fail-on (or a gate asked for)
  2  an invalid file, a usage error, or an output that cannot be written
  3  a bug in matland (please report it)
  130, 143  interrupted (Ctrl-C), terminated (SIGTERM)"""
FORMATS_CHECK = formats("check")
FORMATS_REPORT = formats("report")


F = TypeVar("F", bound=Callable[..., Any])

# Shared by every command that reads proposals (commands/ modules import it too).
max_bytes_option = click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=1_000_000,
    show_default=True,
    help="Refuse files larger than this.",
)


def format_option(*choices: str) -> Callable[[F], F]:
    """`--format` over `choices`, the first being the default (every command's flag reads
    the same)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help="Output format.",
    )


def output_options(command: F) -> F:
    """`-o/--output FILE` and `--force`: write to a file, never replacing one unasked."""
    command = click.option("--force", is_flag=True, help="Replace the --output file if it exists.")(
        command
    )
    return click.option(
        "-o",
        "--output",
        "output",
        type=click.Path(dir_okay=False),
        default=None,
        help="Write to this file instead of the terminal (never replaces one without --force).",
    )(command)


class Terminated(BaseException):
    """SIGTERM (a cancelled CI job, `timeout`), raised where the run is, so that it unwinds
    as on Ctrl-C: temporary files go, and the output files are the old ones, or all new
    ones once they are being put in place (checking._all_or_none)."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def _bytes_or_replaced(error: UnicodeError) -> tuple[str | bytes, int]:
    """A file name that is not UTF-8 (Python reads it with surrogates) goes out as its
    bytes; a character the console's encoding lacks (`PYTHONIOENCODING=latin-1`, an ASCII
    console) as `?`: never a crash."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start : error.end]
    if all("\udc80" <= c <= "\udcff" for c in chunk):
        return bytes(ord(c) - 0xDC00 for c in chunk), error.end
    return "?" * len(chunk), error.end


def _tolerant_output() -> None:
    codecs.register_error("matland.output", _bytes_or_replaced)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors != "backslashreplace":
            stream.reconfigure(errors="matland.output")


# The other command families, each in its own module that registers its commands on `cli`
# when imported: imported when one of its commands is run or the commands are listed, so a
# check never pays for them (a test keeps this table the modules' own).
FAMILIES = {
    "assess": "matland.cli.assess",
    "compare": "matland.cli.design",
    "explain": "matland.cli.design",
    "levers": "matland.cli.design",
    "precedents": "matland.cli.design",
    "whatif": "matland.cli.design",
    "review": "matland.cli.review",
    "review-questions": "matland.cli.workshop",
    "workshop": "matland.cli.workshop",
}


class MatlandGroup(click.Group):
    """Turns rules errors into exit 2 and any unexpected exception into one line and exit 3."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *FAMILIES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:  # an unknown one: every family, for "did you mean"
            import importlib

            wanted = FAMILIES.get(cmd_name)
            for module in [wanted] if wanted else sorted(set(FAMILIES.values())):
                importlib.import_module(module)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        # orjson's initialisation crashes the process (SIGSEGV) when a KeyboardInterrupt is
        # raised inside it: it is loaded while a Ctrl-C still ends matland at once (launch),
        # not lazily by the result cache once Ctrl-C is a KeyboardInterrupt.
        import orjson  # noqa: F401

        from matland.cli.launch import take_back
        from matland.core.knowledge import KnowledgeError

        _tolerant_output()
        try:
            take_back(_terminate)  # Ctrl-C from here is a KeyboardInterrupt, SIGTERM a
            # Terminated, each caught below
            return super().invoke(ctx)
        except KnowledgeError as error:
            for finding in error.findings:
                click.echo(f"matland: {printable(finding.one_line())}", err=True)
            click.echo("matland: the rules directory is invalid; fix the entries above", err=True)
            ctx.exit(2)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("matland: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except Terminated:
            click.echo("matland: terminated", err=True)
            ctx.exit(128 + signal.SIGTERM)
        except BrokenPipeError:
            sys.stderr.close()  # the reader went away (`| head`); nothing more to say
            ctx.exit(0)
        except OSError as error:  # the machine, not matland: a full disk, a vanished stream
            name = printable(str(error.filename)) if error.filename else ""
            where = f" ({name})" if name else " (writing the output)"
            click.echo(f"matland: cannot go on: {error.strerror or error}{where}", err=True)
            _silence_stdout()  # Python would fail again flushing it at exit
            ctx.exit(2)
        except (SystemExit, GeneratorExit):
            raise
        except BaseException as error:  # a pyo3 PanicException is a BaseException too
            click.echo(
                f"matland: internal error: {type(error).__name__}: {printable(str(error))} "
                "(this is a bug in matland; please report it; MATLAND_DEBUG=1 shows where)",
                err=True,
            )
            if os.environ.get("MATLAND_DEBUG") == "1":
                import traceback

                traceback.print_exc()
            ctx.exit(3)


@click.group(cls=MatlandGroup, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="matland")
@click.option(
    "--rules",
    "rules_dir",
    type=click.Path(file_okay=False),
    envvar="MATLAND_RULES",
    help="Use the rules in this directory instead of the bundled ones.",
)
@click.pass_context
def cli(ctx: click.Context, rules_dir: str | None) -> None:
    """matland: decide how a policy should be implemented, before it is rolled out.

    Answer the questionnaire about a proposed policy (a YAML file); matland places it in
    Matland's (1995) ambiguity-conflict matrix, recommends a support mix and flags
    policy-failure risks, each explained by the answers that caused it and its source.
    """
    ctx.obj = rules_dir


def knowledge_for(ctx: click.Context) -> Knowledge:
    """The rules for this run (bundled, or --rules DIR), loaded once and cached."""
    from matland.core.knowledge import load_knowledge

    rules_dir = ctx.find_root().obj
    if rules_dir is not None and not os.path.isdir(rules_dir):
        raise click.BadParameter(f"{rules_dir}: not a directory", param_hint="--rules")
    knowledge: Knowledge = load_knowledge(rules_dir)
    return knowledge


def print_and_exit(ctx: click.Context, text: str, code: int) -> NoReturn:
    """Print a command's output and leave with its exit code; no line of it reads as a
    GitHub workflow command in a CI log, whatever it quotes (render.line_start)."""
    click.echo(line_start(text), nl=False)
    ctx.exit(code)


CONFIG_READ = "matland.config"  # ctx.meta: the config file a run has read, if any


def settings_read(ctx: click.Context) -> list[tuple[str, str]]:
    """The files a command reads besides its inputs, each with what it is: the config file
    it found (.matland.yaml or pyproject.toml) and the rules (every file of the rules
    directory, --rules DIR or the bundled one). An output must never replace one of them."""
    from pathlib import Path

    from matland.core.knowledge import KnowledgeError, bundled_rules

    read = []
    config = ctx.find_root().meta.get(CONFIG_READ)
    if config:
        read.append((config, "the config file this run reads"))
    rules_dir = ctx.find_root().obj
    try:
        root = Path(rules_dir) if rules_dir else bundled_rules()
    except KnowledgeError:  # said when the rules are loaded
        return read
    if root.is_dir():
        read += [(str(p), "a rules file this run reads") for p in root.iterdir() if p.is_file()]
    return read


def _outputs(
    values: tuple[str, ...], inputs: Sequence[str], read: Sequence[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    """Each --output FORMAT:FILE, refused before anything is checked if it cannot be
    written, or must not be (a file named as an input; one found in a directory is refused
    when it is met): a long run must not end in "cannot write"."""
    from matland.source.files import not_a_file, same_file

    outputs: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for value in values:
        fmt, sep, path = value.partition(":")
        if not sep or not path or fmt not in FORMATS_CHECK:
            raise click.BadParameter(
                f"'{value}': write FORMAT:FILE with FORMAT one of {', '.join(FORMATS_CHECK)}",
                param_hint="--output",
            )
        if path == "-":
            raise click.BadParameter(
                f"'{value}': --output writes files; the terminal shows --format {fmt}",
                param_hint="--output",
            )
        path = os.path.expanduser(path)  # the shell leaves ~ after `sarif:` as it is
        refuse = functools.partial(_refuse_output, value)
        if not not_a_file(path):  # a device or /dev/stdout may take several outputs
            for earlier, other in seen.items():
                if same_file(path, earlier):
                    refuse(f"{path} is already the file of --output {other}")
            if os.path.isdir(path):
                refuse(f"{path} is a directory; give a file name in it")
            for named in inputs:
                if named != "-" and not os.path.isdir(named) and same_file(path, named):
                    refuse(f"{path} is one of the inputs; not overwritten")
            for named, what in read:
                if same_file(path, named):
                    refuse(f"{path} is {what}; not overwritten")
        seen[path] = value
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            refuse(f"there is no directory {directory}; create it first")
        outputs.append((fmt, path))
    return outputs


def _refuse_output(value: str, reason: str) -> NoReturn:
    raise click.BadParameter(f"'{value}': {reason}", param_hint="--output")


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS_CHECK),
    default=None,
    help="Terminal output format [default: text; github under GitHub Actions].",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=None,
    help="Exit 1 when a finding reaches this severity [default: high].",
)
@click.option(
    "--require-complete", is_flag=True, help="Unanswered and unsure items become findings."
)
@click.option(
    "--require-notes",
    type=click.Choice(FAIL_ON[1:]),
    default=None,
    help="A finding for each answer without a note that a finding at or above this "
    "severity, or the paradigm, rests on.",
)
@click.option(
    "--expect-paradigm",
    type=click.Choice(PARADIGMS),
    default=None,
    help="A finding when a file is not classified so.",
)
@click.option(
    "--output",
    "outputs",
    multiple=True,
    metavar="FORMAT:FILE",
    help="Also write FORMAT to FILE (atomically); repeatable.",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Skip files and directories found in directories that match (in place of the "
    "config's exclude); repeatable.",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply the excludes to files named on the command line too (as pre-commit names them).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for large runs [default: number of cores].",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Keep the result cache here [default: .matland_cache at the repository root; "
    "$MATLAND_CACHE_DIR, or cache-dir in the config].",
)
@click.option("--no-cache", is_flag=True, help="Check every file again; read and write no cache.")
@click.option(
    "--rules",
    "check_rules",
    type=click.Path(file_okay=False),
    default=None,
    help="Use the rules in this directory (as `matland --rules DIR check`; over the config's).",
)
@max_bytes_option
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: str | None,
    fail_on: str | None,
    require_complete: bool,
    require_notes: str | None,
    expect_paradigm: str | None,
    outputs: tuple[str, ...],
    exclude: tuple[str, ...],
    force_exclude: bool,
    jobs: int | None,
    cache_dir: str | None,
    no_cache: bool,
    check_rules: str | None,
    max_bytes: int,
) -> None:
    """Validate and classify proposal files (or directories of them; - reads stdin).

    Defaults come from .matland.yaml or [tool.matland] in pyproject.toml (fail-on, format,
    rules, exclude, cache-dir); flags override them. An unchanged file's output comes from
    the result cache (.matland_cache/ at the repository root).
    """
    from matland.check import config
    from matland.check.execute import CheckOptions, Output, execute

    if paths.count("-") > 1:
        raise click.BadParameter("- (standard input) is given more than once", param_hint="PATHS")
    if check_rules is not None:
        ctx.find_root().obj = check_rules
    try:
        found = config.find()
        if found.path is None and paths[0] != "-":  # none here: look from what is checked
            first = os.path.abspath(paths[0])
            found = config.find(first if os.path.isdir(first) else os.path.dirname(first))
    except config.ConfigError as error:
        for finding in error.findings:
            click.echo(printable(finding.one_line()), err=True)
        ctx.exit(2)
    settings = found.config
    if found.path is not None:
        ctx.find_root().meta[CONFIG_READ] = found.path
    if ctx.find_root().obj is None and settings.rules:
        rules = os.path.join(found.base, settings.rules)
        if not os.path.isdir(rules):  # the config's mistake, not a flag's: its place said
            from matland.core.findings import Finding

            assert found.path is not None
            line, column = config.place(found, "rules")
            wrong = Finding(
                found.path,
                line,
                column,
                "invalid-config",
                "error",
                f"rules: {rules} is not a directory",
                "a relative path is read from the config's folder",
            )
            click.echo(printable(wrong.one_line()), err=True)
            ctx.exit(2)
        ctx.find_root().obj = rules
    github = os.environ.get("GITHUB_ACTIONS") == "true" and "github" in FORMATS_CHECK
    options = CheckOptions(
        paths=paths,
        format=fmt or settings.format or ("github" if github else "text"),
        fail_on=fail_on or settings.fail_on or "high",
        max_bytes=max_bytes,
        require_complete=require_complete,
        require_notes=require_notes or settings.require_notes,
        expect_paradigm=expect_paradigm,
        outputs=tuple(Output(*o) for o in _outputs(outputs, paths, settings_read(ctx))),
        exclude=exclude
        or tuple(
            os.path.normpath(os.path.join(found.base, p)).replace(os.sep, "/")
            for p in settings.exclude
        ),
        force_exclude=force_exclude,
        jobs=jobs or os.cpu_count() or 1,
        rules_dir=ctx.find_root().obj,
        cache_dir=None
        if no_cache
        else _cache_dir(cache_dir, settings.cache_dir, found.base, paths),
    )
    run = execute(options, knowledge_for(ctx))
    _print_all(run.chunks)
    for problem in run.problems:
        click.echo(f"matland: {printable(problem)}", err=True)
    ctx.exit(run.exit_code if not run.problems else max(run.exit_code, 2))


def _cache_dir(
    flag: str | None, configured: str | None, base: str, paths: tuple[str, ...]
) -> str | None:
    """--cache-dir, else $MATLAND_CACHE_DIR, else the config's, else the repository's (of
    the working directory, else of what is checked); None: outside any, no cache."""
    from matland.check.resultcache import default_dir

    chosen = (
        flag
        or os.environ.get("MATLAND_CACHE_DIR")
        or (os.path.join(base, configured) if configured else None)
    )
    if chosen:
        return os.path.expanduser(chosen)
    first = [os.path.abspath(path) for path in paths[:1] if path != "-"]
    return default_dir(".", *(p if os.path.isdir(p) else os.path.dirname(p) for p in first))


def _print_all(chunks: Iterator[str]) -> None:
    """Each chunk to stdout as it comes (plain writes: click.echo flushes each call, 1 s in
    5,000 files). A reader that stops early (`| head`, `| grep -q`) does not stop the run:
    the rest is still checked, so `--output` files are written and the exit code is true."""
    out = sys.stdout
    try:
        for chunk in chunks:
            out.write(chunk)
        out.flush()
    except BrokenPipeError:
        _silence_stdout()  # Python would fail again flushing stdout at exit
        for _ in chunks:
            pass


def _silence_stdout() -> None:
    """Point stdout at /dev/null, dropping what is buffered for it."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # no descriptor to point
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


@cli.command()
@click.argument("file")
@format_option(*FORMATS_REPORT)
@max_bytes_option
@output_options
@click.pass_context
def report(
    ctx: click.Context, file: str, fmt: str, max_bytes: int, output: str | None, force: bool
) -> None:
    """The full assessment of one proposal: position, meaning, support, risks, answers."""
    from matland.render import RenderOptions, renderer

    knowledge = knowledge_for(ctx)
    result = load_one(ctx, file, knowledge, max_bytes)
    with file_layout(output):
        text = renderer(fmt)([result], RenderOptions(knowledge, "report"))
    if output is None:
        print_and_exit(ctx, text, 0)
    write_file(ctx, output, text, force, inputs=[file])


def file_layout(output: str | None) -> contextlib.AbstractContextManager[None]:
    """Text rendered for an --output file is laid out for 80 columns, whatever the
    terminal it was made in."""
    from matland.render import prose

    return prose.laid_out_for(None if output is None else prose.FILE_COLUMNS)


def load_one(
    ctx: click.Context, file: str, knowledge: Knowledge, max_bytes: int = 1_000_000
) -> FileResult:
    """One proposal checked for a command that takes one FILE; an unusable path is a usage
    error, an invalid file prints its findings and leaves with exit 2."""
    from matland.core.vocabulary import EXIT_INVALID
    from matland.source.discovery import discover
    from matland.source.pipeline import check_file

    target = next(iter(discover([file])))
    if target.problem is not None:
        raise click.BadParameter(f"{file}: {target.problem.message}", param_hint="FILE")
    if file != "-" and os.path.isdir(file):
        raise click.BadParameter(
            f"{file} is a directory: give one proposal file (`matland check` takes directories)",
            param_hint="FILE",
        )
    result: FileResult = check_file(file, knowledge, max_bytes)
    if result.kind == "review":
        raise click.BadParameter(
            f"{file} is a review file: `matland review {file}` reads it", param_hint="FILE"
        )
    if not result.valid:
        for error in result.errors:
            click.echo(printable(error.one_line()), err=True)
        ctx.exit(EXIT_INVALID)
    return result


def write_file(
    ctx: click.Context, path: str, text: str, force: bool, inputs: Sequence[str] = ()
) -> None:
    """Write a command's output file atomically, never replacing one without --force, and
    never one of the files the command read (--force is for an old report, not the input)."""
    from matland.source.discovery import input_files
    from matland.source.files import FileExists, same_file, write_atomic

    if any(same_file(path, read) for read in input_files(inputs)):
        click.echo(f"matland: {printable(path)}: is one of the inputs; not overwritten", err=True)
        ctx.exit(2)
    for read, what in settings_read(ctx):
        if same_file(path, read):
            click.echo(f"matland: {printable(path)}: is {what}; not overwritten", err=True)
            ctx.exit(2)
    try:
        write_atomic(path, text, replace=force)
    except FileExists:
        click.echo(
            f"matland: {printable(path)} exists; not overwritten (use --force to replace it)",
            err=True,
        )
        ctx.exit(2)
    except OSError as error:
        click.echo(f"matland: {printable(path)}: cannot write: {error.strerror}", err=True)
        ctx.exit(2)
    click.echo(f"Wrote {printable(path)}", err=True)


@cli.command()
@format_option("text", "markdown", "yaml")
@click.pass_context
def questions(ctx: click.Context, fmt: str) -> None:
    """Print the questionnaire (to hand out, or to write a file by hand)."""
    from matland.render import questions as questionnaire

    print_and_exit(ctx, questionnaire.render(knowledge_for(ctx), fmt), 0)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.option("--title", default="", help="The policy's title.")
@click.pass_context
def init(ctx: click.Context, file: str, force: bool, title: str) -> None:
    """Write a proposal template with every item as a commented line and its anchors
    (FILE `-`: to standard output)."""
    from matland.render import questions as questionnaire

    template = questionnaire.template(knowledge_for(ctx), title)
    if file == "-":
        print_and_exit(ctx, template, 0)
    write_file(ctx, file, template, force)
    click.echo(f"Fill in the answers, then run: matland check {file}", err=True)


@cli.command()
@click.option(
    "--review", "of_review", is_flag=True, help="The review file's (matland-review: 1) instead."
)
@click.pass_context
def schema(ctx: click.Context, of_review: bool) -> None:
    """Print the JSON Schema of the proposal file format (or of the review file's)."""
    import json

    from matland.source.schema import proposal_schema, review_schema

    knowledge = knowledge_for(ctx)
    if of_review:
        from matland.core.reviewrules import load_review_rules

        made = review_schema(knowledge, load_review_rules(str(knowledge.root)))
    else:
        made = proposal_schema(knowledge)
    print_and_exit(ctx, json.dumps(made, indent=2) + "\n", 0)


# The kinds `rules list --kind` offers: matland.render.catalogue.KINDS, spelt out here so that
# `matland --help` does not import the rules models (a test keeps the two in step).


@cli.group()
def rules() -> None:
    """The knowledge base, each entry with its source: questions, support approaches,
    risks, paradigms, the workshop rules (rules/workshop.yaml), the review questions and
    the six review criteria (rules/review.yaml)."""


@rules.command("list")
@click.option(
    "--kind",
    type=click.Choice(RULE_KINDS),
    default=None,
    help="Only this kind of entry.",
)
@format_option("text", "json")
@click.pass_context
def rules_list(ctx: click.Context, kind: str | None, fmt: str) -> None:
    """List the rules (every entry with its source)."""
    from matland.render import catalogue

    print_and_exit(ctx, catalogue.render_list(knowledge_for(ctx), kind, fmt), 0)


@rules.command("show")
@click.argument("rule_id")
@click.pass_context
def rules_show(ctx: click.Context, rule_id: str) -> None:
    """Show one entry in full with its source (a risk's condition in words); RULE_ID is
    any id `rules list` shows, a workshop rule's (`disagreement`) and a review question's
    (`do_next`) too."""
    from matland.core.findings import did_you_mean
    from matland.render import catalogue

    knowledge = knowledge_for(ctx)
    text = catalogue.render_show(knowledge, rule_id)
    if text is None:
        # stricter than for a key: over ~130 ids of every kind, 0.6 finds a "match" for most
        hint = did_you_mean(rule_id, catalogue.all_ids(knowledge), cutoff=0.75)
        raise click.BadParameter(
            f"no rule '{rule_id}'" + (f"; {hint}" if hint else ""), param_hint="RULE_ID"
        )
    print_and_exit(ctx, text, 0)


def main() -> None:
    # Started with stdout or stderr closed (`matland check … >&-`), Python has no stream
    # for them: the output goes nowhere, and the run still ends with its true exit code.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the run
    cli(prog_name="matland")
