"""The geometry of a village's collective income chart, drawn as SVG at build time by
`partials/village-income.html`, with every figure also written as text."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..villages.records import IncomeYear

CHART_HEIGHT = 200
CHART_TOP = 28  # room for the value above the tallest bar
CHART_BOTTOM = 26  # room for the years under the baseline
CHART_SIDE = 10
CHART_SLOT = 42  # horizontal room per year, at least
CHART_CHAR_WIDTH = 7.6  # a digit of the 13px bold figures (site.css), with room to spare
CHART_MIN_WIDTH = 320
BAR_SHARE = 0.62
VALUE_GAP = 6  # between a bar's top and the baseline of its value
YEAR_GAP = 18  # between the chart's baseline and the baseline of the years


@dataclass(frozen=True)
class Bar:
    year: int
    amount: float
    label: str  # the amount as written on the bar, e.g. "35.6"
    x: float
    y: float
    width: float
    height: float

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def label_y(self) -> float:
        """Where the value is written: just above the bar."""
        return round(self.y - VALUE_GAP, 1)


@dataclass(frozen=True)
class IncomeChart:
    bars: tuple[Bar, ...]
    width: int
    height: int
    baseline: float
    summary: str  # one sentence with the first and the latest figure

    @property
    def scrolls(self) -> bool:
        """Wider than a phone: drawn at its own size in a frame that scrolls sideways."""
        return self.width > CHART_MIN_WIDTH

    @property
    def year_y(self) -> float:
        return self.baseline + YEAR_GAP

    @property
    def description(self) -> str:
        """Every figure in one line, for readers who do not see the drawing."""
        return "；".join(f"{bar.year} 年 {bar.label} 万元" for bar in self.bars)


def format_amount(amount: float) -> str:
    """35.0 → "35", 3.50 → "3.5", 0.856 → "0.86"."""
    text = f"{amount:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def income_chart(income: Sequence[IncomeYear]) -> IncomeChart | None:
    """The chart of a profile's `income` (by year); None without figures."""
    if not income:
        return None
    count = len(income)
    labels = [format_amount(item.amount) for item in income]
    slot_needed = max(
        CHART_SLOT, math.ceil(max(len(label) for label in labels) * CHART_CHAR_WIDTH + 8)
    )
    width = max(CHART_MIN_WIDTH, 2 * CHART_SIDE + count * slot_needed)
    slot = (width - 2 * CHART_SIDE) / count
    bar_width = round(min(slot * BAR_SHARE, 48), 1)
    baseline = CHART_HEIGHT - CHART_BOTTOM
    room = baseline - CHART_TOP
    top = max(item.amount for item in income)
    bars = []
    for index, (item, label) in enumerate(zip(income, labels, strict=True)):
        height = room * item.amount / top if top > 0 else 0.0
        if item.amount > 0:
            height = max(height, 2.0)  # a small income still shows as a bar
        height = round(height, 1)
        x = round(CHART_SIDE + slot * index + (slot - bar_width) / 2, 1)
        bars.append(
            Bar(item.year, item.amount, label, x, round(baseline - height, 1), bar_width, height)
        )
    return IncomeChart(tuple(bars), width, CHART_HEIGHT, baseline, _summary(income))


def _summary(income: Sequence[IncomeYear]) -> str:
    first, last = income[0], income[-1]
    if first.year == last.year:
        return f"{last.year} 年村集体经济收入 {format_amount(last.amount)} 万元。"
    if last.amount > first.amount:
        verb = "增加到"
    elif last.amount < first.amount:
        verb = "减少到"
    else:
        verb = "保持在"
    return (
        f"村集体经济收入从 {first.year} 年的 {format_amount(first.amount)} 万元"
        f"{verb} {last.year} 年的 {format_amount(last.amount)} 万元。"
    )
