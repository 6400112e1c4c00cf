"""The `idmf` command's entry point.

`idmf --version` is answered here, before the command-line framework loads:
CI jobs and pre-commit hooks call it often, and it should cost no more than
starting Python. Everything else goes to ``idmf.cli``.
"""

from __future__ import annotations

import sys


def version_text() -> str:
    import platform

    from . import __version__
    from .engines import engine_name

    return f"idmf {__version__}\nrules engine: {engine_name()}\nPython {platform.python_version()}"


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        print(version_text())
        return
    from .cli import main as cli_main

    cli_main()
