"""Readers find things: story cards show a thumbnail (the cover, else the first pair's "after"
photo, none without photos) and the home page's 最新作品 are the stories added to the site last,
by git history."""

from __future__ import annotations

import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import mediakit
import pytest
import sitekit

COVER = "2021-07-01-cover"  # cover 800×600 and a pair whose "after" is 1000×500
PAIR = "2021-06-01-pair"  # a pair only: "after" 900×450
TEXT = "2021-05-01-text"  # no photos
LATE = "2021-03-01-late"  # dated March, committed after the others
NEW = "2021-02-01-new"  # dated February, not committed yet

pytestmark = pytest.mark.skipif(
    sitekit.missing_here("git"), reason="needs git: the home page dates stories from its history"
)


def pair(before: str, after: str) -> str:
    return (
        "pairs:\n"
        f"  - before: {before}\n"
        f"    after: {after}\n"
        "    before_year: 2016\n"
        "    after_year: 2021\n"
        "    theme: 住房\n"
        "    caption: 危房改造前后\n"
    )


def photo_story(title: str, date: str, extra: str = "") -> str:
    consent = "consent: true\n" if extra else ""
    return sitekit.story_text(title, date=date, form="摄影", extra=extra + consent)


def git(project: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "测试", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if when is not None:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-C", str(project), *args], check=True, env=env, capture_output=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = sitekit.make_project(
        tmp_path_factory.mktemp("findability"),
        {
            COVER: photo_story(
                "有封面的作品", "2021-07-01", f"cover: cover.jpg\n{pair('old.jpg', 'new.jpg')}"
            ),
            PAIR: photo_story("只有对比照片的作品", "2021-06-01", pair("old.jpg", "new.jpg")),
            TEXT: photo_story("没有照片的作品", "2021-05-01"),
            LATE: photo_story("三月的稿件七月才加进来", "2021-03-01"),
        },
        files={
            f"{COVER}/cover.jpg": mediakit.small_jpeg((800, 600)),
            f"{COVER}/old.jpg": mediakit.small_jpeg((700, 350), (200, 60, 40)),
            f"{COVER}/new.jpg": mediakit.small_jpeg((1000, 500), (60, 200, 40)),
            f"{PAIR}/old.jpg": mediakit.small_jpeg((600, 300), (200, 60, 40)),
            f"{PAIR}/new.jpg": mediakit.small_jpeg((900, 450), (60, 200, 40)),
        },
    )
    stories = project / sitekit.STORIES
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "reset", "-q", "--", str(stories / LATE))
    git(project, "commit", "-q", "-m", "站点和三篇作品", when="2021-07-02T10:00:00+08:00")
    git(project, "add", str(stories / LATE))
    git(project, "commit", "-q", "-m", "三月的稿件", when="2021-07-20T10:00:00+08:00")
    (stories / NEW).mkdir()
    (stories / NEW / "index.md").write_text(photo_story("还没提交的稿件", "2021-02-01"), "utf-8")
    result = sitekit.build(project)
    assert result.returncode == 0, result.output
    return result.site_dir


class Cards(HTMLParser):
    """Each card on a page: its story folder and its thumbnail's <img> attributes, if any."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: list[tuple[str, dict[str, str] | None]] = []
        self.sources: list[dict[str, str]] = []
        self._in_card = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "a" and "hp-card__link" in found.get("class", ""):
            folder = found["href"].rstrip("/").rsplit("/", 1)[-1]
            self.cards.append((folder, None))
            self._in_card = True
        elif tag == "img" and self._in_card:
            folder, _ = self.cards[-1]
            self.cards[-1] = (folder, found)
        elif tag == "source" and self._in_card:
            self.sources.append(found)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_card = False


def cards_of(page: Path) -> Cards:
    parser = Cards()
    parser.feed(page.read_text("utf-8"))
    return parser


def test_cards_show_the_cover_else_the_first_pairs_after_photo_else_nothing(site: Path) -> None:
    cards = dict(cards_of(site / "stories" / "index.html").cards)
    cover, after = cards[COVER], cards[PAIR]
    assert cover is not None and (cover["width"], cover["height"]) == ("800", "600")
    assert after is not None and (after["width"], after["height"]) == ("900", "450")
    assert cards[TEXT] is None and cards[LATE] is None, "a story without photos has no picture"
    assert cover["alt"] == "", "the card's title already names the link"


def test_thumbnails_are_small_and_only_the_first_loads_at_once(site: Path) -> None:
    parsed = cards_of(site / "stories" / "index.html")
    thumbs = [img for _folder, img in parsed.cards if img is not None]
    first, *rest = thumbs
    assert first.get("fetchpriority") == "high" and "loading" not in first
    assert rest and all(img.get("loading") == "lazy" and "fetchpriority" not in img for img in rest)
    for img in thumbs:
        widths = [int(w) for w in re.findall(r" (\d+)w", img["srcset"])]
        assert widths[:2] == [160, 320], "a thumbnail has variants of its own size"
    assert all(source["type"] == "image/webp" for source in parsed.sources)
    # What a phone at DPR 2 downloads for a card: the 320 px WebP, a few KB.
    url = re.search(r"(\S+) 320w", parsed.sources[0]["srcset"])
    assert url is not None
    assert (site / url.group(1).removeprefix("../")).stat().st_size < 20_000


def test_the_home_page_shows_the_stories_added_last_first(site: Path) -> None:
    folders = [folder for folder, _img in cards_of(site / "index.html").cards]
    assert folders == [NEW, LATE, COVER, PAIR, TEXT], (
        "not committed yet counts as now; then by the commit that added the folder; "
        "stories added together keep their own date's order"
    )


def test_listings_still_order_by_the_storys_own_date(site: Path) -> None:
    folders = [folder for folder, _img in cards_of(site / "stories" / "index.html").cards]
    assert folders == [COVER, PAIR, TEXT, LATE, NEW]
