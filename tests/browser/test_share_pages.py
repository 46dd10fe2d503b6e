"""The feeds a page names in its head, on a phone: found by their `alternate` token, and never
taken by Material's script for a translation of the site (it would fetch a sitemap.xml beside
each on every page load: a request off the site, or a 404 on it)."""

from __future__ import annotations

import pytest
import sitekit

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("url", ["/", "/stories/", "/stories/activity/huicunkan/", "/gallery/"])
def test_pages_with_feeds_fetch_no_sitemap(
    phone: sitekit.Phone, sample_site: sitekit.StaticSite, url: str
) -> None:
    page = phone.open(sample_site.url(url))
    page.wait_for_load_state("networkidle")
    feeds = page.eval_on_selector_all(
        "link[rel~=alternate][type='application/atom+xml']", "links => links.map(l => l.href)"
    )
    assert feeds and all(feed.endswith("feed.xml") for feed in feeds)
    assert [r for r in phone.requests if "sitemap.xml" in r or r.endswith("feed.xml")] == []
