"""Rendering the report context to HTML, Markdown, Word and PDF.

User text is data in every format: Jinja autoescapes HTML, the ``md``
filter escapes Markdown's control characters, Word and PDF receive plain
text runs. No answer is ever compiled as a template.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import markupsafe
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from ..errors import IdmfError, InputError
from ..paths import templates_dir
from ..textsafety import document_text
from .context import AUDIENCES, ReportContext

FORMATS = ("html", "md", "docx", "pdf")

# Characters that are markup anywhere in a line. Brackets are escaped, so
# "(...)" and "!" can never form a link or an image.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~^&$])")
# Markup only at the start of a line: list items, numbered lists, quotes, rules.
_MD_LEADING = re.compile(r"^(\s*)(?:([-+=])|(\d+)([.)]))")


def md_escape(value: object) -> str:
    """Make text literal in Markdown, and safe inside a table cell."""
    text = _MD_SPECIAL.sub(r"\\\1", document_text(value))
    text = _MD_LEADING.sub(
        lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)), text)
    # A table row must stay on one line; <br> is the one tag we add, after escaping.
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def _shown(value: object) -> object:
    """Every value a template prints passes here (Jinja's finalize): control characters become
    visible replacements, so no report (HTML or Markdown, shown in a browser or with ``cat``)
    carries an escape sequence or a bell, whichever field or template it came from."""
    if isinstance(value, markupsafe.Markup):
        return markupsafe.Markup(document_text(str(value)))
    if isinstance(value, str):
        return document_text(value)
    return value


def _environment(folder: Path) -> jinja2.Environment:
    # Sandboxed: an organisation's templates are data like its rule files.
    # A template cannot reach Python internals (``''.__class__.__mro__``), call
    # unsafe methods or change the objects it is given.
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
        finalize=_shown,
    )
    env.filters["md"] = md_escape
    return env


_ENVS: dict[Path, jinja2.Environment] = {}


def env() -> jinja2.Environment:
    folder = templates_dir()
    if folder not in _ENVS:
        _ENVS[folder] = _environment(folder)
    return _ENVS[folder]


def _render_template(name: str, c: ReportContext) -> str:
    """Render a template; a broken or unsafe template is bad input (exit 2), named with its file."""
    environment = env()
    where = str(templates_dir() / name)
    try:
        return environment.get_template(name).render(c=c)
    except SecurityError as exc:
        raise InputError(f"the template tried something templates may not do ({exc}); nothing was run",
                         where=where, hint="templates may only show the report's data") from None
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"template error: {exc.message}", where=f"{exc.filename or where}:{exc.lineno}") from None
    except jinja2.TemplateNotFound as exc:
        raise InputError(f"template {exc.name} not found", where=str(templates_dir()),
                         hint="an organisation's templates folder needs report.html.j2 and report.md.j2") from None
    except jinja2.TemplateError as exc:
        raise InputError(f"template error: {exc}", where=where) from None


TEMPLATES = {
    ("board", "html"): "report.html.j2",
    ("board", "md"): "report.md.j2",
    ("author", "html"): "report-author.html.j2",
    ("author", "md"): "report-author.md.j2",
}


def render_html(c: ReportContext, audience: str = "board") -> str:
    return _render_template(TEMPLATES[audience, "html"], c)


def render_md(c: ReportContext, audience: str = "board") -> str:
    text = _render_template(TEMPLATES[audience, "md"], c)
    return re.sub(r"\n{3,}", "\n\n", text)


def render_pdf(c: ReportContext, audience: str = "board", html: str | None = None) -> bytes:
    """PDF/UA-1: tagged, so screen readers follow headings and tables (the
    public sector accessibility regulations); title, author and language come
    from the HTML's <title>, <meta> and lang."""
    HTML = _weasyprint_html()

    folder = templates_dir()
    document = HTML(string=html or render_html(c, audience), base_url=str(folder), url_fetcher=_local_fetcher(folder))
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)


PANGO_HINT = ("PDF reports need Pango, the text layout library WeasyPrint draws with: on Debian or Ubuntu "
              "`sudo apt install libpango-1.0-0 libpangoft2-1.0-0`, on macOS `brew install pango`, on Windows "
              "install GTK 3 (see WeasyPrint's installation guide); the html, docx and md reports work without it")


def _weasyprint_html():
    """WeasyPrint's HTML class (imported late: it is the slowest import).

    Without Pango, importing WeasyPrint fails with an OSError naming a library
    (``cannot load library 'libgobject-2.0-0'``): that is a missing system
    library, not a folder that cannot be written, so it is said as one.
    """
    try:
        from weasyprint import HTML
    except OSError as exc:
        raise IdmfError(f"cannot make a PDF here: a system library WeasyPrint needs is missing ({exc})",
                        hint=PANGO_HINT) from None
    return HTML


def _local_fetcher(folder: Path):
    """Let a PDF use images and fonts from its templates folder (and data: URLs), nothing else:
    a template must not pull files from elsewhere on the machine, or anything from the network."""
    from urllib.parse import unquote, urlparse

    root = folder.resolve()

    def check(url: str) -> None:
        parsed = urlparse(url)
        if parsed.scheme == "data":
            return
        if parsed.scheme == "file" and Path(unquote(parsed.path)).resolve().is_relative_to(root):
            return
        raise ValueError(f"a report may only use files from its templates folder, not {url}")

    try:
        from weasyprint.urls import URLFetcher  # newer WeasyPrint: a fetcher class
    except ImportError:
        from weasyprint import default_url_fetcher

        def fetch(url: str, *args, **kwargs):
            check(url)
            return default_url_fetcher(url, *args, **kwargs)
        return fetch

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            check(url)
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("file", "data"))


def render_docx(c: ReportContext, audience: str = "board") -> bytes:
    from .word import render_docx as build

    return build(c, audience)


def render(c: ReportContext, fmt: str, audience: str = "board") -> bytes:
    if audience not in AUDIENCES:
        raise ValueError(f"unknown report audience {audience!r}")
    if fmt == "html":
        return render_html(c, audience).encode("utf-8")
    if fmt == "md":
        return render_md(c, audience).encode("utf-8")
    if fmt == "docx":
        return render_docx(c, audience)
    if fmt == "pdf":
        return render_pdf(c, audience)
    raise ValueError(f"unknown report format {fmt!r}")


def write(path: Path, data: bytes) -> None:
    """Write atomically (safe_write), so a reader never sees half a report.

    A report is for sharing: its mode follows the umask like any file the
    user saves (a private 0600 would hide it from colleagues on a shared drive).
    """
    from ..safe_write import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data)
