"""A progress line on the terminal for long media runs: one stderr line updated in place."""

from __future__ import annotations

import sys
import time
from typing import TextIO

# Runs shorter than this print nothing: a warm rebuild stays quiet.
SHOW_AFTER_SECONDS = 1.0


class Progress:
    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.total = total
        self.label = label
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = time.monotonic()
        self.shown = False
        self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())

    def advance(self, step: int = 1) -> None:
        self.done += step
        elapsed = time.monotonic() - self.started
        if not self.interactive or (not self.shown and elapsed < SHOW_AFTER_SECONDS):
            return
        self.shown = True
        width = 24
        filled = int(width * self.done / max(self.total, 1))
        rate = self.done / elapsed if elapsed else 0.0
        bar = "█" * filled + "·" * (width - filled)
        self.stream.write(
            f"\r{self.label} {bar} {self.done}/{self.total}  {rate:.1f} 个/秒  {elapsed:.0f} 秒"
        )
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
