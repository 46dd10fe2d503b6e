"""`make serve` after an edit: the story, its listing and its village show the change at once,
and only the pages that depend on the edit are made again (hooks/huatuopin/rebuilds.py).

A site of synthetic stories (as `make bench` builds) served as `make serve` serves it, with
`--dirty`. How fast this is at 10,000 stories is measured by `make bench`, not here.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sitekit
from benchmarks.synthetic_stories import synthetic_stories, write_stories
from huatuopin.catalog import build_catalog
from huatuopin.project import load_project
from huatuopin.stories import STORIES_DIR

STORY_COUNT = 60  # three listing pages, dozens of villages: enough to see what is skipped
REBUILT = re.compile(r"预览：(\d+) 个页面需要重新生成")
WAIT_SECONDS = 90  # a rebuild on a loaded test machine; the bench measures the real latency


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sitekit.ServedProject]:
    root = sitekit.make_project(tmp_path_factory.mktemp("preview") / "project", {})
    settings = load_project(root / "mkdocs.yml").settings
    write_stories(synthetic_stories(STORY_COUNT, settings), root / "docs")
    served = sitekit.start_serve(root)
    yield served
    served.stop()


def project_of(served: sitekit.ServedProject) -> Path:
    return served.log_path.parent


def newest_story(project: Path) -> tuple[str, str, str]:
    """(folder, title, village page URL) of the story on top of /stories/."""
    settings = load_project(project / "mkdocs.yml").settings
    catalog = build_catalog(project, project / "docs", settings, include_drafts=True)
    story = catalog.stories[0]
    return story.folder, story.title, story.village.url


def rebuild_counts(served: sitekit.ServedProject) -> list[int]:
    return [int(count) for count in REBUILT.findall(served.output())]


def wait_for(served: sitekit.ServedProject, checks: dict[str, str], *, absent: bool = False):
    """Seconds until every page shows (or, `absent`, no longer shows) its text."""
    started = time.monotonic()
    pending = dict(checks)
    while pending:
        for path, text in list(pending.items()):
            status, html = sitekit.fetch(served.url(path))
            shown = status == 200 and text in html
            if shown != absent:
                del pending[path]
        if not pending:
            break
        if time.monotonic() - started > WAIT_SECONDS:
            pytest.fail(f"after {WAIT_SECONDS} s still waiting for {pending}:\n{served.output()}")
        time.sleep(0.2)
    return time.monotonic() - started


def edit_title(index_md: Path, old: str, new: str) -> None:
    text = index_md.read_text("utf-8")
    assert f"title: {old}" in text
    index_md.write_text(text.replace(f"title: {old}", f"title: {new}", 1), "utf-8")


def test_an_edited_title_shows_on_the_story_its_listing_and_its_village(
    served: sitekit.ServedProject,
) -> None:
    project = project_of(served)
    folder, title, village_url = newest_story(project)
    story_url = f"/{STORIES_DIR}/{folder}/"
    pages = {story_url: title, "/stories/": title, "/" + village_url: title}
    wait_for(served, pages)
    builds_before = len(rebuild_counts(served))

    changed = f"{title}（修订稿）"
    edit_title(project / "docs" / STORIES_DIR / folder / "index.md", title, changed)
    seconds = wait_for(served, dict.fromkeys(pages, changed))
    print(f"edit shown on the story, /stories/ and its village after {seconds:.1f} s")

    counts = rebuild_counts(served)
    assert len(counts) > builds_before, served.output()
    first, latest = counts[0], counts[-1]
    # The story, its listing, its village and its poster, the home page…; not the whole site.
    assert 0 < latest <= 12 < first, counts


def test_an_unchanged_site_makes_no_page_again(served: sitekit.ServedProject) -> None:
    project = project_of(served)
    builds_before = len(rebuild_counts(served))
    (project / "docs" / "index.md").touch()  # a save without a change
    deadline = time.monotonic() + WAIT_SECONDS
    while len(rebuild_counts(served)) == builds_before:
        assert time.monotonic() < deadline, served.output()
        time.sleep(0.2)
    assert rebuild_counts(served)[-1] <= 1  # the home page's own file, saved


def test_a_removed_story_leaves_the_preview(served: sitekit.ServedProject) -> None:
    project = project_of(served)
    folder, title, _ = newest_story(project)
    story_url = f"/{STORIES_DIR}/{folder}/"
    wait_for(served, {story_url: title, "/stories/": title})
    shutil.rmtree(project / "docs" / STORIES_DIR / folder)
    wait_for(served, {story_url: title, "/stories/": title}, absent=True)
    status, _ = sitekit.fetch(served.url(story_url))
    assert status == 404


def test_a_changed_setting_shows_on_pages_whose_views_did_not_change(
    served: sitekit.ServedProject,
) -> None:
    """mkdocs.yml is part of what every page is made from: a line no view holds (Material's
    footer shows `copyright`) still shows on a story untouched by the edit."""
    project = project_of(served)
    folder, title, _ = newest_story(project)
    story_url = f"/{STORIES_DIR}/{folder}/"
    wait_for(served, {story_url: title})
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "\ncopyright:" not in text
    notice = "预览里新加的版权说明"
    config.write_text(f"{text.rstrip()}\ncopyright: {notice}\n", "utf-8")
    wait_for(served, {story_url: notice, "/stories/": notice})


def test_redirects_yml_beside_mkdocs_yml_is_watched(served: sitekit.ServedProject) -> None:
    """Made, then removed: the old address's page comes and goes without a restart."""
    project = project_of(served)
    folder, _title, _ = newest_story(project)
    old_url = f"/{STORIES_DIR}/2021-01-01-moved/"
    redirects = project / "redirects.yml"
    assert not redirects.exists()
    redirects.write_text(f"redirect_maps:\n  2021-01-01-moved: {folder}\n", "utf-8")
    wait_for(served, {old_url: f"url=../{folder}/"})
    redirects.unlink()
    wait_for(served, {old_url: f"url=../{folder}/"}, absent=True)
    assert sitekit.fetch(served.url(old_url))[0] == 404
