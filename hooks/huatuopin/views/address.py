"""The site's absolute address, for what is read off the site: shared links, feeds, QR codes."""

from __future__ import annotations

from dataclasses import dataclass

from .troupe import FALLBACK_SITE_URL


@dataclass(frozen=True)
class SiteAddress:
    """The site's absolute address (`site_url`), for everything read off the site."""

    base: str  # absolute, with a trailing slash

    @classmethod
    def of(cls, site_url: str | None) -> SiteAddress:
        base = site_url or FALLBACK_SITE_URL
        return cls(base if base.endswith("/") else base + "/")

    def absolute(self, path: str) -> str:
        return self.base + path
