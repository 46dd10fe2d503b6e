"""A withdrawn story, built: its URL shows only a notice (and holds the marker nginx answers
410 for), and nothing else of it reaches site/: no listing, gallery, village, feed, search
record, sitemap entry, progress figure, calendar or file of its folder. Corrections show at
the end of their story, oldest first. /changes/ exists in a preview and never in a build."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import feedparser
import mediakit
import pytest
import searchkit
import sitekit
from huatuopin import urls

from tests.unit import troupekit
from tests.unit.storykit import front_matter, render

GONE = "2021-04-02-mizhai-chehui"
GONE_TITLE = "秘寨村的旧照片"
GONE_VILLAGE = "秘寨村"
GONE_AUTHOR = "欧阳秘"
GONE_SUMMARY = "一户人家的老照片和新房子。"
GONE_REASON = "当事人家属要求撤下照片"
GONE_PHOTO = "mizhai-jiufang.jpg"
KEPT = "2021-03-12-zhangzhuang"
CORRECTIONS = [
    {"date": dt.date(2021, 5, 2), "note": "第二次更正：作者单位已改正。"},
    {"date": dt.date(2021, 3, 20), "note": "原文把村名“小岳湾村”误写为“小月湾村”，已改正。"},
]
# What only the withdrawn story holds: none of it may appear in any file of the site.
ITS_WORDS = (GONE_TITLE, GONE_VILLAGE, GONE_AUTHOR, GONE_SUMMARY, GONE_REASON, GONE_PHOTO)


def withdrawn_text() -> str:
    """A full story with a photo, then taken down: its other fields stay as they were."""
    data = front_matter(
        {
            "title": GONE_TITLE,
            "date": dt.date(2021, 4, 2),
            "village": GONE_VILLAGE,
            "township": None,
            "authors": [{"name": GONE_AUTHOR, "role": "媒体记者"}],
            "summary": GONE_SUMMARY,
            "cover": GONE_PHOTO,
            "pairs": [
                {
                    "before": GONE_PHOTO,
                    "after": GONE_PHOTO,
                    "before_year": 2016,
                    "after_year": 2021,
                    "theme": "住房",
                    "caption": "秘寨村的房子",
                }
            ],
            "consent": True,
            "withdrawn": {"date": dt.date(2022, 2, 28), "reason": GONE_REASON},
        }
    )
    data.pop("township")
    return render(data)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("withdrawn")
    sitekit.make_project(
        root,
        {
            GONE: withdrawn_text(),
            KEPT: render(front_matter({"corrections": CORRECTIONS})),
        },
        files={f"{GONE}/{GONE_PHOTO}": mediakit.small_jpeg(color=(200, 30, 90))},
    )
    troupekit.write(
        root,
        {
            "kaifeng.yml": [
                troupekit.talk("kf-a", status="已完成", stories=[KEPT, GONE]),
            ]
        },
    )
    return root


@pytest.fixture(scope="module")
def built(project: Path) -> sitekit.BuildResult:
    result = sitekit.build(project)
    assert result.returncode == 0, result.output
    return result


def site_files(site: Path) -> list[Path]:
    return sorted(path for path in site.rglob("*") if path.is_file())


def contents(path: Path) -> list[tuple[str, bytes]]:
    """The file's bytes, or for a zip (the .xlsx) each member's."""
    data = path.read_bytes()
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(f"{path}!{n}", archive.read(n)) for n in archive.namelist()]
    return [(str(path), data)]


def test_the_notice_replaces_the_story(built: sitekit.BuildResult) -> None:
    html = (built.site_dir / urls.story(GONE) / "index.html").read_text("utf-8")

    assert "本文已撤下" in html and "应当事人要求，本文已撤下" in html
    assert re.search(r"撤稿日期：\s*<time datetime=\"2022-02-28\">2022年2月28日</time>", html)
    assert '<meta name="robots" content="noindex"' in html
    assert "assets/share.png" in html  # the campaign's image, none of the story's
    assert "<img" not in html and "<picture" not in html
    for word in ITS_WORDS:
        assert word not in html, word


def test_the_marker_beside_the_notice(built: sitekit.BuildResult) -> None:
    marker = built.site_dir / urls.withdrawn_marker(GONE)

    assert marker.is_file() and marker.read_bytes() == b""
    assert not (built.site_dir / urls.withdrawn_marker(KEPT)).exists()


def test_nothing_of_the_story_is_anywhere_else(built: sitekit.BuildResult) -> None:
    """Listings, the gallery, village pages, feeds, search records, the sitemap, progress
    figures and spreadsheets, posters, calendars: no file names the story, and only its notice
    and marker sit at its URL."""
    site = built.site_dir
    own = {site / urls.story(GONE) / "index.html", site / urls.withdrawn_marker(GONE)}
    for path in site_files(site):
        assert GONE_PHOTO not in path.name, path
        assert path in own or "mizhai" not in path.relative_to(site).as_posix(), path
        for name, data in contents(path):
            text = data.decode("utf-8", "replace")
            for word in ITS_WORDS:
                assert word not in text, (name, word)
            if path not in own and path != site / urls.RELEASE_FACTS:
                assert GONE not in text, name
    # The deploy's record of the release names its URL as withdrawn, and nothing more of it.
    facts = json.loads((site / urls.RELEASE_FACTS).read_text("utf-8"))
    assert facts["withdrawn"] == {urls.story(GONE): facts["withdrawn"][urls.story(GONE)]}
    assert urls.story(GONE) not in facts["stories"]
    assert sorted(p.name for p in (site / urls.story(GONE)).iterdir()) == [
        urls.WITHDRAWN_MARKER,
        "index.html",
    ]


def test_none_of_its_media_is_published(project: Path, built: sitekit.BuildResult) -> None:
    """The kept story has no photos: the site has no derived file at all, and no file holds
    the original's bytes."""
    original = (project / "docs/stories" / GONE / GONE_PHOTO).read_bytes()
    media = built.site_dir / urls.MEDIA
    assert not media.exists() or not any(media.iterdir())
    for path in site_files(built.site_dir):
        assert original not in path.read_bytes(), path
    assert f"{GONE_PHOTO}" not in built.output  # not even probed


def test_it_is_counted_nowhere(built: sitekit.BuildResult) -> None:
    site = built.site_dir
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert urls.story(KEPT) in sitemap and urls.story(GONE) not in sitemap
    stories = [url for url in searchkit.indexed_pages(site) if url.startswith("/stories/20")]
    assert stories == ["/" + urls.story(KEPT)]
    rows = list(csv.reader((site / urls.PROGRESS_CSV).read_text("utf-8-sig").splitlines()))
    assert not any(GONE_VILLAGE in cell for row in rows for cell in row)
    feed = (site / urls.STORIES_FEED).read_text("utf-8")
    assert feed.count("<entry>") == 1
    schedule = json.loads((site / "troupe/schedule.json").read_text("utf-8"))
    assert GONE not in json.dumps(schedule, ensure_ascii=False)


def test_the_build_log_records_the_withdrawal(built: sitekit.BuildResult) -> None:
    assert f"stories/{GONE}/：已撤稿（2022-02-28，{GONE_REASON}）" in built.output


def test_corrections_end_the_story_oldest_first(built: sitekit.BuildResult) -> None:
    html = (built.site_dir / urls.story(KEPT) / "index.html").read_text("utf-8")
    section = html[html.index('class="hp-corrections"') :]

    assert "<h2" in section and "更正</h2>" in section
    first = section.index("2021年3月20日")
    second = section.index("2021年5月2日")
    assert first < section.index("小岳湾村") < second < section.index("作者单位已改正")
    assert "原文把村名“小岳湾村”误写为“小月湾村”，已改正。" in section
    assert html.index("hp-corrections") > html.index("hp-story-body")


def test_changes_only_in_a_build_never(built: sitekit.BuildResult) -> None:
    assert not (built.site_dir / urls.CHANGES).exists()
    for path in site_files(built.site_dir):
        if path.suffix in {".html", ".xml", ".txt"}:
            assert "changes/" not in path.read_text("utf-8", "replace"), path


def test_changes_in_a_preview(project: Path, serve_project: sitekit.ServeProjectFactory) -> None:
    served = serve_project(project)

    status, html = sitekit.fetch(served.url("/" + urls.CHANGES))

    assert status == 200
    assert '<meta name="robots" content="noindex"' in html
    withdrawals = html[html.index("<h2>撤稿</h2>") : html.index("<h2>迁移")]
    assert f"/stories/{GONE}/" in withdrawals and GONE_REASON in withdrawals
    assert "2022年2月28日" in withdrawals and f"docs/stories/{GONE}/index.md:" in withdrawals
    corrections = html[html.index("<h2>更正</h2>") :]
    assert corrections.index("2021年5月2日") < corrections.index("2021年3月20日")
    assert "第二次更正：作者单位已改正。" in corrections
    status, notice = sitekit.fetch(served.url("/" + urls.story(GONE)))
    assert status == 200 and "应当事人要求，本文已撤下" in notice
    assert GONE_TITLE not in notice
    home_status, home = sitekit.fetch(served.url("/"))
    assert home_status == 200 and urls.CHANGES not in home


def test_a_corrected_story_s_feed_entry_is_updated_at_its_latest_correction(
    built: sitekit.BuildResult,
) -> None:
    feed = feedparser.parse((built.site_dir / urls.STORIES_FEED).read_bytes())

    (entry,) = feed.entries
    assert entry.published.startswith("2021-03-12")
    assert entry.updated.startswith("2021-05-02")
    assert feed.feed.updated.startswith("2021-05-02")


def test_make_check_says_a_story_is_withdrawn(project: Path) -> None:
    everything = sitekit.check(project)
    one = sitekit.run_script("check", project, f"docs/stories/{GONE}")

    assert everything.returncode == 0, everything.stdout + everything.stderr
    assert "都可以发布；另有 1 篇已撤稿。" in everything.stdout
    assert one.returncode == 0, one.stdout + one.stderr
    assert f"已检查 docs/stories/{GONE}：已撤稿" in one.stdout
