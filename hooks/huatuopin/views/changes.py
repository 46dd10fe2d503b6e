"""The maintainers' record of `make serve` (/changes/): every withdrawal, move and correction
the sources hold, so what was taken down or changed, and why, can be looked up in one place.

Like /problems/ it exists only in a preview and is linked from nowhere: the reasons for a
withdrawal are for the maintainers, never for readers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import urls
from ..catalog import Catalog
from . import View
from .cards import DateText

CHANGES_TEMPLATE = "changes.html"
CHANGES_TITLE = "撤稿、迁移和更正记录"


@dataclass(frozen=True)
class WithdrawalEntry:
    url: str  # site-relative: the notice page
    date: DateText
    reason: str
    source: str  # `path:line` of `withdrawn:`


@dataclass(frozen=True)
class MoveEntry:
    old_url: str  # site-relative
    new_url: str  # site-relative
    source: str  # `path:line` of the redirect


@dataclass(frozen=True)
class CorrectionEntry:
    story_url: str  # site-relative
    story_title: str
    date: DateText
    note: str
    source: str  # `path:line` of the correction


@dataclass(frozen=True)
class ChangeLog:
    withdrawals: tuple[WithdrawalEntry, ...]  # newest first
    moves: tuple[MoveEntry, ...]  # as the redirects file lists them
    corrections: tuple[CorrectionEntry, ...]  # newest first


@dataclass(frozen=True, kw_only=True)
class ChangesView(View):
    log: ChangeLog

    def context(self) -> Mapping[str, Any]:
        return {"log": self.log}


def change_log(catalog: Catalog) -> ChangeLog:
    withdrawals = sorted(catalog.withdrawn, key=lambda w: (w.date, w.folder), reverse=True)
    corrections = sorted(
        ((story, correction) for story in catalog.stories for correction in story.corrections),
        key=lambda pair: (pair[1].date, pair[0].folder, pair[1].line),
        reverse=True,
    )
    return ChangeLog(
        withdrawals=tuple(
            WithdrawalEntry(w.url, DateText.of(w.date), w.reason, f"{w.source_path}:{w.line}")
            for w in withdrawals
        ),
        moves=tuple(
            MoveEntry(r.old, r.new, f"{r.source_path}:{r.line}") for r in catalog.redirects
        ),
        corrections=tuple(
            CorrectionEntry(
                story.url,
                story.title,
                DateText.of(correction.date),
                correction.note,
                f"{story.source_path}:{correction.line}",
            )
            for story, correction in corrections
        ),
    )


def changes_views(catalog: Catalog, *, serving: bool) -> list[View]:
    """The page exists only in a preview, as /problems/ does."""
    if not serving:
        return []
    return [
        ChangesView(
            url=urls.CHANGES,
            title=CHANGES_TITLE,
            template=CHANGES_TEMPLATE,
            log=change_log(catalog),
        )
    ]
