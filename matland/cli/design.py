"""Design commands: explain an assessment, find its levers, try a what-if, compare two
versions, and look up precedents. Each reads proposals the way `matland report` does (an
invalid file: its findings on stderr and exit 2) and prints text or JSON.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from matland.cli.main import cli, format_option, knowledge_for, load_one, print_and_exit
from matland.render import printable

if TYPE_CHECKING:
    from matland.core.assessment import Assessment, FileResult
    from matland.core.knowledge import Knowledge


def load_assessed(ctx: click.Context, file: str, knowledge: Knowledge) -> Assessment:
    """One proposal assessed; an invalid one prints its findings and leaves with exit 2."""
    assessment = load_one(ctx, file, knowledge).assessment
    assert assessment is not None  # load_one leaves on an invalid file
    return assessment


def as_json(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@cli.command()
@click.argument("file")
@format_option("text", "json")
@click.pass_context
def explain(ctx: click.Context, file: str, fmt: str) -> None:
    """The whole trace: each answer's points, the paradigm decision, every risk rule with
    the values it saw, and why each support approach is recommended."""
    from matland.core.vocabulary import EXIT_OK
    from matland.design import explain as core
    from matland.render.design import explain as out

    knowledge = knowledge_for(ctx)
    explanation = core.explain(load_assessed(ctx, file, knowledge), knowledge)
    text = (
        as_json(out.as_data(explanation)) if fmt == "json" else out.as_text(explanation, knowledge)
    )
    print_and_exit(ctx, text, EXIT_OK)


@cli.command()
@click.argument("file")
@format_option("text", "json")
@click.pass_context
def levers(ctx: click.Context, file: str, fmt: str) -> None:
    """The smallest changes of one or two answers that move the policy into each other
    paradigm or clear a high or medium risk, each checked by re-assessing."""
    from matland.core.vocabulary import EXIT_OK
    from matland.design import levers as core
    from matland.render.design import levers as out

    knowledge = knowledge_for(ctx)
    found = core.find_levers(load_assessed(ctx, file, knowledge), knowledge)
    text = as_json(out.as_data(found)) if fmt == "json" else out.as_text(found, knowledge)
    print_and_exit(ctx, text, EXIT_OK)


@cli.command()
@click.argument("file")
@click.option(
    "--set",
    "settings",
    multiple=True,
    required=True,
    metavar="ID=VALUE",
    help="An answer to try (1-5, true/false, a count, or unsure); repeat for more.",
)
@format_option("text", "markdown", "html", "json")
@click.pass_context
def whatif(ctx: click.Context, file: str, settings: tuple[str, ...], fmt: str) -> None:
    """The report as it would be with some answers changed, beside the current one."""
    from matland.core.vocabulary import EXIT_INVALID, EXIT_OK
    from matland.design.compare import given_state, parse_changes, what_if
    from matland.render import data as d
    from matland.render.design.compare import answer_text, as_data, as_html, as_markdown, as_text

    knowledge = knowledge_for(ctx)
    changes, problems = parse_changes(settings, knowledge)
    if problems:
        for problem in problems:
            click.echo(f"matland: --set {problem}", err=True)
        ctx.exit(EXIT_INVALID)
    comparison = what_if(load_assessed(ctx, file, knowledge), changes, knowledge)
    if fmt == "json":
        document = {
            "current": d.file_result(_result(comparison.old), knowledge, full=True),
            "whatif": d.file_result(_result(comparison.new), knowledge, full=True),
            **as_data(comparison, knowledge),
        }
        print_and_exit(ctx, as_json(document), EXIT_OK)
    title = f"What if: {comparison.old.proposal.policy.title}"
    set_to = ", ".join(f"{item}={answer_text(given_state(v))}" for item, v in changes.items())
    if fmt == "markdown":
        print_and_exit(ctx, as_markdown(comparison, ("current", f"with {set_to}"), title), EXIT_OK)
    if fmt == "html":
        print_and_exit(ctx, as_html(comparison, ("current", f"with {set_to}"), title), EXIT_OK)
    sources = (file, f"{file} with {set_to}")
    print_and_exit(
        ctx, as_text(comparison, knowledge, ("current", "what if"), title, sources), EXIT_OK
    )


def _result(assessment: Assessment) -> FileResult:
    from matland.core.assessment import FileResult

    return FileResult(assessment.proposal.path, assessment)


@cli.command()
@click.argument("old")
@click.argument("new")
@format_option("text", "markdown", "html", "json")
@click.pass_context
def compare(ctx: click.Context, old: str, new: str, fmt: str) -> None:
    """Two versions of a proposal: movement in the matrix, answers changed, risks raised and
    cleared, and the change in the support mix."""
    from matland.core.vocabulary import EXIT_OK
    from matland.design.compare import compare as compare_assessments
    from matland.render.design.compare import as_data, as_html, as_markdown, as_text

    knowledge = knowledge_for(ctx)
    before, after = load_assessed(ctx, old, knowledge), load_assessed(ctx, new, knowledge)
    comparison = compare_assessments(before, after, knowledge)
    if fmt == "json":
        print_and_exit(ctx, as_json(as_data(comparison, knowledge)), EXIT_OK)
    if fmt == "markdown":
        print_and_exit(ctx, as_markdown(comparison, ("old", "new")), EXIT_OK)
    if fmt == "html":
        print_and_exit(ctx, as_html(comparison, ("old", "new")), EXIT_OK)
    print_and_exit(ctx, as_text(comparison, knowledge, ("old", "new")), EXIT_OK)


@cli.command()
@click.argument("file")
@click.option(
    "--library",
    "libraries",
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    help="A directory of past proposals to search besides the bundled examples; repeatable.",
)
@format_option("text", "json")
@click.pass_context
def precedents(ctx: click.Context, file: str, libraries: tuple[str, ...], fmt: str) -> None:
    """The nearest cases in the case library by their answers, with the lessons recorded."""
    from matland.core.vocabulary import EXIT_OK
    from matland.design import precedents as core
    from matland.render.design import precedents as out

    knowledge = knowledge_for(ctx)
    assessment = load_assessed(ctx, file, knowledge)
    cases, problems = core.load_library(libraries, knowledge)
    for problem in problems:
        click.echo(
            f"matland: skipped in the case library: {printable(problem.one_line())}", err=True
        )
    found = core.find_precedents(assessment, cases, knowledge, problems)
    print_and_exit(
        ctx, as_json(out.as_data(found)) if fmt == "json" else out.as_text(found), EXIT_OK
    )
