"""The geometry of the progress bar charts (stories per month, by activity, by form), drawn
as SVG at build time by `partials/progress-chart.html` as the village income chart is
(views/income_chart.py), with every figure also written as text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .income_chart import BAR_SHARE, CHART_MIN_WIDTH, CHART_SIDE, VALUE_GAP, YEAR_GAP

CHART_HEIGHT = 180
CHART_TOP = 26  # room for the count above the tallest bar
CHART_BOTTOM = 26  # room for the labels under the baseline
SLOT = 38  # horizontal room per bar, at least: a label of two Chinese characters at 13px


@dataclass(frozen=True)
class CountBar:
    label: str  # 1月, 入户访, 摄影
    count: int
    x: float
    y: float
    width: float
    height: float

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def count_y(self) -> float:
        return round(self.y - VALUE_GAP, 1)


@dataclass(frozen=True)
class CountChart:
    title: str  # also the SVG's accessible name
    bars: tuple[CountBar, ...]
    width: int
    height: int
    baseline: float
    unit: str  # what is counted: 篇

    @property
    def label_y(self) -> float:
        return self.baseline + YEAR_GAP

    @property
    def description(self) -> str:
        """Every figure in one line, for readers who do not see the drawing."""
        return "；".join(f"{bar.label} {bar.count} {self.unit}" for bar in self.bars)

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)


def count_chart(title: str, items: Sequence[tuple[str, int]], unit: str = "篇") -> CountChart:
    """Bars for (label, count) in the given order; all zero draws an empty baseline."""
    longest = max((len(label) for label, _ in items), default=1)
    slot_needed = max(SLOT, 14 * longest + 6)
    width = max(CHART_MIN_WIDTH, 2 * CHART_SIDE + len(items) * slot_needed)
    slot = (width - 2 * CHART_SIDE) / max(len(items), 1)
    bar_width = round(min(slot * BAR_SHARE, 40), 1)
    baseline = CHART_HEIGHT - CHART_BOTTOM
    room = baseline - CHART_TOP
    top = max((count for _, count in items), default=0)
    bars = []
    for index, (label, value) in enumerate(items):
        height = room * value / top if top > 0 else 0.0
        height = round(max(height, 2.0) if value > 0 else 0.0, 1)
        x = round(CHART_SIDE + slot * index + (slot - bar_width) / 2, 1)
        bars.append(CountBar(label, value, x, round(baseline - height, 1), bar_width, height))
    return CountChart(title, tuple(bars), width, CHART_HEIGHT, baseline, unit)
