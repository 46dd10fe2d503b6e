"""Folder-level rules: where story files live, folder names, drafts, and the sample stories."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from huatuopin.catalog import build_catalog
from huatuopin.gazetteer import load_gazetteer
from huatuopin.settings import CampaignSettings
from huatuopin.stories import load_story
from storykit import (
    catalog,
    load,
    only_one,
    only_problem,
    problems_text,
    stories_dir,
    write_raw,
    write_story,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_FOLDERS = sorted((PROJECT_ROOT / "docs" / "stories").glob("*/index.md"))
# The sample's withdrawn stories: a `withdrawn:` block and nothing else of a story.
SAMPLE_WITHDRAWN = [p for p in SAMPLE_FOLDERS if "\nwithdrawn:" in p.read_text("utf-8")]
SAMPLE_STORIES = [p for p in SAMPLE_FOLDERS if p not in SAMPLE_WITHDRAWN]


# -- folder names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("folder", "phrase"),
    [
        pytest.param("2021-03-12-Zhangzhuang", "只用小写字母、数字和连字符", id="upper-case"),
        pytest.param("2021-03-12-zhang_zhuang", "只用小写字母、数字和连字符", id="underscore"),
        pytest.param("2021-03-12-张庄", "只用小写字母、数字和连字符", id="chinese"),
        pytest.param("2021-03-12-zhang--zhuang", "不符合要求", id="double-hyphen"),
        pytest.param("2021-03-12-zhangzhuang-", "不符合要求", id="trailing-hyphen"),
        pytest.param("2021-3-12-zhangzhuang", "例如 2021-03-12-zhangzhuang", id="short-month"),
        pytest.param("zhangzhuang", "写稿日期-英文或拼音", id="no-date"),
        pytest.param("2021-03-12", "不符合要求", id="no-slug"),
        pytest.param("2021-02-30-zhangzhuang", "开头的日期不存在", id="impossible-date"),
        pytest.param("2021-13-01-zhangzhuang", "开头的日期不存在", id="month-13"),
    ],
)
def test_folder_name_must_be_date_and_slug(tmp_path: Path, folder: str, phrase: str) -> None:
    story = write_story(tmp_path, folder=folder)

    problem = only_problem(story.load())
    assert (problem.path, problem.line, problem.field) == (
        f"docs/stories/{folder}/index.md",
        1,
        "文件夹名",
    )
    assert f"“{folder}”" in problem.message
    assert phrase in problem.message


@pytest.mark.parametrize("folder", ["2021-03-12-zhangzhuang", "2021-07-06-z", "2020-02-29-leap-2"])
def test_good_folder_names(tmp_path: Path, folder: str) -> None:
    result = write_story(tmp_path, folder=folder).load()

    assert result.problems == ()
    assert result.story is not None
    assert result.story.url == f"stories/{folder}/"
    assert result.story.src_uri == f"stories/{folder}/index.md"


def test_folder_problem_comes_with_the_field_problems(tmp_path: Path) -> None:
    story = write_story(tmp_path, {"form": "散文"}, folder="2021_03_12_zhangzhuang")

    fields = sorted(p.field for p in story.load().problems)
    assert fields == ["form", "文件夹名"]


# -- files in the wrong place -------------------------------------------------------------------


def test_markdown_file_directly_in_stories_is_named(tmp_path: Path) -> None:
    write_story(tmp_path)
    (stories_dir(tmp_path) / "zhangzhuang.md").write_text("---\ntitle: x\n---\n", "utf-8")

    result = catalog(tmp_path)
    problem = only_one(result.problems)
    assert (problem.path, problem.line, problem.field) == ("docs/stories/zhangzhuang.md", 1, "文件")
    assert "稿件要放在自己的文件夹里：docs/stories/YYYY-MM-DD-拼音/index.md" in problem.message
    assert len(result.stories) == 1


def test_other_file_directly_in_stories_is_named(tmp_path: Path) -> None:
    (tmp_path / "docs" / "stories").mkdir(parents=True)
    (stories_dir(tmp_path) / "cover.jpg").write_bytes(b"jpg")

    problem = only_one(catalog(tmp_path).problems)
    assert (problem.path, problem.field) == ("docs/stories/cover.jpg", "文件")
    assert "不会发布" in problem.message


def test_hidden_entries_are_ignored(tmp_path: Path) -> None:
    write_story(tmp_path)
    (stories_dir(tmp_path) / ".DS_Store").write_bytes(b"\0")
    (stories_dir(tmp_path) / ".drafts").mkdir()

    assert catalog(tmp_path).problems == ()


@pytest.mark.parametrize("name", ["README.md", "Index.md", "index.markdown"])
def test_folder_without_index_md_is_named(tmp_path: Path, name: str) -> None:
    folder = stories_dir(tmp_path) / "2021-03-12-zhangzhuang"
    folder.mkdir(parents=True)
    (folder / name).write_text("---\ntitle: x\n---\n", "utf-8")

    problems = catalog(tmp_path).problems
    missing = [p for p in problems if p.path == "docs/stories/2021-03-12-zhangzhuang"]
    assert len(missing) == 1, problems_text(problems)
    assert (missing[0].line, missing[0].field) == (1, "文件")
    assert "缺少 index.md" in missing[0].message


def test_empty_story_folder_is_named(tmp_path: Path) -> None:
    (stories_dir(tmp_path) / "2021-03-12-zhangzhuang").mkdir(parents=True)

    problem = only_one(catalog(tmp_path).problems)
    assert problem.path == "docs/stories/2021-03-12-zhangzhuang"


@pytest.mark.parametrize("extra", ["notes.md", "photos/index.md"])
def test_second_markdown_file_in_a_story_folder_is_named(tmp_path: Path, extra: str) -> None:
    story = write_story(tmp_path)
    story.add_file(extra, "# 采访笔记\n".encode())

    result = catalog(tmp_path)
    problem = only_one(result.problems)
    assert (problem.path, problem.line, problem.field) == (
        f"docs/stories/2021-03-12-zhangzhuang/{extra}",
        1,
        "文件",
    )
    assert "一篇稿件只能有一个 Markdown 文件 index.md" in problem.message
    assert len(result.stories) == 1  # the story itself is still fine


def test_catalog_without_stories_folder_is_empty(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()

    result = catalog(tmp_path)
    assert (result.stories, result.problems) == ((), ())


# -- drafts -------------------------------------------------------------------------------------


def test_draft_is_skipped_without_its_problems_when_drafts_are_excluded(tmp_path: Path) -> None:
    write_story(tmp_path, {"draft": True, "activity": "回乡看"})

    result = catalog(tmp_path, include_drafts=False)
    assert (result.stories, result.problems) == ((), ())
    assert result.skipped_drafts == ("docs/stories/2021-03-12-zhangzhuang/index.md",)


def test_draft_is_validated_when_drafts_are_included(tmp_path: Path) -> None:
    story = write_story(tmp_path, {"draft": True, "activity": "回乡看"})

    result = catalog(tmp_path, include_drafts=True)
    problem = only_one(result.problems)
    assert (problem.path, problem.line, problem.field) == (
        story.rel,
        story.line("activity:"),
        "activity",
    )
    assert result.rejected == (story.rel,)
    assert result.skipped_drafts == ()


def test_valid_draft_is_listed_only_when_drafts_are_included(tmp_path: Path) -> None:
    write_story(tmp_path, {"draft": True})

    assert catalog(tmp_path, include_drafts=False).stories == ()
    included = catalog(tmp_path, include_drafts=True).stories
    assert [s.draft for s in included] == [True]


def test_draft_false_is_published(tmp_path: Path) -> None:
    write_story(tmp_path, {"draft": False})

    result = catalog(tmp_path, include_drafts=False)
    assert len(result.stories) == 1
    assert result.skipped_drafts == ()


# -- valid and invalid side by side -------------------------------------------------------------


def test_valid_story_beside_an_invalid_one_is_still_published(tmp_path: Path) -> None:
    good = write_story(tmp_path, folder="2021-03-12-zhangzhuang")
    bad = write_story(
        tmp_path, {"activity": "回乡看", "county": "兰考"}, folder="2021-03-13-dongbatou"
    )
    broken = write_raw(tmp_path, "没有 front-matter\n", folder="2021-03-14-broken")

    result = catalog(tmp_path)
    assert [s.folder for s in result.stories] == ["2021-03-12-zhangzhuang"]
    assert sorted(result.rejected) == [bad.rel, broken.rel]
    assert {(p.path, p.field) for p in result.problems} == {
        (bad.rel, "activity"),
        (bad.rel, "county"),
        (broken.rel, "front-matter"),
    }
    assert good.rel not in result.rejected


def test_catalog_lists_newest_story_first(tmp_path: Path) -> None:
    write_story(tmp_path, {"date": dt.date(2021, 3, 1)}, folder="2021-03-01-a")
    write_story(tmp_path, {"date": dt.date(2021, 5, 1)}, folder="2021-05-01-b")
    write_story(tmp_path, {"date": dt.date(2021, 4, 1)}, folder="2021-04-01-c")

    assert [s.folder for s in catalog(tmp_path).stories] == [
        "2021-05-01-b",
        "2021-04-01-c",
        "2021-03-01-a",
    ]


def test_only_one_story_is_checked_with_its_folder_problems(tmp_path: Path) -> None:
    first = write_story(tmp_path, {"form": "散文"}, folder="2021-03-12-zhangzhuang")
    first.add_file("notes.md", b"# notes\n")
    write_story(tmp_path, {"activity": "回乡看"}, folder="2021-03-13-dongbatou")

    result = build_catalog(tmp_path, tmp_path / "docs", CampaignSettings(), include_drafts=True)
    assert sorted((p.path, p.field) for p in result.problems_involving(first.folder_rel)) == [
        ("docs/stories/2021-03-12-zhangzhuang/index.md", "form"),
        ("docs/stories/2021-03-12-zhangzhuang/notes.md", "文件"),
    ]


def test_hints_reach_the_catalog(tmp_path: Path) -> None:
    write_story(tmp_path, {"city": "洛阳市", "county": "偃师市"})

    result = catalog(tmp_path)
    assert len(result.stories) == 1
    assert len(result.hints) == 1
    assert "“偃师市”已更名为“偃师区”" in result.hints[0]


# -- the sample stories -------------------------------------------------------------------------


def test_there_are_sample_stories() -> None:
    assert len(SAMPLE_STORIES) >= 10


@pytest.mark.parametrize("index", SAMPLE_STORIES, ids=lambda p: p.parent.name)
def test_sample_story_loads_without_problems(index: Path) -> None:
    result = load_story(PROJECT_ROOT, index, CampaignSettings(), load_gazetteer())

    assert result.problems == (), problems_text(result.problems)
    assert result.story is not None
    assert result.story.sample is True


def test_sample_catalog_has_no_problems() -> None:
    result = build_catalog(
        PROJECT_ROOT, PROJECT_ROOT / "docs", CampaignSettings(), include_drafts=True
    )

    assert result.problems == (), problems_text(result.problems)
    assert len(result.stories) == len(SAMPLE_STORIES)
    assert [w.source_path for w in result.withdrawn] == [
        p.relative_to(PROJECT_ROOT).as_posix() for p in SAMPLE_WITHDRAWN
    ]


def test_the_sample_shows_a_withdrawal_and_a_correction() -> None:
    result = build_catalog(
        PROJECT_ROOT, PROJECT_ROOT / "docs", CampaignSettings(), include_drafts=False
    )

    assert len(result.withdrawn) >= 1
    assert any(story.corrections for story in result.stories)


def test_load_helper_writes_under_docs_stories(tmp_path: Path) -> None:
    story, _ = load(tmp_path)

    assert story.index == tmp_path / "docs" / "stories" / "2021-03-12-zhangzhuang" / "index.md"
