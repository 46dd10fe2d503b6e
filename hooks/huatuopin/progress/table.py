"""The progress table as the page, the CSV, the XLSX and the report show it: one set of
headings and one row per city, then the province's total."""

from __future__ import annotations

from ..vocab import ACTIVITIES
from .figures import Figures, Progress

CITY = "城市"
HEADINGS: tuple[str, ...] = (
    CITY,
    *(a.name for a in ACTIVITIES),
    "作品合计",
    "覆盖村庄",
    "对比照片组",
    "宣讲已完成",
    "宣讲计划",
)
TOTAL = "全省合计"

# The counting rules, written on /progress/ and in the report.
RULES: tuple[str, ...] = (
    "每篇已发布的作品计入它的活动类型和所在城市。",
    "覆盖村庄：至少有一篇已发布作品的不同村庄数。",
    "对比照片组：作品中今昔对比照片的组数。",
    "宣讲按状态计：已完成和计划分别计数，已取消的宣讲不计。",
    "草稿和未通过检查的稿件一律不计。",
)


def numbers(figures: Figures) -> tuple[int, ...]:
    """A row's figures after its name, in HEADINGS order."""
    return (
        *figures.by_activity,
        figures.stories,
        figures.villages,
        figures.pairs,
        figures.talks_held,
        figures.talks_planned,
    )


def rows(progress: Progress) -> list[tuple[str | int, ...]]:
    """Every city's row in the gazetteer's order, then the total row."""
    found: list[tuple[str | int, ...]] = [
        (c.figures.name, *numbers(c.figures)) for c in progress.cities
    ]
    found.append((TOTAL, *numbers(progress.province)))
    return found
