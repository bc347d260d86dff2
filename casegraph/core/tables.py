"""A table of figures, as the quality report (casegraph/eval) and the benchmarks (casegraph/bench)
produce them: printed with rich by the CLI and written as Markdown to docs/QUALITY.md and
docs/BENCHMARKS.md. Each carries the command that reproduces it; `machine_facts` says where it ran."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass
class ReportTable:
    title: str
    command: str  # what reproduces these figures
    columns: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def markdown(self, heading: str = "##") -> list[str]:
        lines = [f"{heading} {self.title}", "", "```", self.command, "```", ""]
        lines.append("| " + " | ".join(self.columns) + " |")
        lines.append("| " + " | ".join("---" for _ in self.columns) + " |")
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        lines.append("")
        for note in self.notes:
            lines += [note, ""]
        if self.seconds >= 1:
            lines += [f"Time: {self.seconds:.0f} s.", ""]
        return lines

    def rich(self) -> Any:
        """A rich Table (left-aligned first column, the command as caption; ** marks dropped)."""
        from rich.table import Table

        table = Table(title=self.title, caption=f"$ {self.command}", caption_justify="left")
        for i, col in enumerate(self.columns):
            table.add_column(col, justify="left" if i == 0 else "right")
        for row in self.rows:
            table.add_row(*(cell.replace("**", "") for cell in row))
        return table


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        return None


def machine_facts(now: datetime | None = None) -> dict[str, str]:
    """Where and when figures were measured: CPU, cores, memory, OS, Python, date (UTC), and the
    load average when they were (other work on the machine slows every figure)."""
    memory = _memory_gib()
    facts = {
        "date": f"{(now or datetime.now(UTC)):%Y-%m-%d %H:%M} UTC",
        "cpu": f"{_cpu_model()}, {os.cpu_count() or 0} logical cores",
        "memory": f"{memory:.0f} GiB" if memory else "unknown",
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
    }
    if hasattr(os, "getloadavg"):  # a busy machine explains slow figures
        facts["load"] = "{:.1f} / {:.1f} / {:.1f} (1, 5, 15 min)".format(*os.getloadavg())
    return facts
