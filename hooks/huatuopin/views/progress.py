"""/progress/ and /progress/<city-slug>/: the progress figures for the provincial office, and
the same table as CSV and XLSX. Everything is counted by `progress.figures`; these views only
arrange what it counted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from .. import urls
from ..catalog import Catalog
from ..gazetteer import Gazetteer
from ..progress.figures import MONTHS, CityProgress, Figures, progress_of
from ..progress.spreadsheets import progress_csv, progress_xlsx
from ..progress.table import HEADINGS, RULES, numbers
from ..vocab import ACTIVITIES, FORMS
from . import View
from .cards import DateText
from .progress_chart import CountChart, count_chart

INDEX_TEMPLATE = "progress.html"
CITY_TEMPLATE = "progress-city.html"
INDEX_TITLE = "各省辖市推进情况"
STORY_LINKS = 100  # a city page links this many stories; the rest are on its story listing
NOT_YET = "—"


@dataclass(frozen=True)
class Row:
    name: str
    url: str | None  # the city's progress page; None for the total row
    numbers: tuple[int, ...]
    total: bool = False


@dataclass(frozen=True)
class Table:
    headings: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class CityChart:
    name: str
    url: str
    chart: CountChart


@dataclass(frozen=True)
class Link:
    text: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class Group:
    name: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class TalkLine:
    date: DateText
    title: str
    place: str
    status: str


@dataclass(frozen=True, kw_only=True)
class ProgressView(View):
    table: Table
    rules: tuple[str, ...]
    city_charts: tuple[CityChart, ...]
    by_activity: CountChart
    by_form: CountChart
    csv_url: str
    xlsx_url: str
    intro: str

    def context(self) -> Mapping[str, Any]:
        return {"view": self}


@dataclass(frozen=True, kw_only=True)
class ProgressCityView(View):
    city: str
    table: Table
    rules: tuple[str, ...]
    by_month: CountChart
    forms: tuple[tuple[str, int], ...]  # the forms used, with their counts
    villages: tuple[Link, ...]  # a county's villages' page, with their counts
    talks: tuple[TalkLine, ...]
    stories: tuple[Group, ...]  # by county, at most STORY_LINKS links in all
    story_count: int
    more_url: str | None  # the city's story listing, when not every story is linked here
    index_url: str
    intro: str

    def context(self) -> Mapping[str, Any]:
        return {"view": self}


def month_chart(title: str, figures: Figures) -> CountChart:
    return count_chart(
        title, [(f"{m}月", n) for m, n in zip(MONTHS, figures.by_month, strict=True)]
    )


def _row(figures: Figures, url: str | None) -> Row:
    return Row(figures.name, url, numbers(figures), total=url is None)


def progress_views(
    catalog: Catalog, gazetteer: Gazetteer
) -> tuple[list[View], list[tuple[str, str | bytes]]]:
    """/progress/, a page per city, and (path, content) of the CSV and the XLSX."""
    progress = progress_of(catalog, gazetteer)
    province = progress.province
    table = Table(
        HEADINGS,
        (
            *(_row(c.figures, urls.progress_city(c.city.slug)) for c in progress.cities),
            _row(province, None),
        ),
    )
    index = ProgressView(
        url=urls.PROGRESS,
        title=INDEX_TITLE,
        template=INDEX_TEMPLATE,
        table=table,
        rules=RULES,
        city_charts=tuple(
            CityChart(
                c.city.name,
                urls.progress_city(c.city.slug),
                month_chart(f"{c.city.name}每月作品数", c.figures),
            )
            for c in progress.cities
        ),
        by_activity=count_chart(
            "全省各项活动作品数",
            [(a.name, n) for a, n in zip(ACTIVITIES, province.by_activity, strict=True)],
        ),
        by_form=count_chart("全省各种形式作品数", list(zip(FORMS, province.by_form, strict=True))),
        csv_url=urls.PROGRESS_CSV,
        xlsx_url=urls.PROGRESS_XLSX,
        intro=(
            f"全省 {len(progress.cities)} 个省辖市（含济源示范区）"
            f"共发布作品 {province.stories} 篇，"
            f"覆盖 {province.villages} 个村庄；宣讲已完成 {province.talks_held} 场，"
            f"计划 {province.talks_planned} 场。"
        ),
    )
    views: list[View] = [index]
    views += [_city_view(c) for c in progress.cities]
    files: list[tuple[str, str | bytes]] = [
        (urls.PROGRESS_CSV, progress_csv(progress)),
        (urls.PROGRESS_XLSX, progress_xlsx(progress)),
    ]
    return views, files


def _city_view(city: CityProgress) -> ProgressCityView:
    figures = city.figures
    name = city.city.name
    # A county's villages are a link to its villages' page: a city has hundreds of villages,
    # and no page lists every one (DESIGN.md: overview pages stay bounded).
    villages = []
    for _, group in groupby(city.village_counts, key=lambda item: item[0].place.county):
        items = list(group)
        first = items[0][0]
        villages.append(
            Link(
                first.county,
                urls.county_villages(first.city_slug, first.county_slug),
                f"{len(items)} 个村 · {sum(n for _, n in items)} 篇",
            )
        )
    linked = sorted(city.stories[:STORY_LINKS], key=lambda s: (s.place.county, s.sort_key))
    stories = tuple(
        Group(
            county,
            tuple(
                Link(s.title, s.url, f"{DateText.of(s.date).text} · {s.village.name} · {s.form}")
                for s in items
            ),
        )
        for county, items in groupby(linked, key=lambda s: s.place.county)
    )
    return ProgressCityView(
        url=urls.progress_city(city.city.slug),
        title=f"{name}推进情况",
        template=CITY_TEMPLATE,
        city=name,
        table=Table(HEADINGS, (_row(figures, None),)),
        rules=RULES,
        by_month=month_chart(f"{name}每月作品数", figures),
        forms=tuple((f, n) for f, n in zip(FORMS, figures.by_form, strict=True) if n),
        villages=tuple(villages),
        talks=tuple(
            TalkLine(
                DateText.of(t.date),
                t.title,
                " ".join(p for p in (t.area.county, t.village_name or "", t.venue) if p),
                t.status,
            )
            for t in city.talks
        ),
        stories=stories,
        story_count=len(city.stories),
        more_url=urls.city_stories(city.city.slug) if len(city.stories) > STORY_LINKS else None,
        index_url=urls.PROGRESS,
        intro=(
            f"{name}已发布作品 {figures.stories} 篇，覆盖 {figures.villages} 个村庄，"
            f"对比照片 {figures.pairs} 组；宣讲已完成 {figures.talks_held} 场，"
            f"计划 {figures.talks_planned} 场。"
        ),
    )
