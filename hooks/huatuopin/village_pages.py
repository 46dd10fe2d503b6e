"""Village pages: the `/villages/` index, one page per city, the pages of villages known only
from stories, the income chart's geometry, and the parts of a village page's content."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from jinja2 import Environment
from markupsafe import Markup

from . import safehtml, urls
from .catalog import Catalog
from .gazetteer import City, County, Gazetteer
from .media.markup import STORY_SIZES, LoadOrder, PairView, story_pairs
from .media.pipeline import MediaPublication
from .models import Story
from .pages import GeneratedPage
from .searchindex import search_scope
from .villages.records import IncomeYear, Village

INDEX_TITLE = "村庄"
PLANS_HEADING = "话未来"

# -- the index and the city pages ------------------------------------------------------------


@dataclass
class CountyGroup:
    county: County
    villages: list[Village]  # by slug, so the order is stable and close to pinyin order
    city_slug: str
    story_count: int  # of all its villages

    @property
    def url(self) -> str:
        return urls.county_villages(self.city_slug, self.county.slug)


@dataclass
class CityGroup:
    city: City
    counties: list[CountyGroup] = field(default_factory=list)  # in the gazetteer's order

    @property
    def url(self) -> str:
        return urls.city_villages(self.city.slug)

    @property
    def village_count(self) -> int:
        return sum(len(c.villages) for c in self.counties)

    @property
    def story_count(self) -> int:
        return sum(c.story_count for c in self.counties)


def village_directory(catalog: Catalog, gazetteer: Gazetteer) -> list[CityGroup]:
    """Every city of the gazetteer, with its counties that have villages."""
    by_county: dict[tuple[str, str], list[Village]] = {}
    for village in catalog.villages.values():  # in slug order
        by_county.setdefault((village.city, village.county), []).append(village)
    groups = []
    for city in gazetteer.cities.values():
        group = CityGroup(city)
        for county in city.counties.values():
            villages = by_county.get((city.name, county.name))
            if villages:
                count = sum(len(catalog.stories_of(village)) for village in villages)
                group.counties.append(CountyGroup(county, villages, city.slug, count))
        groups.append(group)
    return groups


def village_pages(catalog: Catalog, gazetteer: Gazetteer) -> list[GeneratedPage]:
    """`/villages/`, `/villages/<city>/` for every city, `/villages/<city>/<county>/` for every
    county with villages, and the page of every village that has no profile (a profile is its
    own page's source)."""
    directory = village_directory(catalog, gazetteer)
    pages = [
        GeneratedPage(
            urls.VILLAGES,
            INDEX_TITLE,
            "village-index.html",
            {"directory": directory},
        )
    ]
    for group in directory:
        pages.append(
            GeneratedPage(
                group.url,
                f"{group.city.name}的村庄",
                "village-city.html",
                {"city_group": group},
            )
        )
        # A reader who trims a village URL to its county finds the county's villages there.
        for county_group in group.counties:
            pages.append(
                GeneratedPage(
                    county_group.url,
                    f"{county_group.county.name}的村庄",
                    "village-county.html",
                    {"city_group": group, "county_group": county_group},
                )
            )
    for village in catalog.villages.values():
        if village.profile is None:
            pages.append(GeneratedPage(village.url, village.title, "village.html", searchable=True))
    return pages


# -- the income chart ------------------------------------------------------------------------

CHART_HEIGHT = 200
CHART_TOP = 28  # room for the value above the tallest bar
CHART_BOTTOM = 26  # room for the years under the baseline
CHART_SIDE = 10
CHART_SLOT = 42  # horizontal room per year, at least
CHART_CHAR_WIDTH = 7.6  # a digit of the 13px bold figures (site.css), with room to spare
CHART_MIN_WIDTH = 320
BAR_SHARE = 0.62
CHART_MIN_SCALE = 0.85  # 13px figures (site.css) are drawn no smaller than 11px


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


@dataclass(frozen=True)
class IncomeChart:
    """Geometry of a bar chart drawn as SVG by `partials/village-income.html`."""

    bars: list[Bar]
    width: int
    height: int
    baseline: float
    summary: str  # one sentence with the first and the latest figure

    @property
    def scrolls(self) -> bool:
        """Wider than a phone: drawn at its own size in a frame that scrolls sideways."""
        return self.width > CHART_MIN_WIDTH

    @property
    def min_width(self) -> int:
        """The narrowest the chart is drawn (CSS px): its figures stay at least 11px high."""
        return round(self.width * CHART_MIN_SCALE)

    @property
    def year_y(self) -> float:
        return self.baseline + 18


def format_amount(amount: float) -> str:
    """35.0 → "35", 3.50 → "3.5", 0.856 → "0.86"."""
    text = f"{amount:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def income_chart(income: list[IncomeYear]) -> IncomeChart | None:
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
            Bar(
                item.year,
                item.amount,
                label,
                x,
                round(baseline - height, 1),
                bar_width,
                height,
            )
        )
    return IncomeChart(bars, width, CHART_HEIGHT, baseline, _summary(income))


def _summary(income: list[IncomeYear]) -> str:
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


# -- before-and-after pairs ------------------------------------------------------------------


@dataclass(frozen=True)
class VillagePairs:
    """The pairs of a village's stories, newest story first, for `partials/media-pair.html`."""

    views: list[PairView]
    sizes: str = STORY_SIZES
    # Pairs come after the profile and the stories: every photo of them loads lazily.
    order: LoadOrder = field(default_factory=LoadOrder)

    def __post_init__(self) -> None:
        self.order.claim()


def village_pairs(stories: tuple[Story, ...], media: MediaPublication) -> VillagePairs:
    """The pairs of a village's stories (newest first) whose images were derived."""
    return VillagePairs([view for story in stories for view in story_pairs(story, media.of(story))])


# -- a village page's content ----------------------------------------------------------------

_H2 = re.compile(r"<h2\b[^>]*>(.*?)</h2>", re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


def split_plans(html: Markup) -> tuple[Markup, Markup]:
    """(村情, 话未来): the sanitized profile body, and its section headed `## 话未来…`, which
    the page shows after the stories. Without such a heading everything is 村情.

    Both parts are slices of `html`, so they stay safe HTML."""
    headings = list(_H2.finditer(html))
    for index, heading in enumerate(headings):
        if _TAGS.sub("", heading.group(1)).strip().startswith(PLANS_HEADING):
            end = headings[index + 1].start() if index + 1 < len(headings) else len(html)
            return html[: heading.start()] + html[end:], html[heading.start() : end]
    return html, html[:0]


@dataclass(frozen=True)
class VillageContent:
    content: Markup  # the page's content: what search indexes
    plans: Markup  # the 话未来 section, placed by the template


def village_content(
    env: Environment,
    village: Village,
    stories: tuple[Story, ...],
    html: Markup,
    base_url: str,
    *,
    full_text: bool,
) -> VillageContent:
    """The header with the profile card (indexed by search) and the 村情 text after it.

    Like a story body, the 村情 text stays out of the search index unless full-text search is
    on: every page load fetches the whole index (DESIGN.md).
    """
    intro, plans = split_plans(html)
    header = safehtml.render(
        env, "partials/village-header.html", village=village, stories=stories, base_url=base_url
    )
    if intro.strip():
        header += search_scope(env, intro, "hp-village-intro", indexed=full_text)
    return VillageContent(header, plans)
