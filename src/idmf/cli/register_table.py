"""The register as a table for the terminal (`idmf list`).

Rich lays out about 4,000 rows a second, so a register of 10,000 would
spend longer drawing than checking. Every column therefore has a width
fixed by the terminal's width, not by its contents: then any run of rows
renders exactly as it would inside the whole table, and a big register is
drawn in two halves on both cores and printed in order.
"""

from __future__ import annotations

import io
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

PARALLEL_FROM = 400  # rows; below this a second process costs more than it saves
RAG_TEXT = {"red": Text("RED", "bold red"), "amber": Text("AMBER", "bold yellow"),
            "green": Text("GREEN", "bold green")}
# Narrow columns of fixed width (the longest value each can hold) and one wide
# one, so the register still reads in an 80-column terminal: owner and
# organisation sit under the title, then the file on a line of its own, and the
# review date under the approver.
NARROW = (("Status", 9), ("RAG", 5), ("Blocking", 8), ("Changed", 10))
SEPARATOR = 1  # the box draws one space between columns
FIXED = sum(w for _, w in NARROW) + SEPARATOR * (len(NARROW) + 1)  # all but the title and approval columns


def _widths(width: int) -> tuple[int, int]:
    """The widths of the title and approval columns in a terminal ``width`` wide."""
    approval_width = 14 if width < 100 else 22
    return max(22, width - FIXED - approval_width), approval_width


def file_name_lines(name: str, width: int) -> str:
    """``name`` in lines of at most ``width`` characters, broken after a hyphen, underscore or space
    where it has to be (so 'amber-phlebotomy-online-' / 'booking.yaml', not '...booki' / 'ng.yaml'),
    and within a piece only when that piece alone is wider than the column."""
    pieces = re.findall(r"[^-_ ]*[-_ ]|[^-_ ]+$", name) or [name]
    lines, line = [], ""
    for piece in pieces:
        if line and len(line) + len(piece) > width:
            lines.append(line)
            line = ""
        line += piece
        while len(line) > width:
            lines.append(line[:width])
            line = line[width:]
    if line or not lines:  # nothing left over when the last piece filled its line exactly
        lines.append(line)
    return "\n".join(lines)


def _table(rows: list[dict], width: int, title: str | None) -> Table:
    title_width, approval_width = _widths(width)
    # Every cell and the title are Text, never a str: a str is read as console markup, and a folder
    # named "lm[/x]" crashed the register while "[link=https://...]" made a live hyperlink.
    table = Table(title=Text(title) if title is not None else None, box=box.SIMPLE_HEAD, title_justify="left", padding=0,
                  pad_edge=False, show_edge=False, show_header=title is not None, leading=1)
    table.add_column("Assessment", width=title_width, overflow="fold")  # file names are not cut short
    for name, column_width in NARROW:
        table.add_column(name, width=column_width, no_wrap=True)
    table.add_column("Approval", width=approval_width)
    for row in rows:
        name = file_name_lines(Path(row["file"]).name, title_width)
        if row["status"] == "error":
            table.add_row(Text.assemble((name, "bold"), "\n", (row["note"], "red")), Text("ERROR", "red"))
            continue
        who = " · ".join(part for part in (row["owner"], row["organisation"]) if part)
        about = Text.assemble((row["title"], "bold"), "\n", (who, "dim"), "\n" if who else "", (name, "dim"))
        if row["note"]:
            about.append("\n" + row["note"], "yellow")
        approval = Text(row["approved_by"])
        if row["review_due"]:
            approval.append(f"\ndue {row['review_due']}")
        if row["overdue"]:
            approval.append("\nOVERDUE", "bold red")
        table.add_row(about, Text(str(row["status"])), RAG_TEXT.get(row["rag"], Text(str(row["rag"]).upper())),
                      Text(str(row["blocking"])), Text(str(row["last_change"])[:10]), approval)
    return table


def _render(rows: list[dict], width: int, title: str | None, colour: str | None) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=colour, force_terminal=colour is not None,
                      highlight=False)
    console.print(_table(rows, width, title))
    return console.file.getvalue()


def print_register(rows: list[dict], title: str) -> None:
    console = Console(highlight=False)
    width, colour = console.width, console.color_system
    if len(rows) < PARALLEL_FROM:
        parts = [_render(rows, width, title, colour)]
    else:
        half = len(rows) // 2
        with ProcessPoolExecutor(max_workers=2) as pool:
            parts = list(pool.map(_render, [rows[:half], rows[half:]], [width] * 2, [title, None], [colour] * 2))
    # The blank line rich puts between rows (leading: as wide as the table)
    # goes between the halves too.
    blank = " " * (sum(_widths(width)) + FIXED) + "\n"
    sys.stdout.write(blank.join(parts))
    sys.stdout.flush()
