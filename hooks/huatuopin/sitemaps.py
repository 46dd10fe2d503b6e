"""A sitemap search engines accept at any size. The protocol allows 50,000 URLs in one file;
a province-size site has more pages than that, and a crawler refuses the whole file.

MkDocs renders `sitemap.xml` (overrides/sitemap.xml) with every page. When it lists more than
`URLS_PER_FILE`, this splits it into `sitemap-1.xml`, `sitemap-2.xml`, … in page order
(overrides/sitemap-part.xml) and turns `sitemap.xml` into their index
(overrides/sitemap-index.xml), so the one address robots.txt gives stays right; the
compressed copy MkDocs writes beside it follows.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment
from lxml import etree

from . import urls
from .views.address import SiteAddress

URLS_PER_FILE = 50_000
NAMESPACE = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PART_TEMPLATE = "sitemap-part.xml"
INDEX_TEMPLATE = "sitemap-index.xml"


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: str = ""


def split_sitemap(site_dir: Path, env: Environment, site_url: str | None) -> list[str]:
    """Split the site's sitemap when it is too long for one file; the files written."""
    path = site_dir / urls.SITEMAP
    if not path.is_file():
        return []
    root = etree.parse(str(path)).getroot()
    entries = [
        SitemapEntry(
            url.findtext(f"{NAMESPACE}loc", "").strip(),
            url.findtext(f"{NAMESPACE}lastmod", "").strip(),
        )
        for url in root.iter(f"{NAMESPACE}url")
    ]
    if len(entries) <= URLS_PER_FILE:
        return []
    # Absolute, as the protocol asks and as robots.txt names sitemap.xml.
    address = SiteAddress.of(site_url)
    written = []
    parts = []
    for start in range(0, len(entries), URLS_PER_FILE):
        name = urls.sitemap_part(len(parts) + 1)
        text = env.get_template(PART_TEMPLATE).render(
            entries=entries[start : start + URLS_PER_FILE]
        )
        (site_dir / name).write_text(text, encoding="utf-8")
        parts.append(address.absolute(name))
        written.append(name)
    index = env.get_template(INDEX_TEMPLATE).render(sitemaps=parts)
    path.write_text(index, encoding="utf-8")
    compressed = path.with_name(path.name + ".gz")
    compressed.write_bytes(gzip.compress(index.encode("utf-8"), mtime=0))
    return [urls.SITEMAP, *written]
