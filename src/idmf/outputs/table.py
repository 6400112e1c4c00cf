"""`idmf check` for people: a table of findings per file, read errors on stderr."""

from __future__ import annotations

from . import CheckOutput

RAG_TEXT = {"red": "RED", "amber": "AMBER", "green": "GREEN"}
RAG_STYLE = {"red": "bold red", "amber": "bold yellow", "green": "bold green"}


def print_findings(console, path, findings) -> None:
    from rich.markup import escape
    from rich.table import Table

    from ..rules.model import CATEGORY_LABELS

    from ..textsafety import for_terminal

    rag = findings.rag
    console.print(f"\n[bold]{escape(for_terminal(str(path)))}[/bold]  RAG: [{RAG_STYLE[rag]}]{RAG_TEXT[rag]}[/]  ·  {findings.readiness}")
    if not len(findings):
        console.print("  No findings.")
        return
    table = Table(show_lines=False, expand=False, pad_edge=False)
    table.add_column("Rule", no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Category")
    table.add_column("Finding")
    for f in findings:
        # Questions named as on the form (number and words), not by their ids.
        triggered = "; ".join(f"{t.name}: {t.answer}" for t in f.triggered_by[:3])
        table.add_row(
            f.rule_id, f.severity + (" (blocking)" if f.blocking else ""), CATEGORY_LABELS[f.category],
            escape(for_terminal(f"{f.title}\n{f.message}\nWhat to do: {f.guidance}" + (f"\nBecause: {triggered}" if triggered else "")
                               + "".join(f"\n  · also {c.rule_id} {c.title} ({c.severity})" for c in f.consequences))),
        )
    console.print(table)
    counts = ", ".join(f"{n} {s}" for s, n in findings.counts_by_severity.items() if n)
    grouped = sum(len(f.consequences) for f in findings)
    console.print(f"  {len(findings)} finding(s): {counts}"
                  + (f" ({grouped} more listed inside the root cause they follow from)" if grouped else ""))


class Output(CheckOutput):
    def begin(self) -> None:
        from rich.console import Console

        self.console = Console(highlight=False)
        self.read = 0
        self.errors: list[str] = []

    def show(self, result) -> None:
        from rich.markup import escape

        if result.error is not None:
            self.errors.append(result.error)
            return
        self.read += 1
        print_findings(self.console, result.path, result.findings)
        if result.integrity:
            from ..textsafety import for_terminal

            self.console.print(f"  [bold]{escape(for_terminal(result.integrity))}[/bold]")

    def end(self) -> None:
        for message in self.errors:
            self.warn(f"error: {message}")
        if len(self.run.files) > 1:
            self.console.print(f"\nChecked {len(self.run.files)} file(s): {self.read} read, {len(self.errors)} unreadable.")
        for statement in self.run.statements:
            self.console.print(statement, markup=False)
