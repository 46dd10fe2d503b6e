"""`/robots.txt`: crawlers may read every page, and find the sitemap MkDocs writes."""

from __future__ import annotations

from .. import urls
from .address import SiteAddress


def robots_txt(address: SiteAddress) -> tuple[str, str]:
    """(path, content) of the site's robots.txt: the sitemap's URL must be absolute."""
    lines = ["User-agent: *", "Allow: /", "", f"Sitemap: {address.absolute(urls.SITEMAP)}"]
    return urls.ROBOTS, "\n".join(lines) + "\n"
