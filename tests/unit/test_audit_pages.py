"""Which pages `make audit` looks at (scripts/auditing/pages.py), read from a running server
through its sitemap, and the nginx server scripts/audit audits through."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import urllib.error
import urllib.request
from pathlib import Path
from types import ModuleType

import pytest
import releasekit
import sitekit
from auditing.pages import AuditPage, Unreachable, pick_pages, served_site
from huatuopin import sitemaps
from test_sitemaps import overrides_env

PROJECT_ROOT = Path(__file__).resolve().parents[2]


STORY = '<article class="hp-story">{}</article>'
VILLAGE = '<article class="hp-village">{}</article>'
PAIR = '<figure class="hp-pair" data-hp-pair>对比</figure>'


def write_site(root: Path, site_url: str, pages: dict[str, str]) -> Path:
    """A built site: each page's HTML at `<url>index.html`, and a sitemap listing them all."""
    for url, html in pages.items():
        (root / url).mkdir(parents=True, exist_ok=True)
        (root / url / "index.html").write_text(f"<html><body>{html}</body></html>", "utf-8")
    locs = "".join(f"<url><loc>{site_url}{url}</loc></url>" for url in pages)
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>',
        "utf-8",
    )
    return root


SITE = {
    "": "首页",
    "stories/": STORY.format(PAIR),  # a listing never holds the story marker, but be sure
    "stories/2021-01-02-b-with-pairs/": STORY.format(PAIR),
    "stories/2021-01-01-a-text-only/": STORY.format("正文"),
    "stories/2021-01-03-c-with-pairs/": STORY.format(PAIR),
    "gallery/": PAIR,
    "villages/kaifeng/lankao/": "县里的村庄 " + PAIR,
    "villages/kaifeng/lankao/a-no-photos/": VILLAGE.format("村情"),
    "villages/kaifeng/lankao/b-photos/": VILLAGE.format(PAIR),
    "troupe/schedule/": "日程",
}


def picked_urls(
    tmp_path: Path, site_url: str, site: dict[str, str]
) -> tuple[dict[str, str], list[str]]:
    with sitekit.serve_directory(write_site(tmp_path, site_url, site)) as base_url:
        picked = pick_pages(served_site(base_url + "/"))
    return {page.key: page.url for page in picked.pages}, picked.missing


@pytest.mark.parametrize("site_url", ["https://huatuopin.example.org/", "https://x.org/sub/"])
def test_picks_the_first_story_and_village_showing_pairs(tmp_path: Path, site_url: str) -> None:
    pages, missing = picked_urls(tmp_path, site_url, SITE)

    assert pages == {
        "home": "",
        "story": "stories/2021-01-02-b-with-pairs/",
        "stories": "stories/",
        "village": "villages/kaifeng/lankao/b-photos/",
        "gallery": "gallery/",
        "schedule": "troupe/schedule/",
        "not-found": "audit-no-such-page/",
    }
    assert missing == []


def test_a_sitemap_split_into_parts_is_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A province-size site's sitemap is an index of parts (hooks/huatuopin/sitemaps.py)."""
    site_url = "https://x.org/sub/"
    write_site(tmp_path, site_url, SITE)
    monkeypatch.setattr(sitemaps, "URLS_PER_FILE", 3)
    assert sitemaps.split_sitemap(tmp_path, overrides_env(), site_url)
    with sitekit.serve_directory(tmp_path) as base_url:
        picked = pick_pages(served_site(base_url + "/"))

    assert {page.key: page.url for page in picked.pages}["village"] == (
        "villages/kaifeng/lankao/b-photos/"
    )
    assert picked.missing == []


def test_the_404_page_is_a_missing_address_that_must_answer_404(tmp_path: Path) -> None:
    pages, _ = picked_urls(tmp_path, "https://x.org/", SITE)
    with sitekit.serve_directory(tmp_path) as base_url:
        status, _ = sitekit.fetch(f"{base_url}/{pages['not-found']}")

    assert status == 404
    assert (
        AuditPage("not-found", "404 页", pages["not-found"], status=404)
        in pick_pages(lambda url: None).pages
    )


def test_a_village_without_photos_is_audited_when_no_village_has_any(tmp_path: Path) -> None:
    site = {url: html for url, html in SITE.items() if "b-photos" not in url}

    pages, _ = picked_urls(tmp_path, "https://x.org/", site)

    assert pages["village"] == "villages/kaifeng/lankao/a-no-photos/"


def test_a_site_without_a_story_with_pairs_says_so(tmp_path: Path) -> None:
    site = {url: html for url, html in SITE.items() if "with-pairs" not in url}

    pages, missing = picked_urls(tmp_path, "https://x.org/", site)

    assert "story" not in pages
    assert missing == ["网站里没有带今昔对比照片的稿件页，无法审核"]


def test_a_server_that_does_not_answer_is_said_in_chinese() -> None:
    with pytest.raises(Unreachable, match="没有回应"):
        pick_pages(served_site(f"http://127.0.0.1:{sitekit.free_port()}/"))


def audit_script() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader(
        "audit_script", str(PROJECT_ROOT / "scripts" / "audit")
    )
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_the_audit_serves_a_release_with_nginx_and_its_404_page(tmp_path: Path) -> None:
    """scripts/audit serves what it deployed through scripts/serve-release (the real nginx):
    pages answer, unknown paths get the site's 404 page with status 404, and nginx stops with
    the block."""
    site = write_site(tmp_path / "built", "https://x.org/", {"": "首页", "stories/a/": "稿件"})
    (site / "404.html").write_text("<h1>找不到这个页面</h1>", "utf-8")
    (site / "empty").mkdir()
    destination = tmp_path / "dest"
    releasekit.deploy_copy(destination, site, "audit", releasekit.Clock())

    with audit_script().serve(destination) as base_url:
        answer = urllib.request.urlopen(base_url + "stories/a/")
        assert answer.status == 200
        assert "Content-Security-Policy" in answer.headers  # nginx, not a stand-in
        for missing in ("no-such-page/", "empty/", "stories/a/x.jpg"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(base_url + missing)
            assert refused.value.code == 404
            assert "找不到这个页面" in refused.value.read().decode("utf-8")
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(base_url, timeout=2)
