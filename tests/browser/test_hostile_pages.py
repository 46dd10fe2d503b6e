"""Pages built from bodies full of payloads, in Chromium at phone size: no dialog, no
navigation, no request off 127.0.0.1 (the `phone` fixture fails on one), the page not blanked
or covered, and nothing in the DOM that could run.

The scanner is silenced for the build (tests/hostile_hook.py): only the sanitizer stands
between the payloads and the reader, as it would for anything the scanner misses.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import hostilekit
import pytest
import sitekit
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

STORY = "2021-03-12-zhangzhuang-xss"
PAGES = {
    "story": f"/stories/{STORY}/",
    "village": "/villages/kaifeng/lankao/zhangzhuang/",
    "home": "/",
}
PROFILE = (
    "---\nname: 张庄村\ntownship: 东坝头镇\ncounty: 兰考县\ncity: 开封市\n---\n\n"
    "## 村情\n\n{body}\n\n## 话未来\n\n{body}\n"
)
# Anything left that could run: handlers, script URLs in any attribute, and the elements the
# payloads used (Material's own page has none of these outside its search form).
FIND_EXECUTABLE = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
      if (attr.name.startsWith('on') || /^(javascript|vbscript|data):/.test(value)) {
        found.push(`${el.localName} ${attr.name}`);
      }
    }
  }
  const selectors = ['meta[http-equiv]', 'base', 'iframe', 'object', 'embed', 'noscript',
    'form[action]', 'input[type=password]', 'article style', 'article svg style', 'article math'];
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector)) found.push(selector);
  }
  return found;
}"""


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sitekit.StaticSite]:
    root = tmp_path_factory.mktemp("hostile")
    body = hostilekit.payload_body()
    project = sitekit.make_project(root, {STORY: sitekit.story_text("光伏板上的新日子", body=body)})
    hostilekit.write_village_profile(
        project, "kaifeng/lankao/zhangzhuang.md", PROFILE.format(body=body)
    )
    home = project / "docs" / "index.md"
    home.write_text(home.read_text(encoding="utf-8") + f"\n\n{body}\n", encoding="utf-8")
    hostilekit.add_hostile_hook(project, scanner=False)
    result = sitekit.build(project, strict=False)
    assert result.returncode == 0, result.output
    with sitekit.serve_directory(result.site_dir) as base_url:
        yield sitekit.StaticSite(Path(result.site_dir), base_url, result.output)


def poke(page: Page) -> None:
    """Tap what a reader might tap: the paragraph that had onclick, the links that had
    script URLs, the heading that had autofocus."""
    content = page.locator("article.md-content__inner")
    for text in ("点这一段试试", "普通链接", "自动聚焦"):
        content.get_by_text(text).first.click(timeout=5000)
    for link in content.get_by_text("点我看看").all():
        if link.is_visible():
            link.click(timeout=5000)
    page.keyboard.press("Tab")
    page.wait_for_timeout(1500)  # a refresh or a timer would have fired by now


@pytest.mark.parametrize("name", list(PAGES))
def test_page_with_payloads_runs_nothing(
    phone: sitekit.Phone, payload_site: sitekit.StaticSite, name: str
) -> None:
    url = payload_site.url(PAGES[name])
    page = phone.open(url)

    poke(page)
    assert phone.dialogs == []
    assert page.url == url
    assert page.evaluate(FIND_EXECUTABLE) == []
    # Neither hidden by a <style> nor covered by a positioned block.
    expect(page.locator("article.md-content__inner").get_by_text("正文开头").first).to_be_visible()
    assert page.evaluate("() => getComputedStyle(document.body).display") != "none"
    covering = page.evaluate(
        "() => document.elementFromPoint(innerWidth / 2, innerHeight / 2)?.textContent ?? ''"
    )
    assert "遮住页面" not in covering
    phone.assert_no_horizontal_scroll()
    phone.screenshot(f"hostile-{name}", full_page=False)
