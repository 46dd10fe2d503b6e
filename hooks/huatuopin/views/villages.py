"""The village pages (a profile's, or generated for a village known only from stories), the
`/villages/` index, and the city and county pages, as views.

No page of them grows with the province (DESIGN.md: overview pages stay bounded): the index
shows cities and their counties with counts, a city page its counties, a county page its
villages a page at a time, and a village page its newest stories, the older ones on the
village's own listing pages (`…/page/<N>/`).

A village page is one article: the header with the profile card (indexed by search), the
村情 text, the income chart, the first secretaries, the stories by activity, the before-and-
after pairs, the troupe's talks held there and the 话未来 section. Its view renders all of it
into the page's content from the sanitized profile body (`VillageView.content`), so nothing
is carried from one MkDocs event to the next; search indexes the header, and the profile's
text only with `extra.campaign.search_full_text` (DESIGN.md: the index is budgeted).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .. import urls
from ..catalog import Catalog
from ..gazetteer import Gazetteer
from ..media.markup import STORY_SIZES, PairView, story_pairs
from ..media.pipeline import MediaPublication
from ..models import Story, VillageKey
from ..search.terms import name_words, pinyin_terms
from ..troupe.models import Talk
from ..villages.records import FirstSecretary, Village, VillageProfile, YearMonth
from ..vocab import ACTIVITIES, Activity
from . import Rendering, SearchEntry, View
from .cards import StoryCard, story_cards
from .income_chart import IncomeChart, income_chart
from .pagination import Pager, page_slots
from .stories import StoryListing, StoryListingView
from .troupe import TalkEntry, talk_entry
from .village_directory import (
    CityGroup,
    CountyGroup,
    VillageCard,
    VillageDirectory,
    village_directory,
)

INDEX_TITLE = "村庄"
VILLAGE_LABEL = "村庄"  # beside a village in the search results
# The highest weight (search/indexer.py): a village's name finds its page before the
# stories naming it.
VILLAGE_NAME_WEIGHT = 10
PLANS_HEADING = "话未来"
# A village card is about 500 bytes of HTML: a county's page of 100 stays near 50 KB, under
# the 100 KB a page may weigh, and the busiest county of Henan (some 600 villages) needs 6.
VILLAGES_PER_PAGE = 100
# A city's page shows its newest few stories under its counties; the rest are on its listing.
CITY_LATEST = 3
# A village page shows the pairs of its newest stories, at most this many (each is two
# <picture>s of 4 widths in 2 formats, about 2.5 KB); every pair is on its story's page and
# in the gallery.
VILLAGE_PAIRS = 8

# -- the village page's view model -----------------------------------------------------------


@dataclass(frozen=True)
class Link:
    text: str
    url: str  # site-relative, from `urls` or a record's `url`


@dataclass(frozen=True)
class ProfileFacts:
    """The profile card under the village's name."""

    households: int | None
    population: int | None
    exit_year: int | None
    industries: tuple[str, ...]
    support_units: str  # the units, joined as a reader reads a list

    @classmethod
    def of(cls, profile: VillageProfile) -> ProfileFacts:
        return cls(
            households=profile.households,
            population=profile.population,
            exit_year=profile.exit_year,
            industries=profile.industries,
            support_units="、".join(profile.support_units),
        )


@dataclass(frozen=True)
class MonthText:
    iso: str  # for <time datetime>
    text: str  # 2014年3月

    @classmethod
    def of(cls, month: YearMonth) -> MonthText:
        return cls(month.iso, str(month))


@dataclass(frozen=True)
class SecretaryTerm:
    """A first secretary's term; without an end, still serving."""

    name: str
    unit: str
    start: MonthText
    end: MonthText | None

    @property
    def serving(self) -> bool:
        return self.end is None

    @classmethod
    def of(cls, secretary: FirstSecretary) -> SecretaryTerm:
        end = MonthText.of(secretary.end) if secretary.end is not None else None
        return cls(secretary.name, secretary.unit, MonthText.of(secretary.start), end)


@dataclass(frozen=True)
class ActivityGroup:
    """The village's stories of one activity, newest first."""

    name: str
    url: str  # the activity's listing
    stories: tuple[StoryCard, ...]

    @property
    def count(self) -> int:
        return len(self.stories)


@dataclass(frozen=True)
class VillagePairs:
    """The before-and-after pairs of the village's stories, newest story first. They come after
    the profile and the stories, so every photo of them loads lazily."""

    views: tuple[PairView, ...]
    total: int  # of the stories shown, before the page's cap
    sizes: str = STORY_SIZES

    @property
    def count(self) -> int:
        return len(self.views)

    @property
    def capped(self) -> bool:
        return self.total > self.count


@dataclass(frozen=True)
class VillageTalks:
    """The troupe's talks held or planned in the village, by date and time."""

    place: str  # the village's name, for the heading
    talks: tuple[TalkEntry, ...]
    schedule_url: str


@dataclass(frozen=True)
class VillageArticle:
    """Everything a village page shows besides the profile's own text, finished."""

    name: str
    trail: tuple[Link, ...]  # 村庄 › 市 › 县 (济源示范区 has no county)
    township: str | None
    story_count: int  # all of the village's stories
    shown_count: int  # the newest, on this page; the rest on the pages `pager` links
    sample: bool
    facts: ProfileFacts | None  # None: no profile yet (资料待补充)
    chart: IncomeChart | None
    secretaries: tuple[SecretaryTerm, ...]  # earliest first
    story_groups: tuple[ActivityGroup, ...]  # the shown stories, in campaign order
    pager: Pager  # the village's stories: this page first, the older ones after
    pairs: VillagePairs
    talks: VillageTalks
    more: tuple[Link, ...]  # the footer: the city's villages and stories, every village
    poster_url: str  # the printable A4 poster for the notice board


def village_trail(village: Village) -> tuple[Link, ...]:
    """村庄 › 市 › 县 above a village (济源示范区 has no county)."""
    trail = [
        Link(INDEX_TITLE, urls.VILLAGES),
        Link(village.city, urls.city_villages(village.city_slug)),
    ]
    if village.county != village.city:
        trail.append(
            Link(village.county, urls.county_villages(village.city_slug, village.county_slug))
        )
    return tuple(trail)


def village_article(
    village: Village,
    stories: tuple[Story, ...],
    first: tuple[Story, ...],  # the newest of `stories`, which the page shows
    pager: Pager,
    talks: tuple[Talk, ...],
    media: MediaPublication,
) -> VillageArticle:
    profile = village.profile
    city_villages = urls.city_villages(village.city_slug)
    return VillageArticle(
        name=village.name,
        trail=village_trail(village),
        township=village.township,
        story_count=len(stories),
        shown_count=len(first),
        sample=village.sample,
        facts=ProfileFacts.of(profile) if profile is not None else None,
        chart=income_chart(profile.income) if profile is not None else None,
        secretaries=tuple(
            SecretaryTerm.of(s) for s in (profile.first_secretaries if profile else ())
        ),
        story_groups=tuple(
            ActivityGroup(
                activity.name, urls.activity_stories(activity.slug), story_cards(items, media.of)
            )
            for activity, items in by_activity(first)
        ),
        pager=pager,
        pairs=village_pairs(first, media),
        talks=VillageTalks(
            village.name,
            tuple(talk_entry(talk, link_village=False) for talk in talks),
            urls.SCHEDULE,
        ),
        more=(
            Link(f"{village.city}的村庄", city_villages),
            Link(f"{village.city}的采风作品", urls.city_stories(village.city_slug)),
            Link(f"全部{INDEX_TITLE}", urls.VILLAGES),
        ),
        poster_url=urls.village_poster(village.city_slug, village.county_slug, village.slug),
    )


def by_activity(stories: tuple[Story, ...]) -> list[tuple[Activity, list[Story]]]:
    """`stories` grouped by activity in campaign order, keeping their order in each."""
    groups: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        groups[story.activity].append(story)
    return [(activity, groups[activity.name]) for activity in ACTIVITIES if activity.name in groups]


def village_pairs(stories: tuple[Story, ...], media: MediaPublication) -> VillagePairs:
    """The pairs of `stories` (newest first) whose two images were derived, at most
    `VILLAGE_PAIRS` of them."""
    views = [view for story in stories for view in story_pairs(story, media.of(story))]
    return VillagePairs(tuple(views[:VILLAGE_PAIRS]), total=len(views))


# -- the profile's text ----------------------------------------------------------------------

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


# -- the views -------------------------------------------------------------------------------

ARTICLE_TEMPLATE = "partials/village-article.html"
STORIES_TEMPLATE = "village-story-list.html"


@dataclass(frozen=True, kw_only=True)
class VillageView(View):
    """A village's page: its profile's Markdown, or generated when it has no profile."""

    village: VillageArticle

    def content(self, body: Markup, rendering: Rendering) -> Markup:
        """The whole article: the body's 村情 after the header, its 话未来 section last, the
        generated parts between them."""
        intro, plans = split_plans(body)
        return rendering.render(
            ARTICLE_TEMPLATE,
            village=self.village,
            intro=intro if intro.strip() else None,
            plans=plans or None,
            full_text=rendering.full_text,
        )

    def context(self) -> Mapping[str, Any]:
        return {"village": self.village}


@dataclass(frozen=True, kw_only=True)
class VillageIndexView(View):
    """`/villages/`: every city with villages and its counties with their counts; a village
    is found on its county's page (or by search)."""

    directory: VillageDirectory

    def context(self) -> Mapping[str, Any]:
        return {"directory": self.directory}


@dataclass(frozen=True, kw_only=True)
class CityVillagesView(View):
    """`/villages/<city>/`: the city's counties with their counts, and its newest stories
    (every city has one)."""

    city: CityGroup
    latest: tuple[StoryCard, ...]  # the city's newest CITY_LATEST stories

    def context(self) -> Mapping[str, Any]:
        return {"city": self.city, "latest": self.latest, "villages_url": urls.VILLAGES}


@dataclass(frozen=True, kw_only=True)
class CountyVillagesView(View):
    """`/villages/<city>/<county>/` and its `page/<N>/`: the county's villages, a page at a
    time; the first page is where a reader lands who trims a village URL."""

    city: CityGroup
    county: CountyGroup
    villages: tuple[VillageCard, ...]  # this page's
    pager: Pager

    def context(self) -> Mapping[str, Any]:
        return {
            "city": self.city,
            "county": self.county,
            "villages": self.villages,
            "pager": self.pager,
            "villages_url": urls.VILLAGES,
        }


def county_pages(city: CityGroup, county: CountyGroup) -> list[View]:
    return [
        CountyVillagesView(
            url=slot.url,
            title=slot.title,
            template="village-county.html",
            city=city,
            county=county,
            villages=slot.items,
            pager=slot.pager,
        )
        for slot in page_slots(
            county.url, f"{county.name}的村庄", county.villages, VILLAGES_PER_PAGE
        )
    ]


@dataclass(frozen=True, kw_only=True)
class VillageStoriesView(StoryListingView):
    """`…/<village>/page/<N>/`: a busy village's older stories, a listing whose first page
    is the village's own."""

    trail: tuple[Link, ...]  # 村庄 › 市 › 县 › 村

    def context(self) -> Mapping[str, Any]:
        return {**super().context(), "trail": self.trail}


def older_story_pages(
    village: Village,
    trail: tuple[Link, ...],
    stories: tuple[Story, ...],
    per_page: int,
    media: MediaPublication,
) -> tuple[Pager, list[View]]:
    """The village's stories as a listing whose first page is the village's own: its pager,
    and the listing pages of the older stories (`…/<village>/page/2/` on)."""
    title = f"{village.name}的采风作品"
    intro = f"写{village.title}的采风作品，按时间从新到旧排列。"
    slots = page_slots(village.url, title, stories, per_page)
    pages: list[View] = [
        VillageStoriesView(
            url=slot.url,
            title=slot.title,
            template=STORIES_TEMPLATE,
            listing=StoryListing(
                title, intro, len(stories), story_cards(slot.items, media.of), slot.pager
            ),
            trail=(*trail, Link(village.name, village.url)),
        )
        for slot in slots[1:]
    ]
    return slots[0].pager, pages


def village_views(catalog: Catalog, media: MediaPublication, gazetteer: Gazetteer) -> list[View]:
    directory = village_directory(catalog, gazetteer)
    views: list[View] = [
        VillageIndexView(
            url=urls.VILLAGES, title=INDEX_TITLE, template="village-index.html", directory=directory
        )
    ]
    by_city = catalog.stories_by_city
    for city in directory.cities:
        views.append(
            CityVillagesView(
                url=city.url,
                title=f"{city.name}的村庄",
                template="village-city.html",
                city=city,
                latest=story_cards(by_city.get(city.slug, [])[:CITY_LATEST], media.of),
            )
        )
        for county in city.counties:
            views += county_pages(city, county)
    talks = _talks_by_village(catalog)
    per_page = catalog.settings.stories_per_page
    for village in catalog.villages.values():
        stories = catalog.stories_of(village)
        trail = village_trail(village)
        pager, older = older_story_pages(village, trail, stories, per_page, media)
        article = village_article(
            village, stories, stories[:per_page], pager, talks.get(village.key, ()), media
        )
        views.append(
            VillageView(
                url=village.url,
                title=village.title,
                template="village.html",
                search=SearchEntry(
                    VILLAGE_LABEL,
                    village.title,
                    terms=pinyin_terms(village.name, village.slug),
                    names=name_words(village.name),
                    name_weight=VILLAGE_NAME_WEIGHT,
                ),
                source=village.profile.src_uri if village.profile is not None else None,
                village=article,
            )
        )
        views += older
    return views


def _talks_by_village(catalog: Catalog) -> dict[VillageKey, tuple[Talk, ...]]:
    """Each talk holds its resolved village; the troupe's talks are by date and time."""
    groups: dict[VillageKey, list[Talk]] = defaultdict(list)
    for talk in catalog.troupe.talks:
        if talk.village is not None:
            groups[talk.village.key].append(talk)
    return {key: tuple(talks) for key, talks in groups.items()}
