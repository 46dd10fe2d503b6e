"""axe-core on every page type of the sample site, on a phone in light and in dark mode: no
serious or critical violation (contrast, links told apart only by colour, unnamed dialogs …).
Dark mode follows the phone's setting."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sitekit
from axe_playwright_python.sync_playwright import Axe

BLOCKING = ("serious", "critical")


def _story(predicate: Any) -> str:
    for folder, meta in sitekit.repo_stories().items():
        if not meta.get("draft") and predicate(meta):
            return f"/stories/{folder}/"
    raise AssertionError("the sample content has no such story")


def _village_path() -> str:
    for meta in sitekit.repo_stories().values():
        if meta.get("city") == "开封市" and meta.get("village") == "张庄村":
            return "/villages/kaifeng/lankao/zhangzhuang/"
    raise AssertionError("the sample content has no story in 张庄村")


def _withdrawn_path() -> str:
    for index in sorted((sitekit.REPO_ROOT / sitekit.STORIES).glob("*/index.md")):
        if "withdrawn" in sitekit.front_matter(index):
            return f"/stories/{index.parent.name}/"
    raise AssertionError("the sample content has no withdrawn story")


def page_types() -> dict[str, str]:
    """One page of each type, by what it is."""
    return {
        "home": "/",
        "story with pairs": _story(lambda meta: meta.get("pairs")),
        "story with video and audio": _story(lambda meta: meta.get("videos") or meta.get("audios")),
        "story with a cover": _story(lambda meta: meta.get("cover")),
        "story with corrections": _story(lambda meta: meta.get("corrections")),
        "withdrawn story's notice": _withdrawn_path(),
        "all stories": "/stories/",
        "activity listing": "/stories/activity/huicunkan/",
        "city listing": "/stories/city/kaifeng/",
        "gallery": "/gallery/",
        "villages": "/villages/",
        "city": "/villages/kaifeng/",
        "county": "/villages/kaifeng/lankao/",
        "village": _village_path(),
        "troupe": "/troupe/",
        "schedule": "/troupe/schedule/",
        "member": "/troupe/members/chen-lixin/",
        "city schedule": "/troupe/cities/kaifeng/",
        "progress": "/progress/",
        "city progress": "/progress/kaifeng/",
        "404": "/no/such/page/",
        # The search page with its results shown (a search link runs its query at once).
        "search": "/search/?q=%E5%BC%A0%E5%BA%84%E6%9D%91",
    }


@pytest.fixture(scope="module")
def nginx_like_site(sample_site: sitekit.StaticSite) -> Iterator[str]:
    """The sample site as nginx serves it: unknown paths get 404.html."""
    with sitekit.serve_directory(sample_site.site_dir, not_found="404.html") as base_url:
        yield base_url


def blocking_violations(results: dict[str, Any]) -> list[str]:
    """Each serious or critical violation, with the first nodes it was found on."""
    found = []
    for violation in results["violations"]:
        if violation["impact"] in BLOCKING:
            nodes = [
                f"{node['target']}: {' '.join(node.get('failureSummary', '').split())[:160]}"
                for node in violation["nodes"][:3]
            ]
            found.append(f"{violation['id']} ({len(violation['nodes'])} nodes): {nodes}")
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation_on_any_page_type(
    nginx_like_site: str, new_phone: sitekit.PhoneFactory, scheme: str
) -> None:
    phone = new_phone(color_scheme=scheme)
    axe = Axe()
    expected_scheme = "slate" if scheme == "dark" else "default"
    report = {}
    for name, path in page_types().items():
        phone.page.goto(nginx_like_site + path, wait_until="load")
        # The bundle and our scripts have run (the pairs' sliders, the schedule's filter).
        phone.page.wait_for_load_state("networkidle")
        shown = phone.page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
        assert shown == expected_scheme, f"{name}: a {scheme} phone gets the {shown} scheme"
        found = blocking_violations(axe.run(phone.page).response)
        if found:
            report[f"{name} ({path})"] = found
    assert report == {}, "\n".join(
        f"{page}:\n  " + "\n  ".join(found) for page, found in report.items()
    )


def test_a_dark_phone_gets_dark_colours_without_material_s_bundle(
    sample_site: sitekit.StaticSite, new_phone: sitekit.PhoneFactory
) -> None:
    """No white flash: the dark scheme is on <body> from our script in <head>, which runs as
    the header is parsed; Material's bundle (kept away here) would only come at the end."""
    phone = new_phone(color_scheme="dark")
    phone.page.route("**/assets/javascripts/bundle.*.min.js", lambda route: route.abort())
    page = phone.open(sample_site.url("/stories/"))
    assert page.evaluate("() => document.body.dataset.mdColorScheme") == "slate"
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)"


# -- pages the sample content is too small to have -------------------------------------------

PAGED_SURNAMES = "张李王刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
PAGED_ENDINGS = "庄营寨楼岗店"


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A county of 101 villages (its villages take two pages) and a village of three stories
    at two stories a page (its older story is on its second page)."""
    names = [f"{s}{e}村" for s in PAGED_SURNAMES for e in PAGED_ENDINGS][:101]
    stories = {
        f"2021-03-12-v{index}": sitekit.story_text(f"{name}的春天", village=name)
        for index, name in enumerate(names)
    }
    stories |= {
        f"2021-0{month}-12-busy": sitekit.story_text(f"{names[0]}的{month}月", village=names[0])
        for month in (4, 5)
    }
    root = tmp_path_factory.mktemp("paged-audit") / "project"
    project = sitekit.make_project(root, stories, campaign={"stories_per_page": 2})
    result = sitekit.build(project, strict=True)
    assert result.returncode == 0, result.output
    with sitekit.serve_directory(result.site_dir, not_found="404.html") as base_url:
        yield base_url


PAGED_PAGES = {
    "county, page 1": "/villages/kaifeng/lankao/",
    "county, page 2": "/villages/kaifeng/lankao/page/2/",
    "busy village": "/villages/kaifeng/lankao/zhangzhuang/",
    "busy village's older stories": "/villages/kaifeng/lankao/zhangzhuang/page/2/",
    "all stories, page 2": "/stories/page/2/",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation_on_paged_pages(
    paged_site: str, new_phone: sitekit.PhoneFactory, scheme: str
) -> None:
    phone = new_phone(color_scheme=scheme)
    axe = Axe()
    report = {}
    for name, path in PAGED_PAGES.items():
        response = phone.page.goto(paged_site + path, wait_until="load")
        assert response is not None and response.ok, path
        phone.page.wait_for_load_state("networkidle")
        assert phone.page.locator(".hp-pager").count() >= 1, f"{name} has no pager"
        found = blocking_violations(axe.run(phone.page).response)
        if found:
            report[f"{name} ({path})"] = found
    assert report == {}, "\n".join(
        f"{page}:\n  " + "\n  ".join(found) for page, found in report.items()
    )
