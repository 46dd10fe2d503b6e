"""Every kind of page, opened on a phone through the real nginx with the site's
Content-Security-Policy, runs without a console error and without a CSP violation: no inline
script, no inline style, nothing from another site, search's worker and index from the site.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import releasekit
import sitekit
from playwright.sync_api import ConsoleMessage, expect
from releasekit import Clock, Nginx

pytestmark = pytest.mark.browser

# One page of each type in the sample content (a path that is not there fails the test).
PAGES = {
    "home": "/",
    "story with pairs": "/stories/2021-03-12-zhangzhuang-guangfu/",
    "listing": "/stories/",
    "listing by activity": "/stories/activity/huicunkan/",
    "village": "/villages/kaifeng/lankao/zhangzhuang/",
    "county": "/villages/kaifeng/lankao/",
    "city": "/villages/kaifeng/",
    "villages": "/villages/",
    "gallery": "/gallery/",
    "gallery theme": "/gallery/zhufang/",
    "troupe": "/troupe/",
    "schedule": "/troupe/schedule/",
    "member": "/troupe/members/chen-lixin/",
    "troupe city": "/troupe/cities/kaifeng/",
    "search": "/search/",
}
NOT_FOUND = "/no-such-page/"
SETTLE_MS = 500
# Records every violation the page reports, from before its first script runs.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`
    + (e.sourceFile ? ` at ${e.sourceFile.replace(location.origin, '')}:${e.lineNumber}` : '')
    + (e.sample ? ` (${e.sample.slice(0, 40)})` : '')));
"""


@pytest.fixture(scope="module")
def nginx(
    tmp_path_factory: pytest.TempPathFactory, sample_site: sitekit.StaticSite
) -> Iterator[Nginx]:
    dest = tmp_path_factory.mktemp("csp") / "dest"
    releasekit.deploy_copy(dest, sample_site.site_dir, "csp", Clock())
    with releasekit.serving(dest, dest.parent) as running:
        yield running


def open_recording(phone: sitekit.Phone, url: str) -> tuple[int, list[str]]:
    """Open `url`; its status and what went wrong: violations and console errors."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # Chromium logs a 404 page's own status as an error: that is the page asked for.
        own_status = message.location.get("url") == url and "status of 404" in message.text
        if message.type == "error" and not own_status:
            errors.append(f"console: {message.text[:200]}")

    phone.page.on("console", on_console)
    response = phone.page.goto(url, wait_until="load")
    phone.page.wait_for_timeout(SETTLE_MS)
    violations = phone.page.evaluate("() => window.__cspViolations")
    phone.page.remove_listener("console", on_console)
    assert response is not None
    return response.status, [f"csp: {v}" for v in violations] + errors


def test_the_pages_exist(sample_site: sitekit.StaticSite) -> None:
    missing = [
        path
        for path in PAGES.values()
        if not (sample_site.site_dir / path.strip("/") / "index.html").is_file()
    ]
    assert missing == [], "the sample content no longer has these pages: update PAGES"


def test_every_page_type_holds_the_policy(phone: sitekit.Phone, nginx: Nginx) -> None:
    phone.page.add_init_script(RECORD_VIOLATIONS)
    found: dict[str, list[str]] = {}
    for name, path in PAGES.items():
        status, problems = open_recording(phone, nginx.url(path))
        assert status == 200, f"{name} {path}: {status}"
        if problems:
            found[f"{name} {path}"] = problems
    status, problems = open_recording(phone, nginx.url(NOT_FOUND))
    assert status == 404
    if problems:
        found[f"404 {NOT_FOUND}"] = problems

    assert not found, "\n".join(
        f"{page}:\n  " + "\n  ".join(problems) for page, problems in found.items()
    )


def test_search_runs_under_the_policy(phone: sitekit.Phone, nginx: Nginx) -> None:
    """A query loads the pieces of the index from the site, with no violation and no console
    error."""
    phone.page.add_init_script(RECORD_VIOLATIONS)
    errors: list[str] = []
    phone.page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    page = phone.open(nginx.url("/search/"))
    page.locator("input[name=q]").fill("张庄村")
    expect(page.locator(".hp-search__results li").first).to_be_visible(timeout=15_000)

    assert page.evaluate("() => window.__cspViolations") == []
    assert errors == []
    fetched = [url for url in phone.requests if "/search-index/" in url]
    assert any(url.endswith("/manifest.json") for url in fetched), fetched
    assert any("/t" in url for url in fetched) and any("/d" in url for url in fetched), fetched


def test_the_policy_is_the_one_nginx_sends(nginx: Nginx) -> None:
    """What the phone was held to: the header from the repository's configuration."""
    policy = releasekit.get(nginx.url("/")).headers["Content-Security-Policy"]
    conf = (sitekit.REPO_ROOT / "deploy" / "nginx" / "security-headers.conf").read_text("utf-8")

    assert f'Content-Security-Policy "{policy}"' in conf
    assert "script-src 'self';" in policy
