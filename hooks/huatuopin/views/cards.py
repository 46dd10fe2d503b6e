"""A story as the cards of listings, the home page and village pages show it, finished.

Templates show a card with the shared macro (partials/hp-macros.html):

    {{ m.story_card(card, base_url, order) }}    {# card: a StoryCard; order: optional LoadOrder #}

and a date with `{{ m.date_cn(date) }}` (date: a DateText).
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..media.markup import THUMBNAIL_SIZES, first_seen
from ..media.records import ImageAsset, StoryAssets
from ..models import Story

TRAIL_SEPARATOR = " › "
NAME_SEPARATOR = "、"


@dataclass(frozen=True)
class DateText:
    """A date as a reader sees it (2021年3月12日) and as <time datetime> gives it to machines."""

    iso: str
    text: str

    @classmethod
    def of(cls, date: dt.date) -> DateText:
        return cls(date.isoformat(), f"{date.year}年{date.month}月{date.day}日")


@dataclass(frozen=True)
class StoryCard:
    """One story in a list: what its card says and where it links."""

    url: str  # site-relative: the story's page
    title: str
    activity: str
    form: str
    trail: str  # 市 › 县 › 乡镇 › 村
    summary: str
    date: DateText
    byline: str  # the authors' names
    sample: bool
    draft: bool
    # The photo a reader sees first on the story's page (its cover, else its first pair's
    # "after" photo); None for a story without photos, whose card stays text only. It is
    # decorative: the card's title already names the link.
    thumbnail: ImageAsset | None = None
    thumbnail_sizes: str = THUMBNAIL_SIZES

    @classmethod
    def of(cls, story: Story, assets: StoryAssets) -> StoryCard:
        return cls(
            url=story.url,
            title=story.title,
            activity=story.activity,
            form=story.form,
            trail=TRAIL_SEPARATOR.join(story.place.trail),
            summary=story.summary,
            date=DateText.of(story.date),
            byline=NAME_SEPARATOR.join(author.name for author in story.authors),
            sample=story.sample,
            draft=story.draft,
            thumbnail=first_seen(story, assets),
        )


def story_cards(
    stories: Iterable[Story], media: Callable[[Story], StoryAssets]
) -> tuple[StoryCard, ...]:
    """Cards for `stories`, with each story's derived media from `media` (MediaPublication.of)."""
    return tuple(card_of(story, media(story)) for story in stories)


# A story shows on four listings or more (all, its activity, its city, its village): its card
# is made once per story and its assets. A Story is frozen and compared by identity, so the
# same object with the same assets makes the same card; it goes when its Catalog goes.
_cards: weakref.WeakKeyDictionary[Story, tuple[StoryAssets, StoryCard]] = (
    weakref.WeakKeyDictionary()
)


def card_of(story: Story, assets: StoryAssets) -> StoryCard:
    made = _cards.get(story)
    if made is not None and made[0] is assets:
        return made[1]
    card = StoryCard.of(story, assets)
    _cards[story] = (assets, card)
    return card
