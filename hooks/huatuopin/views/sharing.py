"""Every page's `Share` (views/share.py): what its link shows when it is shared in WeChat.

Readers mostly arrive from links forwarded in WeChat, which reads the page's Open Graph tags:
its own description (a story's summary, a village's figures, a listing's purpose and page),
an absolute URL, and an image of at least 300×300 (WeChat shows nothing smaller). The image is
one of the derived JPEGs (WeChat does not show every WebP), the story's cover or its first
pair's "after" photo, the village's first such photo, or the campaign's image otherwise.

`share_views` gives each view of a build its `Share` once every view is made;
partials/share-meta.html prints it, and the hooks hand `Share.description` to Material as the
page's meta description (escaped there, once, like every title).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from .. import urls
from ..catalog import Catalog
from ..media.pipeline import MediaPublication
from ..media.records import ImageAsset, StoryAssets, Variant
from ..models import Story
from ..villages.records import Village
from ..vocab import ACTIVITIES
from . import View, ViewSet
from .address import SiteAddress
from .changes import ChangesView
from .gallery import GalleryPage
from .home import HomeView
from .pagination import Pager
from .problems import ProblemsView
from .progress import ProgressCityView, ProgressView
from .search import SEARCH_DESCRIPTION, SearchPageView
from .share import FeedLink, Share, ShareImage
from .stories import StoryListingView, StoryView
from .troupe import TalkListView, TroupeView
from .villages import CityVillagesView, CountyVillagesView, VillageIndexView, VillageView
from .withdrawn import WITHDRAWN_DESCRIPTION, WithdrawnView

ARTICLE = "article"
WEBSITE = "website"
# WeChat shows no thumbnail for a smaller image; a wider one costs a phone bytes for nothing.
MIN_SIDE = 300
PREFERRED_WIDTH = 1080
# docs/assets/share.png: the campaign's name on red, made once and committed.
DEFAULT_IMAGE_SIZE = (600, 600)
FEED_TITLE = "最新采风作品"


@dataclass(frozen=True)
class Sharer:
    """What every page's `Share` is made from."""

    address: SiteAddress
    site_name: str
    media: MediaPublication

    @property
    def default_image(self) -> ShareImage:
        width, height = DEFAULT_IMAGE_SIZE
        return ShareImage(self.address.absolute(urls.SHARE_IMAGE), width, height, "image/png")

    def image(self, variant: Variant | None) -> ShareImage:
        if variant is None:
            return self.default_image
        return ShareImage(
            self.address.absolute(variant.url), variant.width, variant.height, "image/jpeg"
        )

    def story_image(self, stories: Iterable[Story]) -> ShareImage:
        """The first of the stories' photos big enough to be shown."""
        for story in stories:
            variant = story_variant(self.media.of(story), story)
            if variant is not None:
                return self.image(variant)
        return self.default_image

    def feed(self, path: str, title: str) -> FeedLink:
        return FeedLink(title, self.address.absolute(path))

    def share(
        self,
        view: View,
        description: str,
        *,
        kind: str = WEBSITE,
        image: ShareImage | None = None,
        feeds: tuple[FeedLink, ...] = (),
        indexed: bool = True,
    ) -> Share:
        return Share(
            kind=kind,
            title=view.title,
            description=description,
            url=self.address.absolute(view.url),
            site_name=self.site_name,
            image=image or self.default_image,
            feeds=feeds,
            indexed=indexed,
        )


# -- images ----------------------------------------------------------------------------------


def shareable(asset: ImageAsset) -> Variant | None:
    """The asset's JPEG to show with a shared link: at least MIN_SIDE on both sides, the
    widest up to PREFERRED_WIDTH, else the narrowest bigger one; None when none is that big."""
    big = [v for v in asset.jpeg if min(v.width, v.height) >= MIN_SIDE]  # smallest first
    fitting = [v for v in big if v.width <= PREFERRED_WIDTH]
    if fitting:
        return fitting[-1]
    return big[0] if big else None


def _candidates(assets: StoryAssets, story: Story) -> Iterator[ImageAsset]:
    """The cover, then each pair's "after" photo, in the story's order."""
    cover = assets.get("cover")
    if isinstance(cover, ImageAsset):
        yield cover
    for index in range(len(story.pairs)):
        _before, after = assets.pair_images(index)
        if after is not None:
            yield after


def story_variant(assets: StoryAssets, story: Story) -> Variant | None:
    for asset in _candidates(assets, story):
        variant = shareable(asset)
        if variant is not None:
            return variant
    return None


# -- descriptions ----------------------------------------------------------------------------


def page_note(pager: Pager) -> str:
    """`第 2 页，共 3 页。` on a listing of several pages; nothing on one of a single page."""
    return f"第 {pager.number} 页，共 {pager.page_count} 页。" if pager.shown else ""


def village_sentence(village: Village, story_count: int) -> str:
    """A village's figures as one sentence: where it is, its size, when it left poverty, what
    it lives on, and what there is to read."""
    parts = [f"{village.name}位于{''.join(village.place.trail[:-1])}"]
    profile = village.profile
    if profile is not None:
        size = []
        if profile.households is not None:
            size.append(f"{profile.households} 户")
        if profile.population is not None:
            size.append(f"{profile.population} 人")
        if size:
            parts.append("全村 " + "、".join(size))
        if profile.exit_year is not None:
            parts.append(f"{profile.exit_year} 年脱贫")
        if profile.industries:
            parts.append("主导产业有" + "、".join(profile.industries))
    sentence = "，".join(parts) + "。"
    if story_count:
        sentence += f"这里有写这个村的 {story_count} 篇采风作品。"
    return sentence


# -- every view ------------------------------------------------------------------------------


def share_views(views: ViewSet, catalog: Catalog, sharer: Sharer) -> None:
    """Give every page of `views` its Share."""
    villages = {village.url: village for village in catalog.villages.values()}
    activity_feeds = {
        urls.activity_stories(a.slug): sharer.feed(urls.activity_feed(a.slug), f"“{a.name}”作品")
        for a in ACTIVITIES
    }
    everything = sharer.feed(urls.STORIES_FEED, FEED_TITLE)
    for src_uri, view in list(views.views.items()):
        if view.share is not None:  # made with its own (posters)
            continue
        share = share_of(view, catalog, sharer, villages, activity_feeds, everything)
        if share is not None:
            views.views[src_uri] = replace(view, share=share)


def share_of(
    view: View,
    catalog: Catalog,
    sharer: Sharer,
    villages: dict[str, Village],
    activity_feeds: dict[str, FeedLink],
    everything: FeedLink,
) -> Share | None:
    if isinstance(view, StoryView):
        return sharer.share(
            view, view.story.summary, kind=ARTICLE, image=sharer.story_image([view.story])
        )
    if isinstance(view, StoryListingView):
        listing = view.listing
        feed = activity_feeds.get(listing.pager.first_url)
        return sharer.share(
            view,
            listing.intro + page_note(listing.pager),
            feeds=(everything, feed) if feed is not None else (everything,),
        )
    if isinstance(view, HomeView):
        home = view.home
        description = (
            f"河南省“话脱贫、感党恩、奋进新时代”主题活动：{home.city_count} 个省辖市、"
            f"{home.village_count} 个村庄的 {home.story_count} 篇采风作品，今昔对比照片，"
            "脱贫故事宣讲团日程。"
        )
        return sharer.share(
            view, description, image=sharer.story_image(catalog.stories), feeds=(everything,)
        )
    if isinstance(view, VillageView):
        village = villages[view.url]
        stories = catalog.stories_of(village)
        return sharer.share(
            view, village_sentence(village, len(stories)), image=sharer.story_image(stories)
        )
    if isinstance(view, VillageIndexView):
        directory = view.directory
        description = (
            f"全省 {directory.village_count} 个村庄的村情、集体经济收入、驻村第一书记，"
            f"和写这些村的 {directory.story_count} 篇采风作品。"
        )
        return sharer.share(view, description)
    if isinstance(view, CityVillagesView | CountyVillagesView):
        group = view.county if isinstance(view, CountyVillagesView) else view.city
        description = (
            f"{group.name}的 {group.village_count} 个村庄：村情、集体经济收入、驻村第一书记，"
            f"和 {group.story_count} 篇采风作品。"
        )
        if isinstance(view, CountyVillagesView):
            description += page_note(view.pager)
        return sharer.share(view, description)
    if isinstance(view, GalleryPage):
        gallery = view.gallery
        image = None
        for item in gallery.items:
            variant = shareable(item.pair.after)
            if variant is not None:
                image = sharer.image(variant)
                break
        return sharer.share(
            view, gallery.intro + page_note(gallery.pager), image=image, feeds=(everything,)
        )
    if isinstance(view, TroupeView):
        return sharer.share(view, view.intro)
    if isinstance(view, TalkListView):
        intro = view.intro if view.member is None else f"{view.member.category}。{view.intro}"
        description = f"{view.heading}：共 {view.talk_count} 场宣讲。{intro}"
        return sharer.share(view, description)
    if isinstance(view, ProgressView | ProgressCityView):
        return sharer.share(view, view.intro)
    if isinstance(view, SearchPageView):  # results are other pages: nothing to index here
        return sharer.share(view, SEARCH_DESCRIPTION, indexed=False)
    if isinstance(view, ProblemsView):  # `make serve` only: never for search engines
        return sharer.share(view, "本地预览：稿件里待修正的问题。", indexed=False)
    if isinstance(view, ChangesView):  # `make serve` only, as /problems/
        return sharer.share(view, "本地预览：撤稿、迁移和更正的记录。", indexed=False)
    if isinstance(view, WithdrawnView):  # nothing to find: left out of the sitemap too
        return sharer.share(view, WITHDRAWN_DESCRIPTION, indexed=False)
    return None
