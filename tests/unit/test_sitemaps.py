"""A sitemap with more URLs than one file may hold becomes an index of parts, each within the
protocol's limit, every page listed once in its order; a site that fits keeps one file."""

from __future__ import annotations

import gzip
from html import escape
from pathlib import Path

import pytest
import sitekit
from huatuopin import safehtml, sitemaps
from huatuopin.views.address import SiteAddress
from jinja2 import Environment, FileSystemLoader
from lxml import etree

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE_URL = "https://huatuopin.example.cn/henan/"


def overrides_env() -> Environment:
    folder = sitekit.REPO_ROOT / "overrides"
    return safehtml.autoescape_overrides(Environment(loader=FileSystemLoader(folder)), folder)


def write_sitemap(site_dir: Path, locs: list[str]) -> None:
    entries = "".join(
        f"<url><loc>{escape(loc)}</loc><lastmod>2021-07-01</lastmod></url>" for loc in locs
    )
    (site_dir / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>',
        encoding="utf-8",
    )


def locs_of(path: Path, tag: str) -> list[str]:
    root = etree.parse(str(path)).getroot()
    return [loc.text for loc in root.iterfind(f"s:{tag}/s:loc", NS)]


def test_a_sitemap_over_the_limit_becomes_an_index_of_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sitemaps, "URLS_PER_FILE", 2)
    pages = [f"{SITE_URL}stories/{n}/" for n in range(4)] + [f"{SITE_URL}search/?q=a&b=1"]
    write_sitemap(tmp_path, pages)

    written = sitemaps.split_sitemap(tmp_path, overrides_env(), SITE_URL)

    parts = ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    assert written == ["sitemap.xml", *parts]
    index = tmp_path / "sitemap.xml"
    assert etree.parse(str(index)).getroot().tag == f"{{{NS['s']}}}sitemapindex"
    assert locs_of(index, "sitemap") == [SITE_URL + part for part in parts]
    listed = [loc for part in parts for loc in locs_of(tmp_path / part, "url")]
    assert listed == pages  # each page once, in order; the & read back as it was
    assert [len(locs_of(tmp_path / part, "url")) for part in parts] == [2, 2, 1]
    assert "<lastmod>2021-07-01</lastmod>" in (tmp_path / parts[0]).read_text("utf-8")
    compressed = (tmp_path / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(compressed) == index.read_bytes()


def test_a_sitemap_within_the_limit_is_left_as_it_is(tmp_path: Path) -> None:
    write_sitemap(tmp_path, [f"{SITE_URL}stories/{n}/" for n in range(3)])
    before = (tmp_path / "sitemap.xml").read_bytes()

    assert sitemaps.split_sitemap(tmp_path, overrides_env(), SITE_URL) == []
    assert (tmp_path / "sitemap.xml").read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["sitemap.xml"]


def test_without_a_site_url_the_parts_have_the_address_robots_txt_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sitemaps, "URLS_PER_FILE", 1)
    write_sitemap(tmp_path, ["/a/", "/b/"])
    sitemaps.split_sitemap(tmp_path, overrides_env(), None)
    fallback = SiteAddress.of(None)
    assert locs_of(tmp_path / "sitemap.xml", "sitemap") == [
        fallback.absolute("sitemap-1.xml"),
        fallback.absolute("sitemap-2.xml"),
    ]
