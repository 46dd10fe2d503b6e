"""What `make audit` prints: a table per page, then everything under target, then the verdict."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from auditing.targets import (
    CATEGORIES,
    IMPACT_NAMES,
    MAX_BYTES_BEFORE_SCROLLING,
    PageResult,
    kilobytes,
    shortfalls,
)

HEADINGS = ("项目", "结果", "目标", "")
MISSES = "未达标"
COUNTED = (
    "首屏传输：Lighthouse 手机模式（模拟慢速 4G）打开页面、读者还没有滚动时传输的全部字节"
    "（total-byte-weight，压缩后的大小；页面下方懒加载的图片不计）。"
)


def page_table(result: PageResult) -> str:
    """One page's figures against their targets."""
    figures = result.lighthouse
    rows: list[tuple[str, str, str, str]] = []
    for category in CATEGORIES:
        score = figures.scores.get(category.id)
        target = f"≥ {category.minimum}" if category.minimum < 100 else "100"
        missed = score is None or score < category.minimum
        rows.append(
            (category.name, "—" if score is None else str(score), target, MISSES if missed else "")
        )
    weight = figures.bytes_before_scrolling
    rows.append(
        (
            "首屏传输",
            "—" if weight is None else kilobytes(weight),
            f"≤ {kilobytes(MAX_BYTES_BEFORE_SCROLLING)}",
            MISSES if weight is None or weight > MAX_BYTES_BEFORE_SCROLLING else "",
        )
    )
    axe = result.axe
    rows.append(
        (
            "axe 严重和危急问题",
            "—" if axe.error else f"{len(axe.blocking)} 项",
            "0",
            MISSES if axe.error or axe.blocking else "",
        )
    )
    lines = [f"{result.name}  {result.url}", *_table([HEADINGS, *rows])]
    lines += [
        f"    {v.rule}（{IMPACT_NAMES.get(v.impact, v.impact)}，{v.nodes} 处）：{v.help}"
        for v in axe.blocking
    ]
    lines += [f"  Lighthouse 提示：{warning}" for warning in figures.warnings]
    return "\n".join(lines)


def summary(results: Sequence[PageResult], missing: Sequence[str]) -> tuple[str, bool]:
    """The lines under target on every page and the verdict; True when everything passes."""
    lines: list[str] = [f"- {note}" for note in missing]
    failed_pages = 0
    for result in results:
        found = shortfalls(result)
        failed_pages += bool(found)
        lines += [f"- {result.name}：{line}" for line in found]
    if not lines:
        return f"审核通过：{len(results)} 个页面全部达标。", True
    verdict = f"审核未通过：{len(results)} 个页面中 {failed_pages} 个未达标"
    if missing:
        verdict += f"，另有 {len(missing)} 个页面找不到"
    return "\n".join([f"{verdict}。未达标的项目：", *lines]), False


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(_width(row[column]) for row in rows) for column in range(len(rows[0]))]
    return [
        "  "
        + "  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


NOT_FOUND_NOTE = (
    "404 页：不存在的网址本来就该返回 404，所以 Lighthouse 的 http-status-code（返回失败状态码）"
    "和控制台里这一页本身的 404 记录（errors-in-console）在这一页不计分。"
)
