"""What a link to a page shows when it is shared in WeChat: the `share` part of every view.

Readers mostly arrive from links forwarded in WeChat, which reads the page's Open Graph tags:
its own description, an absolute URL, and an image of at least 300×300. views/sharing.py makes
a `Share` for every page; partials/share-meta.html prints it, and the hooks hand
`Share.description` to Material as the page's meta description (escaped there, once, like every
title).
"""

from __future__ import annotations

from dataclasses import dataclass

LOCALE = "zh_CN"


@dataclass(frozen=True)
class ShareImage:
    url: str  # absolute
    width: int
    height: int
    type: str  # its media type


@dataclass(frozen=True)
class FeedLink:
    """An Atom feed a reader's app finds from the page's head."""

    title: str
    url: str  # absolute


@dataclass(frozen=True)
class Share:
    """A page as a shared link shows it (Open Graph), and what crawlers may do with it."""

    kind: str  # og:type
    title: str
    description: str  # also the page's meta description
    url: str  # absolute
    site_name: str
    image: ShareImage
    locale: str = LOCALE
    feeds: tuple[FeedLink, ...] = ()
    indexed: bool = True  # False: `noindex` (posters)
