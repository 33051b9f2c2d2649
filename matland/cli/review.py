"""`matland review`: after roll-out, a review file beside what the assessment predicted
(`matland review REVIEW.yaml [REVIEW2.yaml ...]`), and `matland review init` to start one."""

from __future__ import annotations

import datetime
import os

import click

from matland.cli import main
from matland.cli.main import cli, format_option, max_bytes_option, output_options
from matland.core.vocabulary import EXIT_INVALID, EXIT_OK
from matland.render import printable

REVIEW_FORMATS = ("text", "markdown", "json", "html")  # render/review REVIEW_RENDERERS


class _ReviewGroup(click.Group):
    """`review FILE ...` runs `review show FILE ...`: the files are the common case, and
    `init` the one subcommand (a review file called `init` is written `./init`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


@cli.group(cls=_ReviewGroup)
def review() -> None:
    """After roll-out: rate the six criteria of the report's Table 3 and set what happened
    beside what the assessment predicted. `matland review REVIEW.yaml [REVIEW2.yaml ...]`
    prints the review (several of one proposal: its timeline too); `matland review init
    PROPOSAL.yaml -o REVIEW.yaml` writes a review file to fill in (docs/review-v1.md)."""


@review.command("show")
@click.argument("files", nargs=-1, required=True)
@format_option(*REVIEW_FORMATS)
@max_bytes_option
@output_options
@click.pass_context
def review_show(
    ctx: click.Context,
    files: tuple[str, ...],
    fmt: str,
    max_bytes: int,
    output: str | None,
    force: bool,
) -> None:
    """Print review files: the profile across the six criteria, the place on McConnell's
    spectrum, and the prediction beside what happened (the default of `matland review`)."""
    from matland.core.reviewrules import load_review_rules
    from matland.render.review import ReviewOptions, review_renderer
    from matland.review.outcome import outcome
    from matland.source.review import load_review

    knowledge = main.knowledge_for(ctx)
    rules = load_review_rules(str(knowledge.root))
    outcomes, invalid = [], False
    for file in files:
        if os.path.isdir(file):
            raise click.BadParameter(
                f"{file} is a directory: give review files", param_hint="FILES"
            )
        loaded, errors = load_review(file, knowledge, max_bytes)
        for error in errors:
            click.echo(printable(error.one_line()), err=True)
        if loaded is None:
            invalid = True
            if not errors:
                click.echo(f"{file}: not a review file (`matland-review: 1`)", err=True)
            continue
        outcomes.append(outcome(loaded, knowledge, rules))
    if invalid:
        ctx.exit(EXIT_INVALID)
    with main.file_layout(output):
        text = review_renderer(fmt)(outcomes, ReviewOptions(knowledge, rules))
    if output is None:
        main.print_and_exit(ctx, text, EXIT_OK)
    main.write_file(ctx, output, text, force, inputs=list(files))


@review.command("init")
@click.argument("proposal")
@output_options
@click.option("--phase", default="stocktake 1", show_default=True, help="What this review is.")
@click.option("--date", "date", default=None, help="YYYY-MM-DD [default: today].")
@click.pass_context
def review_init(
    ctx: click.Context,
    proposal: str,
    output: str | None,
    force: bool,
    phase: str,
    date: str | None,
) -> None:
    """Write a review file for PROPOSAL (`-o REVIEW.yaml`; without it, to the terminal) with
    every criterion, every risk its assessment flagged and every approach recommended or
    planned listed, ready to fill in."""
    from matland.core.reviewrules import load_review_rules
    from matland.review.template import template

    when = date or datetime.date.today().isoformat()
    try:
        datetime.date.fromisoformat(when)
    except ValueError:
        raise click.BadParameter(f"'{when}': write YYYY-MM-DD", param_hint="--date") from None
    knowledge = main.knowledge_for(ctx)
    result = main.load_one(ctx, proposal, knowledge)
    assert result.assessment is not None  # load_one leaves on an invalid file
    where = os.path.dirname(os.path.abspath(output)) if output else os.getcwd()
    ref = os.path.relpath(os.path.abspath(proposal), where).replace(os.sep, "/")
    rules = load_review_rules(str(knowledge.root))
    text = template(result.assessment, rules, ref, when, phase)
    if output is None:
        main.print_and_exit(ctx, text, EXIT_OK)
    main.write_file(ctx, output, text, force, inputs=[proposal])
    click.echo(f"Fill in the ratings, then run: matland review {output}", err=True)
