"""A withdrawn story leaves every kept release at its deploy, so nothing comes back on a
rollback; a moved story answers 301 from its old URL; through the real nginx.

The releases are made from a small project built once as it was, once with a story withdrawn
(`withdrawn:` in its front-matter) and once with a folder renamed (and redirects.yml).
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import json
import re
import shutil
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import mediakit
import pytest
import releasekit
import sitekit
from huatuopin.media.cache import MediaCache
from playwright.sync_api import expect
from releasekit import Clock, Nginx, get

from deploy.facts import read_facts
from deploy.releases import Deployed, Destination, deploy, rollback
from deploy.scrub import linked_files, scrub

NOTICE_TEXT = "应当事人要求，本文已撤下"
GONE = "2021-03-12-zhangzhuang-gone"  # withdrawn
KEPT = "2021-03-13-zhangzhuang-kept"  # a photo story that stays
MOVED = "2021-03-14-zhangzhuang-moved"  # renamed to NEW
NEW = "2021-03-14-zhangzhuang-renamed"
NEWER = "2021-03-15-zhangzhuang-newer"  # first published with the takedown, with a photo
GONE_TITLE = "屋顶上的光伏板"
NEWER_TITLE = "合作社的新大棚"


WITHDRAWN_ON = "2021-06-01"
# A before-and-after pair puts the withdrawn story in the gallery too.
PAIR = (
    "pairs:\n"
    "  - before: roof-2016.jpg\n    after: roof-2021.jpg\n"
    "    before_year: 2016\n    after_year: 2021\n    theme: 住房\n    caption: 屋顶改造前后\n"
)


@dataclass(frozen=True)
class Built:
    project: Path
    site: Path
    cache: Path  # the project's own media cache
    withdrawn: Path  # the site built with GONE withdrawn


def build(project: Path, site_dir: Path) -> Path:
    returncode, output, site = sitekit.build(project, site_dir=site_dir, own_media_cache=True)
    assert returncode == 0, output
    return site


def withdraw(project: Path, folder: str) -> None:
    index = project / "docs" / "stories" / folder / "index.md"
    text = index.read_text("utf-8")
    closing = text.index("\n---\n", 3) + 1
    block = f"withdrawn:\n  date: {WITHDRAWN_ON}\n  reason: 应当事人要求撤下照片\n"
    index.write_text(text[:closing] + block + text[closing:], "utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    photo = "cover: cover.jpg\nconsent: true\n"
    project = sitekit.make_project(
        tmp_path_factory.mktemp("takedowns") / "project",
        {
            GONE: sitekit.story_text(GONE_TITLE, extra=photo + PAIR),
            KEPT: sitekit.story_text("新修的村路", date="2021-03-13", extra=photo),
            MOVED: sitekit.story_text("老党员的一笔账", date="2021-03-14"),
        },
        files={
            f"{GONE}/cover.jpg": mediakit.small_jpeg(color=(200, 40, 40)),
            f"{GONE}/roof-2016.jpg": mediakit.small_jpeg(color=(120, 40, 40)),
            f"{GONE}/roof-2021.jpg": mediakit.small_jpeg(color=(220, 90, 90)),
            f"{KEPT}/cover.jpg": mediakit.small_jpeg(color=(40, 200, 40)),
        },
    )
    site = build(project, project / "site")
    withdraw(project, GONE)
    # A story the earlier releases lack: their pages replaced by the takedown's show its cover.
    newer = project / "docs" / "stories" / NEWER
    newer.mkdir()
    (newer / "index.md").write_text(
        sitekit.story_text(NEWER_TITLE, date="2021-03-15", extra=photo), "utf-8"
    )
    (newer / "cover.jpg").write_bytes(mediakit.small_jpeg(color=(40, 40, 200)))
    withdrawn = build(project, project / "site-withdrawn")
    return Built(project, site, project / ".cache" / "media", withdrawn)


@dataclass
class Takedown:
    dest: Path
    before: list[Path]  # the releases made before the takedown, oldest first
    withdrawn: Deployed
    gone_media: list[str]
    kept_media: list[str]
    gone_keys: list[str]


@pytest.fixture(scope="module")
def takedown(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Takedown:
    """Two releases with the story, then a third that withdraws it."""
    work = tmp_path_factory.mktemp("takedown")
    dest = work / "dest"
    clock = Clock()
    facts = releasekit.read_facts(built.site)
    destination = Destination(dest)
    cache = MediaCache(built.cache)
    before = [
        deploy(destination, releasekit.copy_of(built.site, name), "test", clock=clock)
        for name in ("first", "second")
    ]
    withdrawn = deploy(
        destination,
        releasekit.copy_of(built.withdrawn, "withdrawn"),
        "test",
        clock=clock,
        cache=cache,
    )
    return Takedown(
        dest,
        [done.release.path for done in before],
        withdrawn,
        facts["stories"][f"stories/{GONE}/"]["media"],
        facts["stories"][f"stories/{KEPT}/"]["media"],
        facts["stories"][f"stories/{GONE}/"]["cache"],
    )


def search_urls(release: Path) -> set[str]:
    manifest = json.loads((release / "search-index" / "manifest.json").read_text("utf-8"))
    folder = release / "search-index" / manifest["build"]
    return {json.loads(path.read_text("utf-8"))["u"] for path in folder.glob("d*.json")}


def test_every_earlier_release_loses_the_withdrawn_story(takedown: Takedown) -> None:
    notice = (takedown.withdrawn.release.path / "stories" / GONE / "index.html").read_text("utf-8")
    assert takedown.gone_media and takedown.kept_media
    for release in takedown.before:
        folder = release / "stories" / GONE
        assert (folder / "index.html").read_text("utf-8") == notice, release.name
        assert (folder / ".withdrawn").is_file()
        # A .gz of the story page would still be sent by nginx's gzip_static.
        for gz in folder.glob("*.gz"):
            assert gzip.decompress(gz.read_bytes()) == (folder / gz.stem).read_bytes()
        assert [p for p in takedown.gone_media if (release / p).exists()] == []
        assert [p for p in takedown.gone_media if (release / f"{p}.gz").exists()] == []
        assert [p for p in takedown.kept_media if not (release / p).is_file()] == []
        assert f"stories/{GONE}/" not in search_urls(release)
        assert f"stories/{KEPT}/" in search_urls(release)
        # The notice keeps its style sheet and scripts, even where their names changed.
        linked = linked_files(notice, f"stories/{GONE}/")
        assert [path for path in linked if not (release / path).exists()] == []
        facts = releasekit.read_facts(release)
        assert f"stories/{GONE}/" not in facts["stories"]
        assert facts["withdrawn"] == {f"stories/{GONE}/": WITHDRAWN_ON}


# Where an earlier release named the withdrawn story outside its own page.
NAMING_PAGES = [
    "stories/index.html",
    "villages/kaifeng/lankao/zhangzhuang/index.html",
    "stories/feed.xml",
    "sitemap.xml",
    "gallery/index.html",
]


def names_the_story(data: bytes, folder: str = GONE, title: str = GONE_TITLE) -> bool:
    return f"stories/{folder}/".encode() in data or title.encode() in data


def files_naming(release: Path, folder: str, title: str) -> list[str]:
    """Every file of the release a reader could get that names the story, `.gz` included."""
    skipped = (f"stories/{folder}/", "search-index/", ".huatuopin/")
    return [
        path.relative_to(release).as_posix()
        for path in release.rglob("*")
        if path.is_file()
        and not path.relative_to(release).as_posix().startswith(skipped)
        and names_the_story(
            gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes(),
            folder,
            title,
        )
    ]


def test_an_earlier_release_names_the_withdrawn_story_nowhere_else(
    built: Built, takedown: Takedown
) -> None:
    """Listings, the village page, the feed, the sitemap and the gallery are the takedown's."""
    assert all(names_the_story((built.site / path).read_bytes()) for path in NAMING_PAGES)
    for release, scrubbed in zip(
        takedown.before, takedown.withdrawn.scrubbed.releases, strict=True
    ):
        assert scrubbed.release == release.name
        assert set(NAMING_PAGES) <= set(scrubbed.pages_replaced)
        for path in scrubbed.pages_replaced:
            page = (release / path).read_bytes()
            assert page == (takedown.withdrawn.release.path / path).read_bytes(), path
            gz = release / f"{path}.gz"
            assert not gz.exists() or gzip.decompress(gz.read_bytes()) == page, path
        naming = files_naming(release, GONE, GONE_TITLE)
        assert naming == [], release.name


def test_the_deploy_says_what_it_removed_and_drops_the_cache_entries(
    takedown: Takedown, built: Built
) -> None:
    scrubbed = takedown.withdrawn.scrubbed

    assert [(r.release, r.stories) for r in scrubbed.releases] == [
        (release.name, [f"stories/{GONE}/"]) for release in takedown.before
    ]
    assert all(sorted(r.media) == sorted(takedown.gone_media) for r in scrubbed.releases)
    assert all(len(r.search_records) == 1 for r in scrubbed.releases)
    assert scrubbed.cache_entries == takedown.gone_keys
    assert not (built.cache / "entries" / f"{takedown.gone_keys[0]}.json").exists()
    names = {path.rsplit("/", 1)[1] for path in takedown.gone_media}
    assert names <= set(scrubbed.cache_files)
    assert [name for name in names if (built.cache / "files" / name).exists()] == []
    kept = releasekit.read_facts(built.site)["stories"][f"stories/{KEPT}/"]["cache"]
    assert (built.cache / "entries" / f"{kept[0]}.json").is_file()


def test_deploying_the_takedown_again_removes_nothing_more(takedown: Takedown) -> None:
    live = takedown.withdrawn.release.path
    again = deploy(
        Destination(takedown.dest),
        releasekit.copy_of(live, "again"),
        "test",
        clock=Clock(takedown.withdrawn.release.made),
    )

    assert again.scrubbed.releases == []
    rollback(Destination(takedown.dest))  # the takedown's release is live again


def test_a_story_published_after_a_release_leaves_it_at_its_own_takedown(
    built: Built, tmp_path: Path
) -> None:
    """GONE's takedown gave the first release the later listing, which shows NEWER and its
    cover: NEWER's takedown takes them out of it again."""
    dest = tmp_path / "dest"
    clock = Clock()
    first = deploy(Destination(dest), releasekit.copy_of(built.site, "first"), "test", clock=clock)
    deploy(Destination(dest), releasekit.copy_of(built.withdrawn, "second"), "test", clock=clock)
    release = first.release.path
    newer_media = releasekit.read_facts(built.withdrawn)["stories"][f"stories/{NEWER}/"]["media"]
    assert [path for path in newer_media if (release / path).is_file()]
    assert files_naming(release, NEWER, NEWER_TITLE)
    project = tmp_path / "project"
    shutil.copytree(built.project, project, ignore=shutil.ignore_patterns("site", "site-withdrawn"))
    withdraw(project, NEWER)
    site = build(project, project / "site")

    done = deploy(Destination(dest), releasekit.copy_of(site, "third"), "test", clock=clock)

    scrubbed = {r.release: r.stories for r in done.scrubbed.releases}
    assert scrubbed[first.release.name] == [f"stories/{NEWER}/"]
    assert [path for path in newer_media if (release / path).exists()] == []
    assert files_naming(release, NEWER, NEWER_TITLE) == []
    assert NOTICE_TEXT in (release / "stories" / NEWER / "index.html").read_text("utf-8")


@pytest.fixture(scope="module")
def nginx(takedown: Takedown) -> Iterator[Nginx]:
    with releasekit.serving(takedown.dest, takedown.dest.parent) as running:
        yield running


def assert_security_headers(answer: releasekit.Answer) -> None:
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert answer.headers[name], name
    assert answer.headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("form", ["/", "/index.html", ""])
def test_a_withdrawn_story_answers_410_with_the_notice(nginx: Nginx, form: str) -> None:
    answer = get(nginx.url(f"/stories/{GONE}{form}"))

    assert answer.status == 410
    assert NOTICE_TEXT in answer.text()
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert_security_headers(answer)


@contextlib.contextmanager
def rolled_back(takedown: Takedown) -> Iterator[None]:
    """The release before the takedown live for the test's body, as `make rollback` makes
    it; the takedown's release live again after."""
    destination = Destination(takedown.dest)
    rollback(destination)
    try:
        yield
    finally:
        destination.switch(takedown.withdrawn.release)


def test_rollback_after_a_takedown_serves_no_withdrawn_file(
    nginx: Nginx, takedown: Takedown
) -> None:
    with rolled_back(takedown):
        assert get(nginx.url(f"/{releasekit.MARKER}")).text() == "second"
        answer = get(nginx.url(f"/stories/{GONE}/"))
        assert (answer.status, NOTICE_TEXT in answer.text()) == (410, True)
        assert get(nginx.url(f"/stories/{GONE}/"), gzip_ok=False).status == 410
        for path in takedown.gone_media:
            assert get(nginx.url(f"/{path}")).status == 404, path
        assert get(nginx.url(f"/{takedown.kept_media[0]}")).status == 200


def test_rollback_after_a_takedown_lists_without_it_and_every_image_loads(
    nginx: Nginx, takedown: Takedown
) -> None:
    with rolled_back(takedown):
        assert get(nginx.url(f"/{releasekit.MARKER}")).text() == "second"
        listing = get(nginx.url("/stories/"))
        feed = get(nginx.url("/stories/feed.xml"))
        assert (listing.status, feed.status) == (200, 200)
        for answer in (listing, feed):
            assert GONE_TITLE not in answer.text()
            assert f"stories/{GONE}/" not in answer.text()
        sources = re.findall(r'\bsrc="([^"]+)"', listing.text())
        assert any("media/" in source for source in sources)
        for source in sources:
            address = urllib.parse.urljoin(nginx.url("/stories/"), source)
            assert get(address).status == 200, source


def test_scrubbing_again_changes_no_file(built: Built, takedown: Takedown) -> None:
    """As an interrupted `make deploy` run again would: the releases stay as the first made them."""

    def files(release: Path) -> dict[str, bytes]:
        return {
            path.relative_to(release).as_posix(): path.read_bytes()
            for path in release.rglob("*")
            if path.is_file()
        }

    before = {release: files(release) for release in takedown.before}
    live = takedown.withdrawn.release.path
    new_facts = read_facts(live)
    assert new_facts is not None

    again = scrub(live, new_facts, takedown.before, MediaCache(built.cache))

    assert (again.releases, again.cache_entries) == ([], [])
    assert {release: files(release) for release in takedown.before} == before
    # What stays is the takedown's listing, not the one that named the story.
    assert (
        before[takedown.before[0]]["stories/index.html"]
        == (live / "stories/index.html").read_bytes()
    )


@pytest.mark.parametrize("path", ["/.huatuopin/release.json", f"/stories/{GONE}/.withdrawn"])
def test_what_the_release_says_about_itself_is_not_served(nginx: Nginx, path: str) -> None:
    answer = get(nginx.url(path))

    assert answer.status == 404
    assert_security_headers(answer)


# -- a moved story -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def moved(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nginx]:
    work = tmp_path_factory.mktemp("moved")
    dest = work / "dest"
    clock = Clock()
    deploy(Destination(dest), releasekit.copy_of(built.site, "first"), "test", clock=clock)
    project = work / "project"
    shutil.copytree(built.project, project, ignore=shutil.ignore_patterns("site", "site-withdrawn"))
    stories = project / "docs" / "stories"
    (stories / MOVED).rename(stories / NEW)
    (project / "redirects.yml").write_text(
        f"redirect_maps:\n  stories/{MOVED}/: stories/{NEW}/\n", "utf-8"
    )
    site = build(project, project / "site")
    done = deploy(Destination(dest), releasekit.copy_of(site, "moved"), "test", clock=clock)
    assert done.map_changed  # nginx must be reloaded to read the new map
    with releasekit.serving(dest, work) as running:
        yield running


@pytest.mark.parametrize("form", ["/", "/index.html", ""])
def test_an_old_url_answers_301_to_the_new_one(moved: Nginx, form: str) -> None:
    parts = urllib.parse.urlsplit(moved.url(f"/stories/{MOVED}{form}"))
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    connection.request("GET", parts.path)
    response = connection.getresponse()

    assert (response.status, response.getheader("Location")) == (301, f"/stories/{NEW}/")
    assert response.getheader("Content-Security-Policy")
    assert response.getheader("Cache-Control") == "no-cache"
    assert get(moved.url(f"/stories/{NEW}/")).status == 200


def test_a_release_without_a_map_file_still_loads(built: Built, tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    site = releasekit.site_copy(built.site, tmp_path / "site")
    shutil.rmtree(site / ".huatuopin")
    releasekit.deploy_copy(dest, site, "plain", Clock())

    with releasekit.serving(dest, tmp_path) as running:
        assert get(running.url(f"/stories/{MOVED}/")).status == 200


@pytest.mark.browser
def test_search_in_a_scrubbed_release_shows_the_other_results(
    nginx: Nginx, takedown: Takedown, phone: sitekit.Phone
) -> None:
    """The earlier release's index still lists the withdrawn story: its record is gone, and
    the results show without it."""
    with rolled_back(takedown):
        page = phone.open(nginx.url("/search/"))
        page.get_by_role("search").locator("input[name=q]").fill("驻村工作队")
        results = page.locator(".hp-search__results > li a")
        expect(results.first).to_be_visible(timeout=15_000)
        expect(page.locator(".hp-search__results > li")).to_have_count(2)
        shown = {
            urllib.parse.urlsplit(href).path
            for href in results.evaluate_all("links => links.map(a => a.href)")
        }
        assert shown == {f"/stories/{KEPT}/", f"/stories/{MOVED}/"}
        expect(page.locator("[data-hp-search-status]")).not_to_contain_text("没有加载成功")


def test_a_release_made_before_the_facts_loses_the_page_and_is_named_for_the_rest(
    built: Built, tmp_path: Path
) -> None:
    dest = tmp_path / "dest"
    clock = Clock()
    old_site = releasekit.site_copy(built.site, tmp_path / "old")
    shutil.rmtree(old_site / ".huatuopin")
    old = deploy(Destination(dest), releasekit.copy_of(old_site, "old"), "test", clock=clock)

    done = deploy(
        Destination(dest), releasekit.copy_of(built.withdrawn, "new"), "test", clock=clock
    )

    assert not done.checked
    [scrubbed] = done.scrubbed.releases
    assert (scrubbed.release, scrubbed.stories) == (old.release.name, [f"stories/{GONE}/"])
    assert scrubbed.unknown_media == [f"stories/{GONE}/"]
    page = old.release.path / "stories" / GONE
    assert NOTICE_TEXT in (page / "index.html").read_text("utf-8")
    assert (page / ".withdrawn").is_file()
    assert f"stories/{GONE}/" not in search_urls(old.release.path)
    listing = (old.release.path / "stories" / "index.html").read_text("utf-8")
    assert f"stories/{GONE}/" not in listing
    assert "stories/index.html" in scrubbed.pages_replaced


def test_an_interrupted_scrub_of_a_release_made_before_the_facts_is_finished_next_time(
    built: Built, tmp_path: Path
) -> None:
    dest = tmp_path / "dest"
    clock = Clock()
    old_site = releasekit.site_copy(built.site, tmp_path / "old")
    shutil.rmtree(old_site / ".huatuopin")
    old = deploy(Destination(dest), releasekit.copy_of(old_site, "old"), "test", clock=clock)
    # Stopped where the scrub had emptied the story's folder and not yet written the notice.
    page = old.release.path / "stories" / GONE
    for path in page.iterdir():
        shutil.rmtree(path) if path.is_dir() else path.unlink()

    deploy(Destination(dest), releasekit.copy_of(built.withdrawn, "new"), "test", clock=clock)

    assert NOTICE_TEXT in (page / "index.html").read_text("utf-8")
    assert (page / ".withdrawn").is_file()
    assert f"stories/{GONE}/" not in search_urls(old.release.path)


def listing_pages(release: Path) -> dict[str, bytes]:
    """Every later page of every paginated listing (`…/page/<N>/index.html`), by site path."""
    return {
        path.relative_to(release).as_posix(): path.read_bytes()
        for path in release.glob("**/page/*/index.html")
    }


def test_a_rollback_shows_each_listing_whole_from_one_release(tmp_path: Path) -> None:
    # One story a page: withdrawing the newest, on page 1, moves every other story up a page.
    project = sitekit.make_project(
        tmp_path / "project",
        {
            f"2021-03-1{day}-zhangzhuang-{day}": sitekit.story_text(
                f"第{day}篇", date=f"2021-03-1{day}"
            )
            for day in (1, 2, 3)
        },
        campaign={"stories_per_page": 1},
    )
    site = build(project, project / "site")
    withdraw(project, "2021-03-13-zhangzhuang-3")
    withdrawn = build(project, project / "site-withdrawn")
    dest, clock = Destination(tmp_path / "dest"), Clock()
    old = deploy(dest, releasekit.copy_of(site, "old"), "test", clock=clock).release.path
    assert (old / "stories" / "page" / "3" / "index.html").is_file()
    new = deploy(dest, releasekit.copy_of(withdrawn, "new"), "test", clock=clock).release.path

    rollback(dest)

    # Page 2 of the kept release listed 第2篇, now on page 1: it would show twice, and
    # 第1篇 on the old page 3, which the new listing has not, would be the one left out.
    later = listing_pages(new)
    assert "stories/page/2/index.html" in later
    assert listing_pages(old) == later
    for first in {path.split("page/")[0] + "index.html" for path in later}:
        assert (old / first).read_bytes() == (new / first).read_bytes(), first
    assert not (old / "stories" / "page" / "3").exists()
