"""`matland assess FILE`: the questionnaire asked in a terminal, saved after every answer.

FILE is the draft. A new one is written as soon as it has a title; after that it is replaced
atomically after every answer, always as a valid proposal, so q, Ctrl-C, a closed terminal or
a killed process leave it as it was after the last answer. An existing file that is not a
valid proposal is never touched.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Mapping
from typing import TYPE_CHECKING

import click

from matland.cli import cli, finish, knowledge_for

if TYPE_CHECKING:
    from matland.assess_tui import Console
    from matland.knowledge import Knowledge
    from matland.model import Answer, Proposal

# Set to 1 to run assess without a terminal on stdin (tests drive it through CliRunner).
FORCE_INTERACTIVE = "MATLAND_ASSESS_FORCE_INTERACTIVE"
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C
_COMMENT = re.compile(r"(?:^|\s)(#.*)$")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--quick", is_flag=True, help="Ask only the twelve ambiguity and conflict items.")
@click.option(
    "--review", is_flag=True, help="Step through every item; Enter keeps the current answer."
)
@click.pass_context
def assess(ctx: click.Context, file: str, quick: bool, review: bool) -> None:
    """Answer the questionnaire in the terminal, one question at a time.

    FILE is saved after every answer. Keys: 1-5 (or y/n, or a number) then Enter, u unsure,
    s skip, b back, ? help, n note, q save and quit. Run the command again to resume at the
    first unanswered item; the full report is shown at the end.
    """
    from matland.assess_tui import Interview, TerminalConsole, begin
    from matland.run import EXIT_INVALID

    if file == "-":
        raise click.BadParameter("give a file name (the draft is saved there)", param_hint="FILE")
    if not _interactive():
        click.echo(
            "matland: assess is interactive and needs a terminal on stdin. Without one, write "
            f"a template with `matland init {shlex.quote(file)}`, fill it in, then run "
            f"`matland check {shlex.quote(file)}`.",
            err=True,
        )
        ctx.exit(EXIT_INVALID)
    knowledge = knowledge_for(ctx)
    console = TerminalConsole()
    draft = _open(ctx, file, knowledge, console)
    items = (
        knowledge.dimension_items("ambiguity") + knowledge.dimension_items("conflict")
        if quick
        else tuple(knowledge.questions)
    )
    session = begin(items, draft.proposal.answers, review)
    if session.done:
        console.show(f"Nothing left to ask in {file}; --review steps through the answers again.")
    else:
        console.show(f"{file} is saved after every answer. ? explains a question, q quits.")
    interview = Interview(knowledge, console, draft.save, session)
    ending = interview.run()
    draft.save(interview.session.answers, final=True)
    if ending != "done":
        interrupted = ending == "interrupted"
        click.echo(
            ("Interrupted. " if interrupted else "")
            + f"{draft.summary()} Resume with: matland assess {shlex.quote(file)}"
            + (" --quick" if quick else ""),
            err=interrupted,
        )
        ctx.exit(EXIT_INTERRUPTED if interrupted else 0)
    _report(ctx, draft, knowledge)


def _interactive() -> bool:
    import sys

    return os.environ.get(FORCE_INTERACTIVE) == "1" or sys.stdin.isatty()


class Draft:
    """The file being filled in: written whole and atomically each time the answers change."""

    def __init__(self, path: str, proposal: Proposal, knowledge: Knowledge) -> None:
        self.path = path
        self.proposal = proposal
        self.knowledge = knowledge
        self.unsaved = False  # the file lags behind `proposal` (a failed or interrupted write)

    def save(self, answers: Mapping[str, Answer], final: bool = False) -> None:
        import dataclasses

        from matland.dump import dump
        from matland.files import write_atomic
        from matland.run import EXIT_INVALID

        changed = dict(answers) != dict(self.proposal.answers)
        self.proposal = dataclasses.replace(self.proposal, answers=dict(answers))
        if final and not changed and not self.unsaved:
            return
        self.unsaved = True
        try:
            write_atomic(_target(self.path), dump(self.proposal, self.knowledge), replace=True)
        except OSError as error:
            click.echo(f"matland: cannot save {self.path}: {error.strerror or error}", err=True)
            if final:
                click.echo("matland: here is what could not be saved:", err=True)
                click.echo(dump(self.proposal, self.knowledge), err=True)
                raise click.exceptions.Exit(EXIT_INVALID) from None
            return
        self.unsaved = False

    def summary(self) -> str:
        answers = self.proposal.answers.values()
        unsure = sum(1 for a in answers if a.unsure)
        total = len(self.knowledge.questions)
        return f"Saved {self.path}: {len(answers)} of {total} items answered ({unsure} unsure)."


def _target(path: str) -> str:
    """Write through a symlink to the file it names, rather than replacing the link."""
    return os.path.realpath(path) if os.path.islink(path) else path


def _open(ctx: click.Context, file: str, knowledge: Knowledge, console: Console) -> Draft:
    """The draft: an existing valid proposal, or a new one once it has a title."""
    from matland.dump import dump
    from matland.files import FileExists, write_atomic
    from matland.load import load_proposal
    from matland.model import Policy, Proposal
    from matland.run import EXIT_INVALID

    if os.path.exists(file) or os.path.islink(file):
        proposal, errors = load_proposal(file, knowledge)
        if proposal is None:
            for error in errors:
                click.echo(error.one_line(), err=True)
            click.echo(
                f"matland: {file} is not a valid proposal, so assess will not write over it. "
                "Fix the problems above (`matland check` lists them), or give a new file name.",
                err=True,
            )
            ctx.exit(EXIT_INVALID)
        _warn_about_own_comments(file, proposal, knowledge)
        return Draft(file, proposal, knowledge)
    directory = os.path.dirname(os.path.abspath(file))
    if not os.path.isdir(directory):  # say so before the user types anything
        click.echo(f"matland: {file}: no directory {directory} to write it in", err=True)
        ctx.exit(EXIT_INVALID)
    title = _ask_title(ctx, console)
    proposal = Proposal(path=file, policy=Policy(title=title), answers={})
    try:  # the first write never replaces: a file created meanwhile by someone else is kept
        write_atomic(file, dump(proposal, knowledge), replace=False)
    except FileExists:
        click.echo(f"matland: {file} appeared meanwhile; not overwritten", err=True)
        ctx.exit(EXIT_INVALID)
    except OSError as error:
        click.echo(f"matland: {file}: cannot write: {error.strerror}", err=True)
        ctx.exit(EXIT_INVALID)
    return Draft(file, proposal, knowledge)


def _ask_title(ctx: click.Context, console: Console) -> str:
    from matland.run import EXIT_INVALID

    try:
        while True:
            line = console.ask("Policy title: ")
            if line is None:
                click.echo("\nmatland: no title given; nothing written", err=True)
                ctx.exit(EXIT_INVALID)
            if line.strip():
                return line.strip()
    except KeyboardInterrupt:
        click.echo("\nmatland: interrupted; nothing written", err=True)
        ctx.exit(EXIT_INTERRUPTED)


def _warn_about_own_comments(file: str, proposal: Proposal, knowledge: Knowledge) -> None:
    """Rewriting keeps every value and x- key, but not comments the user typed: say so."""
    from matland.dump import dump

    try:
        with open(file, encoding="utf-8-sig") as handle:
            existing = handle.read()
    except (OSError, UnicodeDecodeError):
        return
    ours = set(_comments(dump(proposal, knowledge)))
    if any(comment not in ours for comment in _comments(existing)):
        click.echo(
            f"Note: {file} will be rewritten in matland's layout after each answer: answers, "
            "notes and x- keys are kept, its other comments are not.",
            err=True,
        )


def _comments(text: str) -> list[str]:
    return [m.group(1).strip() for line in text.splitlines() if (m := _COMMENT.search(line))]


def _report(ctx: click.Context, draft: Draft, knowledge: Knowledge) -> None:
    """The full report, read back from the file itself: what `matland report` would show."""
    from matland.render import RenderOptions, renderer
    from matland.run import EXIT_BUG, EXIT_OK, check_file

    result = check_file(draft.path, knowledge)
    if not result.valid:  # dump() wrote a file load() refuses: a bug in matland
        for error in result.errors:
            click.echo(error.one_line(), err=True)
        ctx.exit(EXIT_BUG)
    click.echo(f"\nAll questions asked. {draft.summary()}\n")
    finish(ctx, renderer("text")([result], RenderOptions(knowledge, "report")), EXIT_OK)
