"""One format for every problem: `path:line: field: message`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """A mistake in a source file, placed at the line a contributor has to change.

    A problem between sources (two villages sharing a URL, a talk naming a story) is written
    at one of them; `involves` names the others, so `make check STORY=…` finds it from
    either side without reading the message.
    """

    path: str  # relative to the project root, with forward slashes
    line: int
    field: str  # e.g. `activity`, `authors[1].role`, or a pseudo-field such as `正文`
    message: str  # Chinese, says what to change
    involves: tuple[str, ...] = field(default=(), compare=False)  # other sources' paths

    def concerns(self, path: str) -> bool:
        """Whether the problem is at `path` (a file, or anything in a folder) or involves it."""
        return any(
            place == path or place.startswith(path.rstrip("/") + "/")
            for place in (self.path, *self.involves)
        )

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


def format_report(problems: list[Problem]) -> str:
    """All problems, sorted by place, one a line, with a closing count."""
    lines = [str(p) for p in sorted(problems)]
    lines.append(f"共 {len(problems)} 个问题需要修正。" if problems else "没有发现问题。")
    return "\n".join(lines)
