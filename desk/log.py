"""The desk's log: one JSON line per action (who, what, when, which submission), append-only.

Lines are only ever appended, never rewritten, so the log stays a record an editor can trust
after a crash: each line is written with one `write` on a file opened with O_APPEND, under an
exclusive lock so two processes never interleave, and fsynced before the action returns.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from pathlib import Path
from typing import Any


def append(path: Path, record: dict[str, Any]) -> None:
    """Add one line to the log at `path`, creating it (readable only by its owner) if needed."""
    line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read(path: Path) -> list[dict[str, Any]]:
    """Every line of the log, oldest first; a line cut short by a crash is skipped."""
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return records


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
