"""`matland workshop`: many participants' answers about one policy, taken together (files,
CSVs or a live workshop's store); `matland workshop serve`: the live workshop in the room;
`matland workshop export`: a store's answers as files; `matland review-questions`: the
"four + one" review to run after implementation starts."""

from __future__ import annotations

from typing import Any

import click

from matland.cli.main import (
    cli,
    file_layout,
    format_option,
    knowledge_for,
    load_one,
    max_bytes_option,
    output_options,
    print_and_exit,
    write_file,
)
from matland.render import printable, printable_lines
from matland.render.workshop import workshop_formats

PATHS = "paths"  # the hidden command behind `matland workshop PATH…`


class WorkshopGroup(click.Group):
    """`matland workshop PATH…` as it always was, and subcommands beside it: an argument that
    is not a subcommand's name begins the paths (a directory named like one: `./serve`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands or args[0] == PATHS:
            args = [PATHS, *args]
        return super().parse_args(ctx, args)


class PathsCommand(click.Command):
    """Shows its usage as `matland workshop [OPTIONS] PATHS...`, the command people type."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        path = ctx.parent.command_path if ctx.parent else ctx.command_path
        formatter.write_usage(path, " ".join(self.collect_usage_pieces(ctx)))


@cli.group(cls=WorkshopGroup)
def workshop() -> None:
    """Take a workshop's answers together (see `matland workshop --help`)."""


@workshop.command(
    PATHS,
    cls=PathsCommand,
    hidden=True,
    epilog="Also: `matland workshop serve` runs a live workshop in the room (phones answer, "
    "the projector shows the matrix); `matland workshop export STORE_DIR` writes its answers "
    "as files.",
)
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--map",
    "map_file",
    type=click.Path(dir_okay=False),
    help="YAML map of a survey export's column headers and answer labels (CSV input).",
)
@click.option(
    "--by",
    type=click.Choice(("role",)),
    default=None,
    help="Also show each role's scores and paradigm, and the items where roles differ most.",
)
@format_option(*workshop_formats())
@output_options
@click.option("--title", default=None, help="The policy's title (default: the participants').")
@click.option(
    "--allow-mixed",
    is_flag=True,
    help="Keep participants who assessed another policy (they are left out by default).",
)
@click.option(
    "--anonymous",
    is_flag=True,
    help="No names in any output: participants are numbered, keeping their roles.",
)
@click.option(
    "--round",
    "round_",
    type=click.IntRange(1, 2),
    default=None,
    help="A live workshop's store (STORE_DIR): which round [default: the last one opened].",
)
@max_bytes_option
@click.pass_context
def take_together(
    ctx: click.Context,
    paths: tuple[str, ...],
    map_file: str | None,
    by: str | None,
    fmt: str,
    output: str | None,
    force: bool,
    title: str | None,
    allow_mixed: bool,
    anonymous: bool,
    round_: int | None,
    max_bytes: int,
) -> None:
    """Take a workshop's answers together: one proposal file per participant (or
    directories of them), a CSV with one row per participant (`participant`, optional
    `role`, one column per question id), or the store of a live workshop (STORE_DIR).

    Per item: n, mean, median, min, max, interquartile range and whether the group
    disagrees (rules/workshop.yaml). For the group: the paradigm of the medians, its support
    mix and risks, and where it would sit if the high answers on contested items were right.
    A bad cell is reported and counts as unanswered (exit 2); the rest of its row counts.
    Participants about another policy are left out (--allow-mixed keeps them); one who
    answered twice counts by the later answer; one who answered fewer than half the
    classification items stays out of the group's position. Build the form with
    `matland workshop form`.
    """
    from matland.core.vocabulary import EXIT_INVALID, EXIT_OK
    from matland.render.workshop import WorkshopOptions, workshop_renderer
    from matland.workshop.aggregate import aggregate, is_csv, load_workshop_rules
    from matland.workshop.csvinput import load_map
    from matland.workshop.participants import gather
    from matland.workshop.store import is_store

    knowledge = knowledge_for(ctx)
    rules = load_workshop_rules(str(knowledge.root))  # next to the five core files
    column_map = None
    if map_file is not None:
        if not any(is_csv(p) for p in paths):
            raise click.BadParameter("a map applies to CSV input only", param_hint="--map")
        column_map, problems = load_map(map_file, knowledge)
        if column_map is None:
            for problem in problems:
                click.echo(f"matland: {printable(problem.one_line())}", err=True)
            ctx.exit(EXIT_INVALID)
    if any(is_store(p) for p in paths):
        participants, findings, title = _from_store(ctx, paths, knowledge, round_, title)
    else:
        if round_ is not None:
            raise click.BadParameter("--round applies to a workshop store", param_hint="--round")
        participants, findings = gather(paths, knowledge, column_map, title, max_bytes, rules)
    errors = [f for f in findings if f.is_error]
    if not participants:
        for finding in findings:
            click.echo(f"matland: {printable(finding.one_line())}", err=True)
        click.echo("matland: no participant could be read; nothing to take together", err=True)
        ctx.exit(EXIT_INVALID)
    result = aggregate(
        participants,
        knowledge,
        rules,
        title=title,
        by_role=by == "role",
        errors=findings,
        allow_mixed=allow_mixed,
        anonymous=anonymous,
        stability=True,
    )
    with file_layout(output):
        text = workshop_renderer(fmt)(result, WorkshopOptions(knowledge))
    code = EXIT_INVALID if errors else EXIT_OK
    if output is None:
        print_and_exit(ctx, text, code)
    write_file(ctx, output, text, force, inputs=[*paths, *([map_file] if map_file else [])])
    for finding in findings:
        click.echo(f"matland: {printable(finding.one_line())}", err=True)
    ctx.exit(code)


@workshop.command("form")
@format_option("markdown", "csv", "map")
@click.pass_context
def form(ctx: click.Context, fmt: str) -> None:
    """Print how to build the questionnaire in a form tool: every question with its exact
    text and its choices in order (markdown, or csv for a spreadsheet), or the map that
    matches such a form's export (map)."""
    from matland.render.workshop import form as guide

    print_and_exit(ctx, guide.render(knowledge_for(ctx), fmt), 0)


def _from_store(
    ctx: click.Context,
    paths: tuple[str, ...],
    knowledge: Any,
    round_: int | None,
    title: str | None,
) -> tuple[list[Any], list[Any], str]:
    """A live workshop's participants, read from its store by the same code as the server."""
    from matland.workshop.seats import participants
    from matland.workshop.store import Store, StoreError

    if len(paths) > 1:
        raise click.BadParameter("a workshop store is read alone", param_hint="PATHS")
    try:
        store = Store.open(paths[0], write=False)
    except StoreError as error:
        click.echo(f"matland: {printable(str(error))}", err=True)
        ctx.exit(2)
    try:
        state = store.state
        found, problems = participants(state, round_ or state.round, knowledge)
    finally:
        store.close()
    return found, problems, title or state.settings.title


@workshop.command()
@click.argument("proposal", required=False, type=click.Path(dir_okay=False))
@click.option("--title", default=None, help="The policy's title (default: the proposal's).")
@click.option(
    "--roles",
    default=None,
    help='The roles participants choose from, comma-separated ("commissioner,provider,…").',
)
@click.option(
    "--store",
    "store_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Directory of the workshop's store; an existing one is resumed.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8350, show_default=True)
@click.option(
    "--bind",
    default=None,
    help="Address to listen on [default: this machine's LAN address]; 127.0.0.1 keeps it on "
    "this machine, 0.0.0.0 serves every network.",
)
@click.option("--anonymous", is_flag=True, help="Ask no names: participants give a role only.")
@click.option(
    "--rounds",
    type=click.IntRange(1, 2),
    default=1,
    show_default=True,
    help="2: a Delphi round two, each participant seeing the group's round-one answers.",
)
@max_bytes_option
@click.pass_context
def serve(
    ctx: click.Context,
    proposal: str | None,
    title: str | None,
    roles: str | None,
    store_dir: str,
    port: int,
    bind: str | None,
    anonymous: bool,
    rounds: int,
    max_bytes: int,
) -> None:
    """Run a live workshop from this laptop: participants answer on their phones (join URL,
    QR code and code printed here), the projector page shows the matrix fill once revealed,
    the facilitator's page (its URL printed here only) reveals, closes and opens rounds.

    PROPOSAL, a proposal file, gives the briefing (its title and summary). Stop with Ctrl-C;
    the same --store resumes the workshop.
    """
    from matland.cli.serve_deps import missing_web_stack

    missing = missing_web_stack()
    if missing:
        click.echo(
            f"matland: `workshop serve` needs {missing}: pip install 'matland[serve]'", err=True
        )
        ctx.exit(2)
    from matland.workshop.aggregate import load_workshop_rules
    from matland.workshop.serve.run import ServeError, ServeOptions
    from matland.workshop.serve.run import serve as run

    knowledge = knowledge_for(ctx)
    summary = ""
    if proposal is not None:
        result = load_one(ctx, proposal, knowledge, max_bytes)
        policy = result.assessment.proposal.policy if result.assessment else None
        if policy is not None:
            title = title or policy.title
            summary = policy.summary or ""
    options = ServeOptions(
        store=store_dir,
        title=title,
        roles=tuple(r.strip() for r in (roles or "").split(",") if r.strip()),
        summary=summary,
        port=port,
        bind=bind,
        anonymous=anonymous,
        rounds=rounds,
    )
    try:
        run(options, knowledge, load_workshop_rules(str(knowledge.root)), _echo_printable)
    except ServeError as error:
        click.echo(f"matland: {printable(str(error))}", err=True)
        ctx.exit(2)
    except KeyboardInterrupt:
        pass
    click.echo(f"stopped; the answers are in {store_dir} (the same --store resumes it)", err=True)
    ctx.exit(0)


def _echo_printable(text: str) -> None:
    """What the server prints here (a resumed store's title, from a proposal someone else
    wrote, among the links and the QR code) reaches the terminal escaped, line by line."""
    click.echo(printable_lines(text))


@workshop.command("export")
@click.argument("store_dir", type=click.Path(file_okay=False, exists=True))
@click.option("--anonymous", is_flag=True, help="No names in any file (P1, P2, … instead).")
@click.pass_context
def export_store(ctx: click.Context, store_dir: str, anonymous: bool) -> None:
    """Write a live workshop's answers as files, each name stamped with the time: per round
    the CSV, a notes CSV and one proposal file per participant (what `matland workshop`
    reads), and the workshop report; with two rounds, both rounds compared."""
    from matland.workshop.aggregate import load_workshop_rules
    from matland.workshop.serve.export import export_files
    from matland.workshop.store import Store, StoreError

    knowledge = knowledge_for(ctx)
    try:
        store = Store.open(store_dir, write=False)
    except StoreError as error:
        click.echo(f"matland: {printable(str(error))}", err=True)
        ctx.exit(2)
    try:
        rules = load_workshop_rules(str(knowledge.root))
        written = export_files(store.state, store_dir, knowledge, rules, anonymous=anonymous)
    except OSError as error:
        click.echo(
            f"matland: cannot write the export: {error.strerror} ({error.filename})", err=True
        )
        ctx.exit(2)
    finally:
        store.close()
    for path in written:
        click.echo(f"Wrote {printable(path)}", err=True)
    ctx.exit(0)


@cli.command("review-questions")
@format_option("text", "markdown")
@click.pass_context
def review_questions(ctx: click.Context, fmt: str) -> None:
    """Print the "four + one" review questions (tried? learned? pleased about? concerned
    about? do next?) to review an implementation together (rules/review.yaml)."""
    from matland.render import review_questions as review

    rules_dir = str(knowledge_for(ctx).root)  # the bundled rules, or --rules DIR
    print_and_exit(ctx, review.render(review.load_review(rules_dir), fmt), 0)
