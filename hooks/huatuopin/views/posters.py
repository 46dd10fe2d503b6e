"""Printable A4 posters for village notice boards: one per village page
(`/villages/…/<village>/poster/`) and one per city's schedule (`/troupe/cities/<slug>/poster/`).

A poster names the campaign, the village or city, a few lines to read, and a QR code of the
page it stands for (its absolute URL, drawn at build time by segno, safehtml.qr_code), so that a
villager who scans it lands on that page. It prints on one A4 sheet (assets/poster.css) and
reads on a phone too. Posters are not pages to share or to find by search: they carry the
campaign's own image and `noindex`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .. import safehtml, urls
from ..catalog import Catalog
from ..gazetteer import Gazetteer
from ..models import Story
from ..troupe.models import PLANNED, Talk
from ..villages.records import Village
from . import View
from .cards import DateText
from .sharing import Sharer, village_sentence
from .troupe import WEEKDAYS

TEMPLATE = "poster.html"
QR_CLASS = "hp-poster__qr-code"
CAMPAIGN = "话脱贫 · 感党恩 · 奋进新时代"
# What fits one A4 sheet beside the QR code; the rest is one scan away.
LATEST_STORIES = 5
UPCOMING_TALKS = 6


@dataclass(frozen=True)
class PosterItem:
    """One line of the poster's list: a story or a talk."""

    title: str
    when: str  # 2021年3月12日 星期五 09:30–11:00, or a story's date
    where: str  # a talk's place and venue; "" for a story
    who: str  # a talk's speakers, a story's authors


@dataclass(frozen=True)
class Poster:
    campaign: str
    kicker: str  # what kind of poster: 村庄 / 脱贫故事宣讲团
    title: str
    place: str  # 开封市 › 兰考县 › 东坝头镇
    lines: tuple[str, ...]  # a few sentences
    list_heading: str
    items: tuple[PosterItem, ...]
    empty: str  # said instead of the list when it has nothing
    more: str  # under the list: what the QR code leads to
    qr: Markup  # the page's absolute URL as a QR code (inline SVG)
    target_url: str  # absolute: what the QR code holds, printed under it
    page_url: str  # site-relative: back to the page


@dataclass(frozen=True, kw_only=True)
class PosterView(View):
    """A poster page; its page's URL plus `poster/`."""

    poster: Poster

    def context(self) -> Mapping[str, Any]:
        return {"poster": self.poster}


def _poster_view(url: str, title: str, poster: Poster, sharer: Sharer) -> PosterView:
    view = PosterView(url=url, title=title, template=TEMPLATE, poster=poster)
    description = poster.lines[0] if poster.lines else f"{poster.title}：{poster.more}"
    return PosterView(
        url=url,
        title=title,
        template=TEMPLATE,
        poster=poster,
        share=sharer.share(view, description, indexed=False),
    )


def _qr(page: str, sharer: Sharer) -> tuple[Markup, str]:
    target = sharer.address.absolute(page)
    return safehtml.qr_code(target, css_class=QR_CLASS), target


# -- a village's -----------------------------------------------------------------------------


def story_item(story: Story) -> PosterItem:
    return PosterItem(
        title=story.title,
        when=DateText.of(story.date).text,
        where="",
        who="、".join(author.name for author in story.authors),
    )


def village_poster(village: Village, stories: Sequence[Story], sharer: Sharer) -> PosterView:
    qr, target = _qr(village.url, sharer)
    poster = Poster(
        campaign=CAMPAIGN,
        kicker="村庄",
        title=village.name,
        place=" › ".join(village.place.trail[:-1]),
        lines=(village_sentence(village, len(stories)),),
        list_heading="最新采风作品",
        items=tuple(story_item(story) for story in stories[:LATEST_STORIES]),
        empty="还没有写这个村的采风作品。",
        more="扫码阅读本村的全部作品、村情和今昔对比照片",
        qr=qr,
        target_url=target,
        page_url=village.url,
    )
    return _poster_view(
        urls.village_poster(village.city_slug, village.county_slug, village.slug),
        f"{village.name} · 海报",
        poster,
        sharer,
    )


# -- a city's schedule -----------------------------------------------------------------------


def talk_item(talk: Talk) -> PosterItem:
    date = talk.date
    return PosterItem(
        title=talk.title,
        when=(
            f"{date.year}年{date.month}月{date.day}日 {WEEKDAYS[date.weekday()]} "
            f"{talk.start:%H:%M}–{talk.end:%H:%M}"
        ),
        where=f"{' › '.join(talk.trail[1:]) or talk.trail[0]} · {talk.venue}",
        who="、".join(member.name for member in talk.speakers),
    )


def city_poster(
    city_name: str, city_slug: str, talks: Sequence[Talk], sharer: Sharer
) -> PosterView:
    """The city's planned talks (a poster goes up before them; held and cancelled ones are on
    the page), by date and time."""
    planned = [talk for talk in sorted(talks, key=lambda t: t.sort_key) if talk.status == PLANNED]
    page = urls.troupe_city(city_slug)
    qr, target = _qr(page, sharer)
    shown = planned[:UPCOMING_TALKS]
    lines = [f"脱贫故事宣讲团在{city_name}安排了 {len(planned)} 场宣讲。"] if planned else []
    if len(planned) > len(shown):
        lines.append(f"这里列出最近的 {len(shown)} 场。")
    poster = Poster(
        campaign=CAMPAIGN,
        kicker="脱贫故事宣讲团",
        title=f"宣讲团在{city_name}",
        place=city_name,
        lines=tuple(lines),
        list_heading="宣讲安排",
        items=tuple(talk_item(talk) for talk in shown),
        empty="暂时没有安排宣讲，扫码查看最新日程。",
        more="扫码查看全部场次，可以把日程订阅到手机日历",
        qr=qr,
        target_url=target,
        page_url=page,
    )
    return _poster_view(urls.city_poster(city_slug), f"{city_name} · 宣讲海报", poster, sharer)


def poster_views(catalog: Catalog, gazetteer: Gazetteer, sharer: Sharer) -> list[View]:
    """A poster for every village page and every city's schedule page."""
    views: list[View] = [
        village_poster(village, catalog.stories_of(village), sharer)
        for village in catalog.villages.values()
    ]
    troupe = catalog.troupe
    views += [
        city_poster(city.name, city.slug, troupe.talks_in_city(city.slug), sharer)
        for city in gazetteer.cities.values()
    ]
    return views
