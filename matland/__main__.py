"""`python -m matland`. A Ctrl-C that lands while Python is still reading `launch` (whose
handler is not installed yet) ends with launch's one line and exit 130, not a traceback."""

try:
    from matland.cli.launch import main
except KeyboardInterrupt:
    import os  # already imported by Python's start-up

    os.write(2, b"matland: interrupted\n")
    os._exit(130)  # matland.core.vocabulary's EXIT_INTERRUPTED, not imported: see launch

main()
