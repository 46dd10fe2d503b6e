"""Stories already read and checked are found again by content, and only then
(hooks/huatuopin/storycache.py): a build after an edit, a new file, a damaged entry or a
new process gives exactly what reading the story afresh gives."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import mediakit
import pytest
import storykit
from huatuopin.settings import CampaignSettings
from huatuopin.storycache import (
    _READS,
    RACY_NS,
    STORIES_PART,
    StoryReads,
    folder_entries,
    prune_story_cache,
)

SETTINGS = CampaignSettings()


@pytest.fixture(autouse=True)
def fresh_process() -> None:
    _READS.clear()  # as a new build process starts


def reads(root: Path) -> StoryReads:
    """The cache's counters of the last build (without starting a new pass)."""
    (found,) = (reads for (folder, _), reads in _READS.items() if folder.is_relative_to(root))
    return found


def age(path: Path) -> None:
    """Set the file's time back, as for a story saved a while before the build."""
    old = path.stat().st_mtime_ns - 2 * RACY_NS
    os.utime(path, ns=(old, old))


def test_an_unchanged_story_is_read_once_across_builds_and_processes(tmp_path: Path) -> None:
    story = storykit.write_story(tmp_path)
    age(story.index)
    first = storykit.catalog(tmp_path)
    assert reads(tmp_path).read == 1
    second = storykit.catalog(tmp_path)
    assert (reads(tmp_path).read, reads(tmp_path).reused) == (0, 1)
    assert second.stories[0].title == first.stories[0].title

    _READS.clear()  # another build later: found on disk
    third = storykit.catalog(tmp_path)
    assert (reads(tmp_path).read, reads(tmp_path).reused) == (0, 1)
    assert third.stories[0].title == first.stories[0].title
    assert list((tmp_path / ".cache" / STORIES_PART).glob("*/*.pickle"))


def test_an_edit_the_time_stamps_cannot_tell_apart_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system with coarse times gives a rewrite of the same size, straight after the
    last read, the very same stat: the cache must read the file again all the same."""
    story = storykit.write_story(tmp_path, {"title": "张庄的新路一"})
    frozen = story.index.stat()
    real_stat = Path.stat

    def coarse_stat(path: Path, *args: Any, **kwargs: Any) -> os.stat_result:
        return frozen if path == story.index else real_stat(path, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", coarse_stat)
    assert storykit.catalog(tmp_path).stories[0].title == "张庄的新路一"
    text = story.index.read_text("utf-8").replace("张庄的新路一", "张庄的新路二")
    story.index.write_text(text, "utf-8")
    assert storykit.catalog(tmp_path).stories[0].title == "张庄的新路二"


def test_a_folder_nested_deeper_than_python_recurses_is_listed(tmp_path: Path) -> None:
    folder = tmp_path / "story"
    deep = folder
    deep.mkdir()
    for _ in range(1200):  # beyond Python's recursion limit of 1,000
        deep = deep / "a"
        deep.mkdir()
    (deep / "photo.jpg").write_bytes(b"x")
    try:
        entries = folder_entries(folder)
    finally:
        # pytest's own clean-up of old temporary folders recurses and would fail on it.
        (deep / "photo.jpg").unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent
    assert len(entries) == 1201 and entries[-1].endswith("/photo.jpg")


def test_a_file_added_to_the_folder_is_seen(tmp_path: Path) -> None:
    story = storykit.write_story(tmp_path, {"cover": "cover.jpg", "consent": True})
    age(story.index)
    missing = storykit.catalog(tmp_path)
    assert any("cover" in problem.field for problem in missing.problems)
    story.add_file("cover.jpg", mediakit.small_jpeg((800, 600), (10, 120, 30)))
    found = storykit.catalog(tmp_path)
    assert not any(problem.field == "cover" for problem in found.problems), found.problems


def test_a_damaged_entry_is_read_from_the_story_again(tmp_path: Path) -> None:
    storykit.write_story(tmp_path, {"title": "张庄的新路"})
    storykit.catalog(tmp_path)
    for entry in (tmp_path / ".cache" / STORIES_PART).glob("*/*.pickle"):
        entry.write_bytes(b"not a pickle")
    _READS.clear()
    assert storykit.catalog(tmp_path).stories[0].title == "张庄的新路"
    assert reads(tmp_path).read == 1


def test_clean_cache_keeps_what_stories_use_and_drops_the_rest(tmp_path: Path) -> None:
    story = storykit.write_story(tmp_path, {"title": "张庄的新路"})
    storykit.catalog(tmp_path)
    story.index.write_text(story.index.read_text("utf-8").replace("新路", "新桥"), "utf-8")
    storykit.catalog(tmp_path)  # a second entry: the old title's is no longer used
    docs = tmp_path / "docs"
    dry = prune_story_cache(tmp_path, docs, SETTINGS, dry_run=True, everything=False)
    assert (dry.removed, dry.kept) == (1, 1)
    done = prune_story_cache(tmp_path, docs, SETTINGS, dry_run=False, everything=False)
    assert (done.removed, done.kept) == (1, 1)
    _READS.clear()
    assert storykit.catalog(tmp_path).stories[0].title == "张庄的新桥"
    assert reads(tmp_path).reused == 1
    cleared = prune_story_cache(tmp_path, docs, SETTINGS, dry_run=False, everything=True)
    assert (cleared.removed, cleared.kept) == (1, 0)
    assert not list((tmp_path / ".cache" / STORIES_PART).glob("*/*.pickle"))


def test_a_withdrawal_and_corrections_come_back_from_the_cache(tmp_path: Path) -> None:
    withdrawn = storykit.write_story(
        tmp_path,
        {"withdrawn": {"date": "2022-03-01", "reason": "当事人要求撤下"}},
        folder="2021-04-02-chehui",
    )
    corrected = storykit.write_story(
        tmp_path, {"corrections": [{"date": "2021-03-20", "note": "村名已改正。"}]}
    )
    age(withdrawn.index)
    age(corrected.index)
    first = storykit.catalog(tmp_path)

    _READS.clear()  # another build later: found on disk
    again = storykit.catalog(tmp_path)

    assert (reads(tmp_path).read, reads(tmp_path).reused) == (0, 2)
    assert again.withdrawn == first.withdrawn and len(again.withdrawn) == 1
    assert again.stories[0].corrections == first.stories[0].corrections
    assert [c.note for c in again.stories[0].corrections] == ["村名已改正。"]
