"""The problems page of `make serve`: every problem of the preview, file by file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from .. import urls
from ..catalog import Catalog
from ..problems import Problem
from . import View

PROBLEMS_TEMPLATE = "problems.html"
PROBLEMS_TITLE = "待修正"


@dataclass(frozen=True)
class ProblemFile:
    """A file's problems, by line; `unpublished` when the file is held back for them."""

    path: str
    unpublished: bool
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class ProblemReport:
    problem_count: int
    files: tuple[ProblemFile, ...]  # by path

    @property
    def file_count(self) -> int:
        return len(self.files)


@dataclass(frozen=True, kw_only=True)
class ProblemsView(View):
    report: ProblemReport

    def context(self) -> Mapping[str, Any]:
        return {"report": self.report}


def problem_report(catalog: Catalog) -> ProblemReport:
    rejected = set(catalog.rejected)
    files = tuple(
        ProblemFile(path, path in rejected, tuple(problems))
        for path, problems in groupby(sorted(catalog.problems), key=lambda p: p.path)
    )
    return ProblemReport(len(catalog.problems), files)


def problems_views(catalog: Catalog, *, serving: bool) -> list[View]:
    """The page exists only in a preview: a published site never lists its sources' problems."""
    if not serving:
        return []
    return [
        ProblemsView(
            url=urls.PROBLEMS,
            title=PROBLEMS_TITLE,
            template=PROBLEMS_TEMPLATE,
            report=problem_report(catalog),
        )
    ]
