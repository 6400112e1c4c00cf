"""The `idmf` command's entry point.

`idmf --version` is answered here, before the command-line framework loads:
CI jobs and pre-commit hooks call it often, and it should cost no more than
starting Python. Everything else goes to ``idmf.cli``.
"""

from __future__ import annotations

import contextlib
import sys


def version_text() -> str:
    import platform

    from . import __version__
    from .engines import engine_name

    return f"idmf {__version__}\nrules engine: {engine_name()}\nPython {platform.python_version()}"


# A command whose output was cut off by its reader (``idmf check ... | head``) before it finished:
# as a shell shows a command ended by a closed pipe (128 + SIGPIPE). Nothing is wrong with the input.
EXIT_OUTPUT_CLOSED = 141


def _run() -> None:
    if sys.argv[1:] == ["--version"]:
        try:
            print(version_text(), flush=True)
        except BrokenPipeError:
            pass  # `idmf --version | head -1`: the reader took the line it wanted; the version is not a result
        return
    from .cli import main as cli_main

    cli_main()


def _utf8_output() -> None:
    """Write UTF-8 to files and pipes, whatever the system's code page.

    On Windows, output redirected to a file or a pipe is in the ANSI code page
    (cp1252): a register or a finding holding a character outside it (a box line,
    a name in another script) stopped idmf with exit 70, and JSON, SARIF and CSV
    must be UTF-8 anyway. A terminal keeps its own encoding (Windows writes to the
    console in Unicode); a character it cannot show is replaced, never a crash.
    An encoding the user chose (``PYTHONIOENCODING=ascii``) is kept, with the
    same replacements: it says what the reader can take.
    """
    import os

    chosen = bool(os.environ.get("PYTHONIOENCODING", "").split(":")[0].strip())
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding == "utf8" or not hasattr(stream, "reconfigure"):
            continue
        with contextlib.suppress(ValueError, OSError, AttributeError):
            if chosen or stream.isatty():
                if getattr(stream, "errors", "strict") == "strict":
                    stream.reconfigure(errors="replace")
            else:
                stream.reconfigure(encoding="utf-8")


def main() -> None:
    """Run idmf; a reader that stops reading (``| head -1``) ends it quietly, without a traceback."""
    _utf8_output()
    code: str | int | None = 0
    try:
        _run()
    except SystemExit as exc:
        code = exc.code
    except BrokenPipeError:
        code = EXIT_OUTPUT_CLOSED
    try:
        sys.stdout.flush()  # what is still buffered, now, where a closed pipe can be caught
    except BrokenPipeError:
        pass
    except ValueError:  # stdout already closed
        pass
    if _stdout_closed():
        # Python flushes stdout again at exit and would print "Exception ignored ... BrokenPipeError".
        import os

        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
    sys.exit(code)


def _stdout_closed() -> bool:
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        return True
    return False
