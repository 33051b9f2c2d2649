"""Commands beyond the core ones, one module each; matland.cli imports every module here.

A module defines its click command with `@cli.command()` (from matland.cli) and imports
anything heavy inside the command function, so `matland --help` stays fast.
"""
