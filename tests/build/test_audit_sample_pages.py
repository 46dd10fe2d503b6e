"""`make audit` finds its story and village on the repository's own site (the sample content),
as it will on the deployed one: through the sitemap, without folder names written in."""

from __future__ import annotations

import sitekit
from auditing.pages import pick_pages, served_site


def test_the_audited_story_shows_pairs_and_the_village_is_a_village_page(
    sample_site: sitekit.StaticSite,
) -> None:
    picked = pick_pages(served_site(sample_site.base_url + "/"))
    pages = {page.key: page for page in picked.pages}

    assert picked.missing == []
    assert list(pages) == [
        "home", "story", "stories", "village", "gallery", "schedule", "not-found"
    ]  # fmt: skip
    folder = pages["story"].url.removeprefix("stories/").rstrip("/")
    assert sitekit.repo_stories()[folder].get("pairs")
    village_status, village_html = sitekit.fetch(sample_site.url("/" + pages["village"].url))
    assert village_status == 200
    assert "hp-village" in village_html
    for key in ("home", "stories", "gallery", "schedule"):
        assert sitekit.fetch(sample_site.url("/" + pages[key].url))[0] == 200, key
