"""What every audited page is held to (issue 10), and each tool's result read against it.

Lighthouse (mobile): performance at least 95; accessibility, best practices and SEO all 100;
at most 500 KB transferred while the page loads, before the reader scrolls (Lighthouse's
`total-byte-weight`: every response of the load, as transferred, so compressed; lazy images
below the fold are not fetched and not counted). axe-core: no serious or critical violation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Category:
    id: str  # Lighthouse's category id
    name: str
    minimum: int  # score out of 100


CATEGORIES: tuple[Category, ...] = (
    Category("performance", "性能", 95),
    Category("accessibility", "无障碍", 100),
    Category("best-practices", "最佳做法", 100),
    Category("seo", "搜索引擎优化", 100),
)
KB = 1024  # as Lighthouse counts (it prints KiB)
MAX_BYTES_BEFORE_SCROLLING = 500 * KB
BYTE_WEIGHT_AUDIT = "total-byte-weight"
BLOCKING_IMPACTS = ("critical", "serious")

# A missing address must answer 404. Lighthouse counts that against the page twice: its SEO
# category marks the page as not indexable (http-status-code), and best practices counts the
# browser's console line about the document's own 404 (errors-in-console). On the 404 page both
# state what is wanted, so its scores leave out the first, and the second when that line is all
# the console holds.
STATUS_AUDIT = "http-status-code"
CONSOLE_AUDIT = "errors-in-console"
# Lighthouse gives these no weight in a category's score.
UNSCORED_MODES = frozenset({"notApplicable", "manual", "informative"})


@dataclass(frozen=True)
class LighthouseFigures:
    scores: Mapping[str, int | None]  # category id -> score out of 100; None: not measured
    # category id -> (audit id, title) of each scored audit below full marks, for the reader
    losing_audits: Mapping[str, tuple[tuple[str, str], ...]]
    bytes_before_scrolling: int | None
    error: str | None = None  # why Lighthouse could not measure the page
    # What Lighthouse says may have skewed the figures (a slow CPU, a redirect …)
    warnings: tuple[str, ...] = ()


def read_lighthouse(report: Mapping[str, Any], *, not_found: bool = False) -> LighthouseFigures:
    """The figures of a Lighthouse JSON result (`lighthouse --output=json`); with `not_found`,
    of the 404 page, scored without what only says that it answers 404 (see STATUS_AUDIT)."""
    audits: dict[str, Any] = dict(report.get("audits", {}))
    categories: Mapping[str, Any] = report.get("categories", {})
    changed = _not_found_audits(report, audits) if not_found else {}
    audits.update(changed)
    scores: dict[str, int | None] = {}
    losing: dict[str, tuple[tuple[str, str], ...]] = {}
    for category in CATEGORIES:
        found = categories.get(category.id)
        if found is None:
            scores[category.id] = None
            continue
        refs = [ref for ref in found.get("auditRefs", []) if ref["id"] in audits]
        if any(ref["id"] in changed for ref in found.get("auditRefs", [])):
            scores[category.id] = _out_of_100(_weighted_score(refs, audits))
        else:
            scores[category.id] = _out_of_100(found.get("score"))
        losing[category.id] = tuple(
            (ref["id"], audits[ref["id"]].get("title", ref["id"]))
            for ref in refs
            if _counts(ref, audits) and (audits[ref["id"]].get("score") or 0) < 1
        )
    weight = audits.get(BYTE_WEIGHT_AUDIT, {}).get("numericValue")
    runtime_error = report.get("runtimeError")
    return LighthouseFigures(
        scores=scores,
        losing_audits=losing,
        bytes_before_scrolling=None if weight is None else int(weight),
        error=runtime_error.get("message") if runtime_error else None,
        warnings=tuple(report.get("runWarnings", ())),
    )


def _not_found_audits(report: Mapping[str, Any], audits: dict[str, Any]) -> dict[str, Any]:
    """The 404 page's audits as they count: the status audit left out (weight 0), the console
    audit passed when the document's own 404 is the only error in it."""
    changed: dict[str, Any] = {}
    if STATUS_AUDIT in audits:
        changed[STATUS_AUDIT] = {**audits[STATUS_AUDIT], "scoreDisplayMode": "notApplicable"}
    console = audits.get(CONSOLE_AUDIT)
    if console is not None:
        page = report.get("mainDocumentUrl") or report.get("finalDisplayedUrl")
        items = console.get("details", {}).get("items", [])
        others = [
            item
            for item in items
            if not (
                item.get("source") == "network"
                and item.get("sourceLocation", {}).get("url") == page
            )
        ]
        if len(others) < len(items):
            changed[CONSOLE_AUDIT] = {
                **console,
                "score": 1 if not others else console.get("score"),
                "details": {**console.get("details", {}), "items": others},
            }
    return changed


def _counts(ref: Mapping[str, Any], audits: Mapping[str, Any]) -> bool:
    audit = audits.get(ref["id"])
    return (
        audit is not None
        and ref.get("weight", 0) > 0
        and audit.get("scoreDisplayMode") not in UNSCORED_MODES
    )


def _weighted_score(refs: Sequence[Mapping[str, Any]], audits: Mapping[str, Any]) -> float | None:
    """A category's score from its audits, as Lighthouse computes it (weighted mean)."""
    counted = [ref for ref in refs if _counts(ref, audits)]
    total = sum(ref["weight"] for ref in counted)
    if not total:
        return None
    return sum(ref["weight"] * (audits[ref["id"]].get("score") or 0) for ref in counted) / total


def _out_of_100(score: float | None) -> int | None:
    # Lighthouse shows Math.round(score * 100); Python's round() would round halves to even.
    return None if score is None else math.floor(score * 100 + 0.5)


@dataclass(frozen=True)
class AxeViolation:
    rule: str  # axe's rule id, e.g. color-contrast
    impact: str
    help: str
    nodes: int  # how many elements fail it


@dataclass(frozen=True)
class AxeFindings:
    status: int | None  # the HTTP status the page answered with
    blocking: tuple[AxeViolation, ...] = ()  # serious and critical violations
    error: str | None = None


def read_axe(status: int | None, response: Mapping[str, Any]) -> AxeFindings:
    """axe-core's serious and critical violations from its result (`axe.run`)."""
    blocking = tuple(
        AxeViolation(v["id"], v["impact"], v.get("help", ""), len(v.get("nodes", ())))
        for v in response.get("violations", ())
        if v.get("impact") in BLOCKING_IMPACTS
    )
    return AxeFindings(status=status, blocking=blocking)


@dataclass(frozen=True)
class PageResult:
    name: str
    url: str  # absolute
    expected_status: int
    lighthouse: LighthouseFigures
    axe: AxeFindings


def shortfalls(result: PageResult) -> list[str]:
    """Everything under target on one page, one Chinese line each (empty: the page passes)."""
    found: list[str] = []
    figures = result.lighthouse
    if figures.error:
        found.append(f"Lighthouse 没能测量这一页：{figures.error}")
    for category in CATEGORIES:
        score = figures.scores.get(category.id)
        if score is None:
            if not figures.error:
                found.append(f"{category.name}：Lighthouse 没有给出分数")
            continue
        if score < category.minimum:
            audits = "、".join(audit for audit, _ in figures.losing_audits.get(category.id, ()))
            because = f"，失分项：{audits}" if audits else ""
            found.append(f"{category.name} {score} 分，低于 {category.minimum} 分{because}")
    weight = figures.bytes_before_scrolling
    if weight is not None and weight > MAX_BYTES_BEFORE_SCROLLING:
        found.append(f"首屏传输 {kilobytes(weight)}，超过 {kilobytes(MAX_BYTES_BEFORE_SCROLLING)}")
    elif weight is None and not figures.error:
        found.append("Lighthouse 没有给出传输字节数")
    axe = result.axe
    if axe.error:
        found.append(f"axe 没能检查这一页：{axe.error}")
    elif axe.status != result.expected_status:
        found.append(f"网址返回 HTTP {axe.status}，应为 {result.expected_status}")
    for violation in axe.blocking:
        found.append(
            f"axe {violation.rule}（{IMPACT_NAMES.get(violation.impact, violation.impact)}，"
            f"{violation.nodes} 处）：{violation.help}"
        )
    return found


IMPACT_NAMES = {"critical": "危急", "serious": "严重"}


def kilobytes(count: int) -> str:
    return f"{count / KB:.0f} KB"
