"""A story whose media pass the check but cannot be made in the build (the file changed without
changing its size or time) leaves nothing behind: `mkdocs serve` resolves the Catalog again
without it, so no page, listing, village page, talk, gallery or feed links to it and its
village, which only it named, has no page; a strict build stops, naming the file."""

from __future__ import annotations

import os
import re
import urllib.parse
from pathlib import Path

import mediakit
import pytest
import sitekit

BROKEN = "2021-04-01-liulin-fangzi"  # its cover will not encode; the only story of 柳林村
GOOD = "2021-03-12-zhangzhuang-guangfu"
LIULIN_PAGE = "/villages/kaifeng/lankao/liulin/"

MEMBERS = """\
- id: wang-xiaohong
  name: 王小红
  category: 驻村第一书记
  unit: 兰考县农业农村局
  city: 开封市
  bio: 在张庄村驻村四年。
"""


def talk(talk_id: str, date: str, village: str, status: str, stories: list[str]) -> str:
    linked = "".join(f"    - {folder}\n" for folder in stories)
    return (
        f'- id: {talk_id}\n  date: {date}\n  start: "09:30"\n  end: "10:30"\n'
        f"  city: 开封市\n  county: 兰考县\n  village: {village}\n  venue: 村委会广场\n"
        "  speakers:\n    - wang-xiaohong\n  title: 村里的变化\n  form: 微宣讲\n"
        f"  status: {status}\n" + (f"  stories:\n{linked}" if stories else "")
    )


SCHEDULE = (
    talk("with-broken", "2021-04-02", "张庄村", "已完成", [BROKEN])
    + talk("at-liulin", "2021-04-03", "柳林村", "计划", [])
    + talk("with-good", "2021-04-04", "张庄村", "已完成", [GOOD])
)


def media_story(title: str, date: str, village: str) -> str:
    pair = (
        "pairs:\n  - before: before.jpg\n    after: after.jpg\n    before_year: 2016\n"
        "    after_year: 2021\n    theme: 住房\n    caption: 危房改造前后\n"
    )
    return sitekit.story_text(
        title,
        date=date,
        village=village,
        activity="回村看",
        form="摄影",
        extra=f"cover: cover.jpg\n{pair}consent: true\n",
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both stories check clean; then the broken story's cover is overwritten with bytes that
    are no picture, keeping its size and modification time, so the check's probe is reused."""
    root = tmp_path_factory.mktemp("media-failure")
    seed = int.from_bytes(os.urandom(4), "big")  # a picture no earlier build has encoded
    files = {
        f"{BROKEN}/cover.jpg": mediakit.camera_jpeg((800, 600), seed=seed, gps=False),
        f"{BROKEN}/before.jpg": mediakit.small_jpeg((640, 480), (90, 90, 90)),
        f"{BROKEN}/after.jpg": mediakit.small_jpeg((640, 480), (40, 160, 60)),
        f"{GOOD}/cover.jpg": mediakit.small_jpeg((640, 480), (200, 40, 40)),
        f"{GOOD}/before.jpg": mediakit.small_jpeg((640, 480), (91, 91, 91)),
        f"{GOOD}/after.jpg": mediakit.small_jpeg((640, 480), (41, 161, 61)),
    }
    stories = {
        BROKEN: media_story("柳林村的新房子", "2021-04-01", "柳林村"),
        GOOD: media_story("张庄的光伏板", "2021-03-12", "张庄村"),
    }
    project = sitekit.make_project(root / "project", stories, files=files)
    (project / "docs/troupe/schedule").mkdir(parents=True)
    (project / "docs/troupe/members.yml").write_text(MEMBERS, encoding="utf-8")
    (project / "docs/troupe/schedule/kaifeng.yml").write_text(SCHEDULE, encoding="utf-8")
    checked = sitekit.check(project)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    cover = project / sitekit.STORIES / BROKEN / "cover.jpg"
    before = cover.stat()
    cover.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(before.st_size - 4))
    os.utime(cover, ns=(before.st_atime_ns, before.st_mtime_ns))
    return project


def crawl(served: sitekit.ServedProject, starts: list[str]) -> dict[str, tuple[int, str]]:
    """Every page and feed reachable from `starts` by the site's own links: path → (status,
    body)."""
    found: dict[str, tuple[int, str]] = {}
    host = urllib.parse.urlsplit(served.base_url).netloc
    skipped = ("/assets/", "/media/", "/search-index/")  # files, not pages: fetched by the browser
    queue = list(starts)
    while queue:
        path = queue.pop()
        if path in found:
            continue
        found[path] = sitekit.fetch(served.url(path))
        status, body = found[path]
        if status != 200 or not path.endswith("/"):
            continue
        for href in re.findall(r'href="([^"#]*)', body):
            target = urllib.parse.urlsplit(urllib.parse.urljoin(served.url(path), href))
            if target.netloc == host and not target.path.startswith(skipped):
                queue.append(target.path)
    return found


def test_serve_leaves_no_link_to_the_story_and_no_empty_village(
    project: Path, serve_project: sitekit.ServeProjectFactory
) -> None:
    served = serve_project(project)
    feeds = [
        "/troupe/schedule.ics",
        "/troupe/schedule.xml",
        "/troupe/schedule.json",
        "/troupe/members/wang-xiaohong.ics",
        "/troupe/cities/kaifeng.ics",
        "/sitemap.xml",
    ]
    pages = crawl(served, ["/", "/gallery/", "/troupe/schedule/", "/villages/", *feeds])

    assert sitekit.fetch(served.url(f"/stories/{BROKEN}/"))[0] == 404
    assert sitekit.fetch(served.url(LIULIN_PAGE))[0] == 404, "a village page with no story"
    broken_links = [path for path, (status, _) in pages.items() if status != 200]
    assert broken_links == [], served.output()
    mentioning = [path for path, (_, body) in pages.items() if BROKEN in body or "liulin" in body]
    assert mentioning == ["/problems/"], mentioning
    assert [path for path, (_, body) in pages.items() if "柳林村" in body] == ["/problems/"]

    # What is published still is: the good story, its pair in the gallery, its held talk.
    assert f"/stories/{GOOD}/" in pages
    assert "/villages/kaifeng/lankao/zhangzhuang/" in pages
    assert "with-good" in pages["/troupe/schedule.json"][1]
    assert "before" in pages["/gallery/"][1] and GOOD in pages["/gallery/"][1]
    # Each rejection is on /problems/, at its place.
    report = pages["/problems/"][1]
    assert f"docs/stories/{BROKEN}/index.md" in report and "cover" in report
    assert "docs/troupe/schedule/kaifeng.yml" in report
    assert "第 1 场宣讲：稿件“2021-04-01-liulin-fangzi”目前没有发布" in report
    assert "第 2 场宣讲：“柳林村”只出现在还没有发布的稿件里" in report


def test_strict_build_stops_on_it_and_publishes_nothing(project: Path, tmp_path: Path) -> None:
    result = sitekit.build(project, strict=True, site_dir=tmp_path / "site")
    assert result.returncode == 1
    assert "Traceback" not in result.output
    index = project / sitekit.STORIES / BROKEN / "index.md"
    line = next(
        number
        for number, text in enumerate(index.read_text("utf-8").splitlines(), start=1)
        if text.startswith("cover:")
    )
    assert f"docs/stories/{BROKEN}/index.md:{line}: cover: “cover.jpg”" in result.output
    assert "构建中止" in result.output
    assert not (tmp_path / "site" / "media").exists()
