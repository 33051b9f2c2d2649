"""Where matland starts (the console script and `python -m matland`): Ctrl-C is taken care of
before anything heavy is imported.

Importing click, pydantic and the rest takes a good part of a second; Python's own handler
would turn a Ctrl-C then into a traceback, and click's into "Aborted!" with exit 1. Until
the command runs, a Ctrl-C ends the process at once with one line and exit 130 (nothing is
written yet to be cleaned up); when it runs, `MatlandGroup.invoke` gives Ctrl-C back to
Python (`take_back`), so it unwinds as KeyboardInterrupt: files are saved or discarded, and
the exit is 130 there too. Nothing but the standard library is imported here.
"""

from __future__ import annotations

import os  # already imported by Python's start-up: no time here for a Ctrl-C to land in
import sys

TYPE_CHECKING = False  # typing's, not imported (mypy reads the name alike): 15 ms
if TYPE_CHECKING:
    from collections.abc import Callable

EXIT_INTERRUPTED = 130  # matland.core.vocabulary's, not imported: that is what is avoided


def _interrupted(signum: object = None, frame: object = None) -> None:
    """Ctrl-C (or, with `signum` 15, SIGTERM) before the command runs: one line, and the
    process ends at once with 130 (143)."""
    terminated = signum == 15  # signal.SIGTERM, before signal may be imported
    try:  # noqa: SIM105 - contextlib is an import more, in the time this is meant to cover
        os.write(2, b"matland: terminated\n" if terminated else b"matland: interrupted\n")
    except OSError:  # no stderr to say it on
        pass
    os._exit(128 + 15 if terminated else EXIT_INTERRUPTED)


try:  # a millisecond or two, while Python's own handler still turns Ctrl-C into a traceback
    import signal
except KeyboardInterrupt:
    _interrupted()


def take_back(terminate: Callable[[int, object], None]) -> None:
    """Ctrl-C raises KeyboardInterrupt again, and SIGTERM calls `terminate` (the command's
    own handling runs from here)."""
    if signal.getsignal(signal.SIGINT) is _interrupted:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, terminate)


def _version() -> None:
    from matland import __version__

    if sys.stdout is None:  # started with its standard output closed: no one to tell
        return
    try:
        sys.stdout.write(f"matland, version {__version__}\n")
        sys.stdout.flush()
    except BrokenPipeError:  # `matland --version | true`: as `| head` on any command, 0
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError as error:  # a full disk: what every command says then
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.stderr.write(f"matland: cannot go on: {error.strerror or error} (writing the output)\n")
        sys.exit(2)


def main() -> None:
    try:
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not ignored
            signal.signal(signal.SIGINT, _interrupted)
        signal.signal(signal.SIGTERM, _interrupted)
    except KeyboardInterrupt:
        _interrupted()
    if sys.argv[1:] == ["--version"]:  # what click's version option says, without click
        _version()
        return
    from matland.cli.main import main as run

    try:
        run()
    finally:
        # CPython (3.11) notes a KeyboardInterrupt that ends any exec() of a string (a
        # dataclass or namedtuple being made when Ctrl-C came) as unhandled, and at the end
        # of `python -m matland` kills the process with SIGINT for it, though matland
        # handled it and exits 130. An exec() that ends well clears that note.
        exec("pass")
