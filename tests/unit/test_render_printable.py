"""`printable`: user text on one line of a terminal or CI log; Markdown's `code`, `plain` and
`cell` built on it."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matland.render import printable
from matland.render.markdown import cell, code, paragraph, plain

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\nb\rc\td", "a\\nb\\rc\\td"),
        ("\x00\x01\x1b[2K\x7f", "\\x00\\x01\\x1b[2K\\x7f"),
        ("\x85\x9b\x9d", "\\x85\\x9b\\x9d"),  # C1: NEL, CSI, OSC
        ("\v\f\x1c\x1d\x1e", "\\x0b\\x0c\\x1c\\x1d\\x1e"),
        ("a\u2028b\u2029c", "a\\u2028b\\u2029c"),
        ("\u202eevil\u2066", "\\u202eevil\\u2066"),
    ],
)
def test_what_a_terminal_would_act_on_becomes_a_visible_escape(text: str, shown: str) -> None:
    assert printable(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        "Café naïve Ærø — “quoted” · §3",
        "漢字かなカナ 한국어 العربية עברית",
        "👩\u200d👩\u200d👧 🇬🇧 ✔\ufe0f",  # joiners and variation selectors make one emoji
        "C:\\proposals\\a.yaml \\n is two characters",
        "soft\u00adhyphen, no\u00a0break",
    ],
)
def test_ordinary_text_is_left_as_written(text: str) -> None:
    assert printable(text) == text


@given(st.text())
def test_any_text_comes_out_as_one_line_of_visible_characters(text: str) -> None:
    shown = printable(text)
    assert len(shown.splitlines()) <= 1
    assert not [c for c in shown if unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in BIDI]
    assert printable(shown) == shown


def test_a_code_span_is_fenced_by_more_back_ticks_than_it_holds() -> None:
    assert code("a.yaml") == "`a.yaml`"
    assert code("we`ird.yaml") == "``we`ird.yaml``"
    assert code("`a``") == "``` `a`` ```"
    assert code(" a.yaml") == "`  a.yaml `"
    assert code("a\n::b\x1b") == "`a\\n::b\\x1b`"


@given(st.text(min_size=1))
def test_no_code_span_ends_early(text: str) -> None:
    span = code(text)
    fence = re.match("`+", span)
    assert fence is not None
    inner = span[len(fence[0]) : -len(fence[0])]
    assert span.endswith(fence[0])
    assert max(map(len, re.findall("`+", inner)), default=0) < len(fence[0])
    assert not inner.startswith("`") and not inner.endswith("`")


def test_plain_text_passes_no_html_and_reads_as_a_paragraph() -> None:
    assert plain("<script>x</script> & <b>") == "&lt;script&gt;x&lt;/script&gt; &amp; &lt;b&gt;"
    assert plain("two\nlines\x1b[1A") == "two lines\\x1b\\[1A"  # no link either
    assert plain("Café — 漢字 (2024)") == "Café — 漢字 (2024)"


def test_a_paragraph_cannot_open_a_block_or_a_workflow_command() -> None:
    assert paragraph("# Approved") == "\\# Approved"
    assert paragraph("::warning::x") == "\\::warning::x"
    assert paragraph("<b>") == "&lt;b&gt;"
    assert paragraph("Plain words") == "Plain words"


def test_a_cell_stays_one_cell_of_one_row() -> None:
    assert cell("a | b\nc\x1b") == "a \\| b c\\x1b"


def test_an_azure_logging_command_is_shown_not_run() -> None:
    shown = printable("ok ##vso[task.setvariable variable=x]1")
    assert "##vso[" not in shown and "#\\x23vso[task.setvariable" in shown
    assert printable(shown) == shown


def test_markdown_text_makes_no_link_of_its_own() -> None:
    from matland.render.markdown import plain

    assert plain("see [click](https://example.org)") == "see \\[click\\](https://example.org)"
