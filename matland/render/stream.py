"""A check run's document, put together piece by piece: what every check format shares.

Each format renders a file into a `Piece` where the file was checked (a worker process, for a
large run); its `Assembly` joins the pieces in the parent as they arrive. Nothing holds the
run's results: a format whose document needs totals before the files (JUnit's counts, SARIF's
rule list, markdown's summary, text's column widths) puts the pieces' text aside in a `Spool`
and writes the document once the run is over, so memory stays flat in the number of files.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import IO

from matland.core.assessment import FileResult
from matland.core.findings import Finding, file_exit_code
from matland.core.records import record
from matland.render import RenderOptions
from matland.render.data import RunSummary, count_findings

# A spool keeps its text in memory up to this size, then in a temporary file: a small run
# never touches the disk, a large one holds no more than this per spool.
SPOOL_IN_MEMORY = 1 << 20
READ = 1 << 16  # characters per chunk read back from a spool


@record
class Piece:
    """One file of a check run, already rendered: what the parent needs to join the output,
    keep the summary, decide the exit code and keep `--output` off the inputs."""

    path: str
    valid: bool
    counts: tuple[int, ...]  # the file's findings counted (data.count_findings)
    exit_code: int  # the file's exit code under the run's --fail-on
    text: str  # the file's part of the document
    # its row in the run's table, which comes before every file's text: the cells (text
    # aligns them) or the finished line (markdown)
    row: tuple[str, ...] = ()
    # The findings themselves, for a format that needs them when joining (SARIF's rule
    # list); others leave them out, so the parent of a large run unpickles less.
    findings: tuple[Finding, ...] = ()


def piece_of(
    result: FileResult,
    options: RenderOptions,
    text: str,
    row: tuple[str, ...] = (),
    *,
    keep_findings: bool = False,
) -> Piece:
    """A file's piece, its counts and exit code worked out where it was checked."""
    found = result.findings()
    return Piece(
        result.path,
        result.valid,
        count_findings(found),
        file_exit_code(result.valid, found, options.fail_on),
        text,
        row,
        tuple(found) if keep_findings else (),
    )


class Assembly:
    """Joins a run's pieces into a format's document (pushed one at a time, so one pass can
    feed several formats): `start` and `add` return what can be written at once, `end` the
    rest. This one writes each file's text as it comes; it keeps the run's counts."""

    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        self.summary = RunSummary()
        self._spools: list[Spool] = []

    def start(self) -> str:
        return ""

    def add(self, piece: Piece) -> str:
        self.summary.add(piece.valid, piece.counts, piece.exit_code)
        return piece.text

    def end(self) -> Iterator[str]:
        return iter(())

    def spool(self) -> Spool:
        """A spool of this assembly's, closed with it."""
        self._spools.append(Spool())
        return self._spools[-1]

    def close(self) -> None:
        for spool in self._spools:
            spool.close()


class Held(Assembly):
    """An assembly whose document starts with what only the whole run knows: each file's
    text is spooled, and `end` writes the document around it."""

    def __init__(self, options: RenderOptions) -> None:
        super().__init__(options)
        self.texts = self.spool()

    def add(self, piece: Piece) -> str:
        super().add(piece)
        self.texts.write(piece.text)
        return ""


def assemble(assembly: Assembly, pieces: Iterable[Piece]) -> Iterator[str]:
    """The document, chunk by chunk, as the pieces come."""
    try:
        yield assembly.start()
        for piece in pieces:
            text = assembly.add(piece)
            if text:
                yield text
        yield from assembly.end()
    finally:
        assembly.close()


def joined(
    piece: Callable[[FileResult, RenderOptions], Piece],
    assembly: Assembly,
    results: Iterable[FileResult],
) -> str:
    """A format's whole check document for results at hand (`render`'s check view)."""
    return "".join(assemble(assembly, (piece(r, assembly.options) for r in results)))


class Spool:
    """Text put aside while a run streams past, read back once at its end: in memory while
    small (SPOOL_IN_MEMORY characters), then in a temporary file (most spools of a small
    run stay empty, and a hook's run never needs tempfile's imports)."""

    def __init__(self) -> None:
        self._file: IO[str] | None = None
        self._size = 0

    @property
    def empty(self) -> bool:
        return self._file is None

    def write(self, text: str) -> None:
        if not text:
            return
        if self._file is None:
            self._file = io.StringIO(newline="\n")
        self._size += len(text)
        if self._size > SPOOL_IN_MEMORY and isinstance(self._file, io.StringIO):
            import tempfile

            # surrogatepass: a path that is not UTF-8 (os.walk's surrogate escapes) comes back
            # as it went in; writing it out is the output's business, as before spooling.
            spilled = tempfile.TemporaryFile(  # noqa: SIM115 (closed by close())
                "w+", encoding="utf-8", errors="surrogatepass", newline="\n"
            )
            spilled.write(self._file.getvalue())
            self._file = spilled
        self._file.write(text)

    def chunks(self) -> Iterator[str]:
        yield from iter(partial(self._read().read, READ), "")
        self.close()

    def lines(self) -> Iterator[str]:
        yield from self._read()
        self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def _read(self) -> IO[str]:
        if self._file is None:
            return io.StringIO()
        self._file.seek(0)
        return self._file
