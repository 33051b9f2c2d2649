"""`matland workshop`: many participants' answers about one policy, taken together;
`matland review-questions`: the "four + one" review to run after implementation starts."""

from __future__ import annotations

import click

from matland.cli.main import (
    cli,
    finish,
    format_option,
    knowledge_for,
    max_bytes_option,
    output_options,
    write_file,
)
from matland.render import printable
from matland.render.workshop import workshop_formats


class WorkshopGroup(click.Group):
    """`matland workshop PATH…` takes a workshop's answers together; a first word that names
    a subcommand (`form`, and those others register) runs that one instead."""

    default = "take"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands:
            args = [self.default, *args]
        return super().parse_args(ctx, args)


@cli.group(cls=WorkshopGroup)
def workshop() -> None:
    """Take a workshop's answers together (`matland workshop PATH…`, see `matland workshop
    take --help`), or print how to build its form (`matland workshop form`)."""


@workshop.command("take")
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
@max_bytes_option
@click.pass_context
def take(
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
    max_bytes: int,
) -> None:
    """Take a workshop's answers together: one proposal file per participant (or
    directories of them), or a CSV with one row per participant (`participant`, optional
    `role`, one column per question id).

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
    )
    text = workshop_renderer(fmt)(result, WorkshopOptions(knowledge))
    code = EXIT_INVALID if errors else EXIT_OK
    if output is None:
        finish(ctx, text, code)
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

    finish(ctx, guide.render(knowledge_for(ctx), fmt), 0)


@cli.command("review-questions")
@format_option("text", "markdown")
@click.pass_context
def review_questions(ctx: click.Context, fmt: str) -> None:
    """Print the "four + one" review questions (tried? learned? pleased about? concerned
    about? do next?) to review an implementation together (rules/review.yaml)."""
    from matland.render import review_questions as review

    rules_dir = str(knowledge_for(ctx).root)  # the bundled rules, or --rules DIR
    finish(ctx, review.render(review.load_review(rules_dir), fmt), 0)
