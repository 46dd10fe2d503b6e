"""A link to a moved story's old address still reaches the story on a phone, from a plain
static server (no nginx, no 301): the sample's redirects.yml moves one story."""

from __future__ import annotations

import pytest
import sitekit

pytestmark = pytest.mark.browser

OLD = "/stories/2021-03-12-zhangzhuang/"  # the sample redirects.yml's old address
NEW = "/stories/2021-03-12-zhangzhuang-guangfu/"


@pytest.mark.parametrize("scripts", [True, False], ids=["scripts", "no scripts"])
def test_the_old_address_lands_on_the_story(
    sample_site: sitekit.StaticSite, new_phone: sitekit.PhoneFactory, scripts: bool
) -> None:
    title = sitekit.front_matter(sitekit.REPO_ROOT / f"docs{NEW}index.md")["title"]
    phone = new_phone(java_script_enabled=scripts)
    phone.page.goto(sample_site.url(OLD))
    phone.page.wait_for_url(sample_site.url(NEW), timeout=10_000)
    assert phone.page.locator("h1").first.inner_text() == title
