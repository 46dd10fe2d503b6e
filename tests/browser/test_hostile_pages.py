"""Every page of a site built from the samples plus every hostile payload, in a phone's Chromium.

The build is not strict (as `make serve` publishes: rejected content is left out, the rest
goes out), so whatever validation lets through reaches the pages, and the guarantee has to come
from escaping and sanitizing. A page passes when, at phone size, no dialog opens, it does not
navigate away, it requests nothing off 127.0.0.1, it stays visible, and its DOM holds no event
handler attribute, no script URL, no password field and nothing that refreshes or re-bases it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import hostile
import pytest
import sitekit
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

# Runs in the page: everything an injected payload could leave behind in the DOM.
FIND_DANGER = """() => {
  const found = [];
  const scriptUrl = /^(javascript|vbscript|data:text\\/html)/i;
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, '');
      if (name.startsWith('on')) found.push(`${el.tagName} has ${name}=`);
      if (scriptUrl.test(value) || /javascript:/i.test(value)) {
        found.push(`${el.tagName} ${name}="${attr.value.slice(0, 60)}"`);
      }
    }
  }
  const anywhere = 'meta[http-equiv], base, iframe, object, embed, input[type=password]';
  for (const el of document.querySelectorAll(anywhere)) found.push(`<${el.tagName}> present`);
  // Our own income chart is the one SVG a page's content may hold.
  const content = '.md-content style, .md-content noscript, .md-content math, '
    + '.md-content svg:not(.hp-chart__svg)';
  for (const el of document.querySelectorAll(content)) found.push(`<${el.tagName}> in the content`);
  for (const form of document.forms) {
    if (new URL(form.action, location.href).hostname !== location.hostname) {
      found.push(`form posting to ${form.action}`);
    }
  }
  for (const script of document.scripts) {
    if (script.textContent.includes('hp-attack')) found.push('injected <script>');
  }
  if (getComputedStyle(document.body).display === 'none'
      || getComputedStyle(document.body).visibility === 'hidden') {
    found.push('the page is hidden');
  }
  return found;
}"""


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-site")
    return hostile.inject_everything(hostile.copy_repository_site(root))


@pytest.fixture(scope="module")
def hostile_site(hostile_project: Path) -> Iterator[sitekit.StaticSite]:
    result = sitekit.build(hostile_project, strict=False)
    assert result.returncode == 0, f"the non-strict build failed:\n{result.output}"
    with sitekit.serve_directory(result.site_dir) as base_url:
        yield sitekit.StaticSite(result.site_dir, base_url, result.output)


def page_paths(site_dir: Path) -> list[str]:
    """The URL path of every HTML page of a built site."""
    paths = []
    for html in sorted(site_dir.rglob("*.html")):
        relative = html.relative_to(site_dir).as_posix()
        paths.append("/" + relative.removesuffix("index.html"))
    return paths


def visit_all(browser: Browser, base_url: str, paths: list[str]) -> list[str]:
    """Open every path on a fresh phone; what went wrong, one line per finding."""
    context = browser.new_context(**sitekit.PHONE)
    phone = sitekit.Phone(context.new_page())
    context.route("**/*", phone.guard)
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
        dialogs.append(dialog.message)
        dialog.dismiss()

    phone.page.on("dialog", on_dialog)
    problems: list[str] = []
    try:
        for path in paths:
            url = base_url + path
            dialogs.clear()
            blocked_before = len(phone.blocked)
            phone.page.goto(url, wait_until="load")
            # Long enough for autofocus/onfocus, a refresh of 0 s and lazy images near the top.
            phone.page.wait_for_timeout(150)
            here = urlsplit(phone.page.url)
            if here.hostname != sitekit.LOCAL_HOST or here.path != urlsplit(url).path:
                problems.append(f"{path}: navigated to {phone.page.url}")
                continue
            problems += [f"{path}: dialog “{message}”" for message in dialogs]
            problems += [f"{path}: request to {u}" for u in phone.blocked[blocked_before:]]
            problems += [f"{path}: {finding}" for finding in phone.page.evaluate(FIND_DANGER)]
    finally:
        context.close()
    return problems


def test_no_page_runs_injected_script(browser: Browser, hostile_site: sitekit.StaticSite) -> None:
    paths = page_paths(hostile_site.site_dir)
    # The samples' pages plus the hand-written hostile page: all of them are walked.
    assert "/about/" in paths and "/" in paths and len(paths) > 100, paths
    problems = visit_all(browser, hostile_site.base_url, paths)
    assert not problems, "\n".join(problems)


def test_hostile_files_are_not_published(hostile_site: sitekit.StaticSite) -> None:
    site = hostile_site.site_dir
    assert not (site / "evil.html").exists()
    assert not (site / "assets" / "evil.svg").exists()
    # Rejected stories are left out; the build says why.
    assert not (site / "stories" / "2021-03-13-hostile-fields").exists()
    assert "2021-03-13-hostile-fields/index.md" in hostile_site.build_output


def test_problems_page_quotes_payloads_as_text(
    browser: Browser,
    hostile_project: Path,
    serve_project: sitekit.ServeProjectFactory,
) -> None:
    served = serve_project(hostile_project)
    problems = visit_all(browser, served.base_url, ["/problems/", "/", "/about/"])
    assert not problems, "\n".join(problems)
