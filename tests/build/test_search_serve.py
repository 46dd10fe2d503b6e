"""`make serve` has search too: the index is there when the preview starts, and is made again
in the background after an edit, so search catches up with the page a few seconds later."""

from __future__ import annotations

import time
from pathlib import Path

import sitekit
from sitekit import story_text

FOLDER = "2021-03-12-zhangzhuang-guangfu"
MANIFEST = "/search-index/manifest.json"  # names the build: a new index, a new name
CATCH_UP_SECONDS = 60


def test_the_preview_is_searchable_and_its_index_follows_an_edit(
    tmp_path: Path, serve_project: sitekit.ServeProjectFactory
) -> None:
    project = sitekit.make_project(tmp_path, {FOLDER: story_text("张庄的光伏板")})
    served = serve_project(project)
    status, before = sitekit.fetch(served.url(MANIFEST))
    assert status == 200, served.output()
    assert sitekit.fetch(served.url("/search/"))[0] == 200

    index_md = project / "docs" / "stories" / FOLDER / "index.md"
    index_md.write_text(story_text("槐树下的石碾子成了滑梯"), encoding="utf-8")
    deadline = time.monotonic() + CATCH_UP_SECONDS
    while True:
        status, now = sitekit.fetch(served.url(MANIFEST))
        if status == 200 and now != before:
            break
        assert time.monotonic() < deadline, f"the index did not follow the edit:\n{served.output()}"
        time.sleep(0.5)
    assert served.output().count("搜索索引：已收录") >= 2
