"""Atom feeds of the latest stories: `/stories/feed.xml`, and one per activity beside its
listing (`/stories/activity/<slug>/feed.xml`), made with feedgen.

Each holds the latest `LATEST` published stories, newest first as the listings show them (by
date, then folder). Every date comes from the stories, never from the clock, so the same
sources give byte-identical feeds; an empty feed is dated the campaign's first day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from lxml.etree import QName, _Element

from .. import urls
from ..catalog import Catalog
from ..media.pipeline import MediaPublication
from ..models import Story
from ..vocab import ACTIVITIES
from .address import SiteAddress
from .sharing import story_variant

LATEST = 20
CHINA = ZoneInfo("Asia/Shanghai")
FEED_TYPE = "application/atom+xml"


class _Entry(FeedEntry):  # type: ignore[misc]
    """feedgen 1.0.0 writes an entry's <link>s without their `rel` and `type` (its loop
    reuses the name of the link it reads for the element it writes), so a reader would take the
    cover for the story's page: they are put back here, link by link, in the order given."""

    def atom_entry(self, extensions: bool = True) -> _Element:
        entry = super().atom_entry(extensions)
        written = [child for child in entry if QName(child).localname == "link"]
        for element, link in zip(written, self.link() or [], strict=True):
            for name in ("rel", "type"):
                if link.get(name):
                    element.set(name, link[name])
        return entry


def _published(story: Story) -> dt.datetime:
    """A story has a date, not a time: midnight in Henan."""
    return dt.datetime.combine(story.date, dt.time(0), CHINA)


def _updated(story: Story) -> dt.datetime:
    """When its text last changed, as far as the sources say: its latest 更正, else its date."""
    latest = max((c.date for c in story.corrections), default=story.date)
    return dt.datetime.combine(latest, dt.time(0), CHINA)


def story_feed(
    *,
    path: str,
    listing: str,
    title: str,
    subtitle: str,
    stories: Sequence[Story],
    first_day: dt.date,
    address: SiteAddress,
    media: MediaPublication,
) -> bytes:
    """The Atom feed at `path` of the newest of `stories` (newest first), whose web page is
    the listing at `listing`."""
    latest = stories[:LATEST]
    feed = FeedGenerator()
    feed.id(address.absolute(path))
    feed.title(title)
    feed.subtitle(subtitle)
    feed.link(href=address.absolute(path), rel="self", type=FEED_TYPE)
    feed.link(href=address.absolute(listing), rel="alternate", type="text/html")
    feed.language("zh-CN")
    newest = max((_updated(s) for s in latest), default=None)
    feed.updated(newest or dt.datetime.combine(first_day, dt.time(0), CHINA))
    for story in latest:
        entry = feed.add_entry(_Entry(), order="append")
        link = address.absolute(story.url)
        entry.id(link)
        entry.title(story.title)
        entry.link(href=link, rel="alternate", type="text/html")
        for author in story.authors:
            entry.author(name=author.name)
        entry.summary(story.summary)
        entry.published(_published(story))
        entry.updated(_updated(story))
        entry.category(term=story.activity, label=story.activity)
        image = story_variant(media.of(story), story)
        if image is not None:
            entry.link(href=address.absolute(image.url), rel="enclosure", type="image/jpeg")
    return feed.atom_str(pretty=True)


def story_feeds(
    catalog: Catalog, media: MediaPublication, address: SiteAddress, site_name: str
) -> list[tuple[str, bytes]]:
    """(site-relative path, content) of the feed of all stories and of each activity's."""
    first_day = catalog.settings.start
    files = [
        (
            urls.STORIES_FEED,
            story_feed(
                path=urls.STORIES_FEED,
                listing=urls.STORIES,
                title=f"{site_name} · 最新采风作品",
                subtitle="河南省“话脱贫、感党恩、奋进新时代”主题活动的采风作品，从新到旧。",
                stories=catalog.stories,
                first_day=first_day,
                address=address,
                media=media,
            ),
        )
    ]
    by_activity = catalog.stories_by_activity
    for activity in ACTIVITIES:
        path = urls.activity_feed(activity.slug)
        files.append(
            (
                path,
                story_feed(
                    path=path,
                    listing=urls.activity_stories(activity.slug),
                    title=f"{site_name} · “{activity.name}”作品",
                    subtitle=activity.purpose,
                    stories=by_activity.get(activity.name, ()),
                    first_day=first_day,
                    address=address,
                    media=media,
                ),
            )
        )
    return files
