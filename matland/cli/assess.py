"""`matland assess FILE`: the questionnaire asked in a terminal, saved after every answer.

FILE is the draft. A new one is written as soon as it has a title; after that it is replaced
atomically after every answer, always as a valid proposal, so q, Ctrl-C, a closed terminal or
a killed process leave it as it was after the last answer. An existing file keeps what its
author wrote (comments, blank lines, layout): only the answers in it change (`amend.py`). An
existing file that is not a valid proposal is never touched.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from typing import TYPE_CHECKING

import click

from matland.cli.main import cli, knowledge_for, print_and_exit
from matland.core.vocabulary import EXIT_INTERRUPTED
from matland.render import printable

if TYPE_CHECKING:
    from matland.assess.amend import Amended
    from matland.assess.details import Details
    from matland.assess.details_interview import DetailsInterview
    from matland.assess.interview import Console, Ending, Interview
    from matland.core.assessment import Assessment
    from matland.core.findings import Finding
    from matland.core.knowledge import Knowledge
    from matland.core.model import Answer, Policy, Proposal

# Set to 1 to run assess without a terminal on stdin (tests drive it through CliRunner).
FORCE_INTERACTIVE = "MATLAND_ASSESS_FORCE_INTERACTIVE"


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--quick",
    is_flag=True,
    help="Ask only the twelve ambiguity and conflict items (not the policy's details, "
    "stakeholders, plan or accepted risks).",
)
@click.option(
    "--review",
    is_flag=True,
    help="Step through every item and detail; Enter keeps the current answer.",
)
@click.pass_context
def assess(ctx: click.Context, file: str, quick: bool, review: bool) -> None:
    """Answer the questionnaire in the terminal, one question at a time.

    FILE is saved after every answer. First the policy's summary, owner and jurisdiction and
    who answers (those missing); then the questions. Keys: 1-5 (or y/n, or a number) then
    Enter, u unsure, s skip, b back, ? help, n note, q save and quit. Then the stakeholders
    (add, edit, remove), the support plan (search the catalogue by words, pick by number or
    id) and the accepted risks (each with a reason). Run the command again to resume at the
    first unanswered item; the full report is shown at the end.
    """
    from matland.assess.details import Details
    from matland.assess.details_interview import DetailsInterview
    from matland.assess.interview import Interview, TerminalConsole, begin
    from matland.core.vocabulary import EXIT_INVALID

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
    if session.done and quick:
        console.show(f"Nothing left to ask in {file}; --review steps through the answers again.")
    elif session.done:
        console.show(
            f"Every item in {file} is answered (--review steps through them again); "
            "the stakeholders, support plan and accepted risks follow."
        )
    else:
        answered = sum(1 for item in items if item in draft.proposal.answers)
        if answered and not review:
            console.show(
                f"Resuming: {answered} of {len(items)} answered; "
                f"going on at question {session.index + 1}."
            )
        console.show(f"{file} is saved after every answer. ? explains a question, q quits.")
    interview = Interview(knowledge, console, draft.save, session)
    details = DetailsInterview(
        knowledge, console, draft.save_details, Details.of(draft.proposal), draft.consult, review
    )
    ending = _interview(interview, details, quick)
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


def _interview(questions: Interview, details: DetailsInterview, quick: bool) -> Ending:
    """The policy's details, the questions, then the stakeholders, plan and accepted risks
    (the details not with --quick); how it ended."""
    ending = None if quick else details.about()
    if ending is None:
        ending = questions.run()
    if ending == "done" and not quick:
        ending = details.lists() or "done"
    return ending


def _interactive() -> bool:
    import sys

    if os.environ.get(FORCE_INTERACTIVE) == "1":
        return True
    try:  # started with stdin closed (`<&-`), Python has no stream for it: not a terminal
        return sys.stdin is not None and not sys.stdin.closed and sys.stdin.isatty()
    except (OSError, ValueError):
        return False


class Draft:
    """The file being filled in, saved atomically each time the answers change.

    `text` is the file as it stands on disk. Each save edits that text where the answers are
    (`amend`), so the user's comments, blank lines, quoting and layout stay as they wrote them;
    only if that cannot be done and proven does it ask before rewriting the file whole in
    matland's layout. Every text written was first proven to load back to the answers given.
    """

    def __init__(
        self,
        path: str,
        text: str,
        proposal: Proposal,
        knowledge: Knowledge,
        console: Console,
        bom: bool = False,
    ) -> None:
        from matland.assess.details import Details

        self.path = path
        self.text = text  # without the byte order mark, which is kept apart:
        self.bom = bom  # the file began with one (UTF-8's), and each save writes it back
        self.proposal = proposal  # what `text` loads to
        self.answers: dict[str, Answer] = dict(proposal.answers)  # the answers given
        self.details = Details.of(proposal)  # the details given (stakeholders, plan, …)
        self.in_file = self.details.keys  # the keys of the file's stakeholders, in order
        self.knowledge = knowledge
        self.console = console
        self.rewrite: bool | None = None  # may the file be rewritten whole? None: not asked
        self.changed_elsewhere = False
        self.unsaved = False  # the file lags behind `answers` (a failed, refused or lost write)
        # The text being written, recorded before the write: a Ctrl-C after the rename but
        # before the draft records it leaves the file holding this, which is ours.
        self.pending: tuple[Amended, tuple[int, ...]] | None = None

    def save_details(self, details: Details) -> None:
        self.save(self.answers, details=details)

    def consult(self, details: Details) -> Assessment:
        """The proposal assessed with these details and the answers given."""
        import dataclasses

        from matland.core.assessment import assess

        proposal = dataclasses.replace(self.proposal, answers=self.answers)
        return assess(details.applied(proposal), self.knowledge)

    def save(
        self, answers: Mapping[str, Answer], final: bool = False, details: Details | None = None
    ) -> None:
        from matland.core.vocabulary import EXIT_INVALID
        from matland.source.files import write_atomic

        self._settle()
        changed = dict(answers) != self.answers or (details or self.details) != self.details
        self.answers = dict(answers)
        self.details = details or self.details
        if final and not changed and not self.unsaved:
            return
        self.unsaved = True
        written = None if self._changed_elsewhere() else self._written()
        try:
            if written is not None:
                self.pending = (written, self.details.keys)
                text = ("\ufeff" if self.bom else "") + written.text
                write_atomic(_target(self.path), text, replace=True)
                self._adopt(*self.pending)
                return
        except OSError as error:
            click.echo(
                f"matland: cannot save {printable(self.path)}: {error.strerror or error}",
                err=True,
            )
        if final:
            lacking = f"matland: {printable(self.path)} does not have these answers yet:"
            click.echo(lacking, err=True)
            click.echo(self._missing(), err=True)
            raise click.exceptions.Exit(EXIT_INVALID)

    def _adopt(self, written: Amended, keys: tuple[int, ...]) -> None:
        """The file holds `written` now (its stakeholders have these keys). Interrupted half
        way, it is done again: `pending` goes last, so the record and the file cannot part."""
        self.text, self.proposal, self.unsaved = written.text, written.proposal, False
        self.in_file = keys
        self.pending = None

    def _settle(self) -> None:
        """A write interrupted after its rename is recognised as this session's own: the
        file holds the text recorded as pending, so that is what assess last wrote."""
        from matland.core.yamlpos import YamlProblem, read_text

        if self.pending is None:
            return
        try:
            on_disk: str | None = read_text(self.path)
        except (YamlProblem, OSError):
            on_disk = None
        if on_disk == self.pending[0].text:
            self._adopt(*self.pending)
        else:  # interrupted before the rename: the file is as it was
            self.pending = None

    def _changed_elsewhere(self) -> bool:
        """Whether the file is no longer what assess read or last wrote (edited meanwhile in
        an editor, say): then it is not written over, once said."""
        from matland.core.yamlpos import YamlProblem, read_text

        if self.changed_elsewhere or not os.path.exists(self.path):
            return self.changed_elsewhere  # a file deleted meanwhile holds nothing to lose
        try:
            self.changed_elsewhere = read_text(self.path) != self.text
        except YamlProblem:
            self.changed_elsewhere = True
        if self.changed_elsewhere:
            click.echo(
                f"matland: {self.path} was changed by something else while assess ran; "
                "it is not written over. Answers go on being taken; what it lacks is shown "
                "when you quit.",
                err=True,
            )
        return self.changed_elsewhere

    def _written(self) -> Amended | None:
        """The new text, proven: the file edited in place, else (if the user agrees) whole."""
        import dataclasses

        from matland.assess.amend import amend, rewrite

        amended = amend(
            self.text, self.answers, self.knowledge, self.path, self.details, self.in_file
        )
        if amended is not None or not self._may_rewrite():
            return amended
        rewritten = rewrite(
            dataclasses.replace(self.proposal, answers=self.answers),
            self.knowledge,
            self.details,
            self.in_file,
        )
        if rewritten is None:  # dump() wrote a file that does not load back: a bug
            click.echo(
                f"matland: not saving {self.path}: it would not read back the same "
                "(a bug in matland; please report it)",
                err=True,
            )
        return rewritten

    def _may_rewrite(self) -> bool:
        """Asked once: the file cannot be changed in place, so may it be rewritten whole?"""
        from matland.render.prose import hanging

        if self.rewrite is None:
            self.rewrite = False  # Ctrl-C or the end of input while asking: no
            why = (
                f"matland cannot change {self.path} in place and be sure it reads back the "
                "same. It can rewrite the file in its own layout: the answers, notes and x- "
                "keys are kept, the comments and formatting are not."
            )
            self.console.show("\n" + "\n".join(hanging(why, "    ")))
            reply = self.console.ask("    Rewrite it? [y/N] ")
            self.rewrite = (reply or "").strip().lower() in ("y", "yes")
            if not self.rewrite:
                self.console.show(
                    f"    {self.path} is left as it is; what it lacks is shown when you quit."
                )
        return self.rewrite

    def _missing(self) -> str:
        from matland.assess.details import differences
        from matland.assess.dump import inline_answer

        lines = [
            f"  {qid}: {printable(inline_answer(answer))}"
            for qid, answer in self.answers.items()
            if self.proposal.answers.get(qid) != answer
        ]
        lines += [f"  {printable(line)}" for line in differences(self.details, self.proposal)]
        return "\n".join(lines)

    def summary(self) -> str:
        # An item that does not apply (asked_when: the pilot's purpose, for no pilot) is
        # neither asked nor counted.
        asked = [q.id for q in self.knowledge.questions.values() if q.applies(self.answers)]
        answered = [qid for qid in asked if qid in self.answers]
        from matland.assess.dump import answer_counts

        counts = answer_counts([self.answers[qid] for qid in answered])
        return f"Saved {self.path}: {len(answered)} of {len(asked)} items answered ({counts})."


def _target(path: str) -> str:
    """Write through a symlink to the file it names, rather than replacing the link."""
    return os.path.realpath(path) if os.path.islink(path) else path


def _open(ctx: click.Context, file: str, knowledge: Knowledge, console: Console) -> Draft:
    """The draft: an existing valid proposal, or a new one once it has a title."""
    from matland.assess.amend import rewrite
    from matland.core.model import Proposal
    from matland.core.vocabulary import EXIT_BUG, EXIT_INVALID
    from matland.source.files import FileExists, write_atomic

    if os.path.exists(file) or os.path.islink(file):
        text, proposal, errors, bom = _read(file, knowledge)
        if proposal is None:
            for error in errors:
                click.echo(printable(error.one_line()), err=True)
            click.echo(
                f"matland: {file} is not a valid proposal, so assess will not write over it. "
                "Fix the problems above (`matland check` lists them), or give a new file name.",
                err=True,
            )
            ctx.exit(EXIT_INVALID)
        return Draft(file, text, proposal, knowledge, console, bom)
    directory = os.path.dirname(os.path.abspath(file))
    if not os.path.isdir(directory):  # say so before the user types anything
        click.echo(f"matland: {file}: no directory {directory} to write it in", err=True)
        ctx.exit(EXIT_INVALID)
    title = _ask_title(ctx, console)
    written = rewrite(Proposal(path=file, policy=_policy(title), answers={}), knowledge)
    if written is None:  # dump() wrote a file that does not load back: a bug in matland
        click.echo(f"matland: {file}: the new file would not read back (a bug)", err=True)
        ctx.exit(EXIT_BUG)
    try:  # the first write never replaces: a file created meanwhile by someone else is kept
        write_atomic(file, written.text, replace=False)
    except FileExists:
        click.echo(f"matland: {file} appeared meanwhile; not overwritten", err=True)
        ctx.exit(EXIT_INVALID)
    except OSError as error:
        click.echo(f"matland: {file}: cannot write: {error.strerror}", err=True)
        ctx.exit(EXIT_INVALID)
    return Draft(file, written.text, written.proposal, knowledge, console)


def _read(file: str, knowledge: Knowledge) -> tuple[str, Proposal | None, list[Finding], bool]:
    """The file's text (what later saves edit), the proposal it holds or its problems, and
    whether it begins with a byte order mark (the text does not; the saves write it back)."""
    import codecs

    from matland.core.yamlpos import YamlProblem, decode, read_bytes
    from matland.source.load import load_proposal

    try:
        raw = read_bytes(file)
        text = decode(raw)
    except YamlProblem as problem:
        return "", None, [problem.finding(file)], False
    proposal, errors = load_proposal(file, knowledge, text=text)
    return text, proposal, errors, raw.startswith(codecs.BOM_UTF8)


def _policy(title: str) -> Policy:
    """The new file's policy, its title taken as a file's is (stripped, not empty)."""
    from matland.core import proposalfile
    from matland.core.model import Policy

    return proposalfile.validated(proposalfile.Policy, Policy, title=title)


def _ask_title(ctx: click.Context, console: Console) -> str:
    from matland.core.vocabulary import EXIT_INVALID

    try:
        while True:
            line = console.ask("Policy title: ")
            if line is None:
                click.echo("\nmatland: no title given; nothing written", err=True)
                ctx.exit(EXIT_INVALID)
            if line.strip():
                return line.strip()
            console.show("A title is needed to start the file (it can be changed later).")
    except KeyboardInterrupt:
        click.echo("\nmatland: interrupted; nothing written", err=True)
        ctx.exit(EXIT_INTERRUPTED)


def _report(ctx: click.Context, draft: Draft, knowledge: Knowledge) -> None:
    """The full report, read back from the file itself: what `matland report` would show."""
    from matland.core.vocabulary import EXIT_BUG, EXIT_OK
    from matland.render import RenderOptions, renderer
    from matland.source.pipeline import check_file

    result = check_file(draft.path, knowledge)
    if not result.valid:  # dump() wrote a file load() refuses: a bug in matland
        for error in result.errors:
            click.echo(printable(error.one_line()), err=True)
        ctx.exit(EXIT_BUG)
    click.echo(f"\nAll questions asked. {draft.summary()}\n")
    print_and_exit(ctx, renderer("text")([result], RenderOptions(knowledge, "report")), EXIT_OK)
