"""redirects.yml: a renamed story folder keeps its old links (issue 14, lane 2).

Each side of a line may be written four ways and means the story's address; every mistake is
a problem at its line, in the `redirects.yml:line: redirect_maps: …` format; chains lead
straight to their end; and a redirect is published only to a story the site publishes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import time
from pathlib import Path

import pytest
import storykit
from huatuopin.catalog import Catalog, resolve
from huatuopin.models import Redirect, Withdrawal
from huatuopin.problems import Problem
from huatuopin.redirects.loading import load_redirects
from huatuopin.settings import CampaignSettings
from huatuopin.validate import validate_sources
from sitekit import line_of

NEW = "2021-03-12-zhangzhuang"  # storykit's story: the one every redirect here leads to
OLD = "2021-03-12-old-name"
FILE = "redirects.yml"
HEADER = "# 稿件文件夹改名以后，在这里写“旧地址: 新地址”。\nredirect_maps:\n"


def write(root: Path, text: str) -> str:
    (root / FILE).write_text(text, encoding="utf-8")
    return text


def with_story(root: Path, lines: str) -> str:
    storykit.write_story(root, folder=NEW)
    return write(root, HEADER + lines)


def catalog(root: Path, *, include_drafts: bool = False) -> Catalog:
    return storykit.catalog(root, include_drafts=include_drafts)


def problems_at_file(result: Catalog) -> list[Problem]:
    return [problem for problem in result.problems if problem.path == FILE]


def story(folder: str) -> str:
    return f"stories/{folder}/"


# -- the data file -----------------------------------------------------------------------------


def test_no_file_and_an_empty_file_mean_no_redirects(tmp_path: Path) -> None:
    storykit.write_story(tmp_path, folder=NEW)
    assert catalog(tmp_path).redirects == ()
    for text in ("", "# 还没有改名的稿件\n", "redirect_maps:\n", "redirect_maps: {}\n"):
        write(tmp_path, text)
        result = catalog(tmp_path)
        assert (result.problems, result.redirects) == ((), ()), text


@pytest.mark.parametrize(
    "written",
    [
        "stories/{}/index.md",  # mkdocs-redirects' form
        "stories/{}/",
        "/stories/{}/",
        "{}",
        "  stories/{}/  ",
    ],
)
def test_each_side_may_be_written_four_ways(tmp_path: Path, written: str) -> None:
    old, new = written.format(OLD).strip(), written.format(NEW).strip()
    text = with_story(tmp_path, f'  "{old}": "{new}"\n')
    result = catalog(tmp_path)
    assert result.problems == ()
    assert result.redirects == (Redirect(story(OLD), story(NEW), FILE, line_of(text, OLD)),)


def test_the_four_forms_can_be_mixed_on_one_line(tmp_path: Path) -> None:
    with_story(
        tmp_path, f"  stories/{OLD}/index.md: {NEW}\n  /stories/2021-01-02-older/: stories/{NEW}/\n"
    )
    assert [(r.old, r.new) for r in catalog(tmp_path).redirects] == [
        (story(OLD), story(NEW)),
        (story("2021-01-02-older"), story(NEW)),
    ]


# -- problems at their line --------------------------------------------------------------------


def only(result: Catalog) -> Problem:
    found = problems_at_file(result)
    assert len(found) == 1, "\n".join(map(str, result.problems))
    return found[0]


def test_a_yaml_mistake_is_a_problem_at_its_line(tmp_path: Path) -> None:
    text = with_story(tmp_path, f"  {OLD}: {NEW}\n  stories/a/: 注意: 这样写\n")
    problem = only(catalog(tmp_path))
    assert (problem.path, problem.line, problem.field) == (FILE, line_of(text, "注意"), "YAML")
    assert "冒号" in problem.message


@pytest.mark.parametrize(
    ("text", "needle", "field", "says"),
    [
        ("- stories/a/: stories/b/\n", None, "YAML", "redirect_maps:"),
        ("redirects:\n  a: b\n", "redirects:", "redirects", "不认识“redirects”"),
        ("redirect_maps:\n  - a\n", "redirect_maps", "redirect_maps", "格式不对"),
    ],
)
def test_a_file_of_the_wrong_shape_says_how_it_is_written(
    tmp_path: Path, text: str, needle: str | None, field: str, says: str
) -> None:
    storykit.write_story(tmp_path, folder=NEW)
    write(tmp_path, text)
    problems = problems_at_file(catalog(tmp_path))
    assert problems, "no problem"
    problem = problems[0]
    assert (problem.line, problem.field) == (line_of(text, needle) if needle else 1, field)
    assert says in problem.message
    assert "stories/2021-03-12-old-name/index.md: stories/2021-03-12-new-name/index.md" in (
        problems[-1].message
    )


@pytest.mark.parametrize(
    ("line", "says"),
    [
        (f"  https://huatuopin.example.org/stories/{OLD}/: {NEW}", "不要写 http://"),
        (f"  stories/{OLD}/index.html: {NEW}", "不是稿件的地址"),
        (f"  docs/stories/{OLD}/index.md: {NEW}", "不是稿件的地址"),
        (f"  villages/kaifeng/: {NEW}", "不是稿件的地址"),
        (f"  {OLD}: stories/{NEW}", "不是稿件的地址"),
    ],
)
def test_a_side_that_is_not_a_story_address_says_which_forms_work(
    tmp_path: Path, line: str, says: str
) -> None:
    text = with_story(tmp_path, line + "\n")
    result = catalog(tmp_path)
    problem = only(result)
    assert (problem.line, problem.field) == (line_of(text, line.strip()), "redirect_maps")
    assert says in problem.message
    assert (
        "stories/<文件夹名>/index.md、stories/<文件夹名>/、/stories/<文件夹名>/" in problem.message
    )
    assert result.redirects == ()


@pytest.mark.parametrize(
    ("line", "says"),
    [
        (f"  2021-3-12-old: {NEW}", "旧地址里的文件夹名“2021-3-12-old”不符合要求"),
        (f"  stories/2021-02-30-old/: {NEW}", "旧地址里的文件夹名“2021-02-30-old”开头的日期不存在"),
        (f"  {OLD}: stories/2021-03-12-New-Name/", "新地址里的文件夹名“2021-03-12-New-Name”不符合"),
        (f"  {OLD}: 2021-03-12-张庄", "新地址里的文件夹名“2021-03-12-张庄”不符合"),
        (f"  2021-03-12-13812345678: {NEW}", "手机号码"),
        # A newline escaped in quotes, before the slash: not a folder name, and never a line
        # of nginx's map (the build stopped on it with a traceback).
        (f'  "stories/{OLD}\\n/": {NEW}', "不符合要求"),
        (f'  {OLD}: "/stories/{NEW}\\n/"', "不符合要求"),
    ],
)
def test_a_folder_name_that_is_not_valid_is_refused(tmp_path: Path, line: str, says: str) -> None:
    text = with_story(tmp_path, line + "\n")
    result = catalog(tmp_path)
    problem = only(result)
    assert (problem.line, problem.field) == (line_of(text, line.strip()), "redirect_maps")
    assert says in problem.message
    assert result.redirects == ()


@pytest.mark.parametrize("value", ["", "~", "[a, b]"])
def test_a_line_without_a_new_address_is_a_problem(tmp_path: Path, value: str) -> None:
    text = with_story(tmp_path, f"  {OLD}: {value}\n")
    problem = only(catalog(tmp_path))
    assert (problem.line, problem.field) == (line_of(text, OLD), "redirect_maps")
    assert "新地址" in problem.message


def test_an_old_address_whose_folder_still_holds_a_story_is_refused(tmp_path: Path) -> None:
    storykit.write_story(tmp_path, {"village": "柳林村"}, folder="2021-03-13-liulin")
    text = with_story(tmp_path, f"  2021-03-13-liulin: {NEW}\n")
    result = catalog(tmp_path)
    problem = only(result)
    assert problem.line == line_of(text, "2021-03-13-liulin")
    assert "docs/stories/2021-03-13-liulin/ 还在" in problem.message
    assert result.redirects == ()
    # `make check STORY=docs/stories/2021-03-13-liulin` shows it: the story would be hidden.
    assert problem in result.problems_involving("docs/stories/2021-03-13-liulin")
    # A draft's folder too: the build skips it today, it is published tomorrow.
    storykit.write_story(tmp_path, {"village": "柳林村", "draft": True}, folder="2021-03-13-liulin")
    assert "还在" in only(catalog(tmp_path)).message


def test_an_old_address_written_twice_is_reported_at_the_second(tmp_path: Path) -> None:
    text = with_story(tmp_path, f"  stories/{OLD}/index.md: {NEW}\n  /stories/{OLD}/: {NEW}\n")
    result = catalog(tmp_path)
    problem = only(result)
    assert problem.line == line_of(text, f"/stories/{OLD}/")
    assert f"第 {line_of(text, f'stories/{OLD}/index.md')} 行已经写过" in problem.message
    assert [r.line for r in result.redirects] == [line_of(text, f"stories/{OLD}/index.md")]


def test_the_same_key_twice_is_yaml_s_duplicate(tmp_path: Path) -> None:
    text = with_story(tmp_path, f"  {OLD}: {NEW}\n  {OLD}: {NEW}\n")
    problem = only(catalog(tmp_path))
    assert problem.line == line_of(text, OLD, 2)
    assert "重复" in problem.message


# -- chains and loops --------------------------------------------------------------------------


def test_a_chain_leads_every_old_address_straight_to_the_last(tmp_path: Path) -> None:
    a, b = "2021-01-01-first-name", "2021-02-01-second-name"
    text = with_story(tmp_path, f"  {a}: {b}\n  {b}: {NEW}\n")
    result = catalog(tmp_path)
    assert result.problems == ()
    assert result.redirects == (
        Redirect(story(a), story(NEW), FILE, line_of(text, f"{a}:")),
        Redirect(story(b), story(NEW), FILE, line_of(text, f"{b}:")),
    )


def test_a_long_chain_is_flattened_in_a_moment(tmp_path: Path) -> None:
    """Each line used to walk the rest of its chain, comparing every step with every other: a
    chain of 1000 renames took about half a minute to read (2000 took minutes)."""
    folders = [f"2021-01-01-name{i}" for i in range(1000)] + [NEW]
    with_story(tmp_path, "".join(f"  {a}: {b}\n" for a, b in itertools.pairwise(folders)))
    started = time.perf_counter()
    result = load_redirects(tmp_path, tmp_path / "docs")
    assert time.perf_counter() - started < 5
    assert result.problems == ()
    assert {r.new for r in result.redirects} == {story(NEW)} and len(result.redirects) == 1000


def test_a_loop_is_refused_once_at_its_first_line(tmp_path: Path) -> None:
    a, b, c = "2021-01-01-a", "2021-01-02-b", "2021-01-03-c"
    text = with_story(tmp_path, f"  {a}: {b}\n  {b}: {c}\n  {c}: {a}\n  {OLD}: {NEW}\n")
    result = catalog(tmp_path)
    problem = only(result)
    assert (problem.line, problem.field) == (line_of(text, f"{a}:"), "redirect_maps")
    assert f"{story(a)} → {story(b)} → {story(c)} → {story(a)}" in problem.message
    assert f"第 {line_of(text, f'{b}:')}、{line_of(text, f'{c}:')} 行" in problem.message
    assert [r.old for r in result.redirects] == [story(OLD)]


def test_a_line_leading_into_a_loop_is_refused_too(tmp_path: Path) -> None:
    a, b = "2021-01-01-a", "2021-01-02-b"
    text = with_story(tmp_path, f"  {OLD}: {a}\n  {a}: {b}\n  {b}: {a}\n")
    result = catalog(tmp_path)
    lines = sorted((p.line, p.message) for p in problems_at_file(result))
    assert [line for line, _ in lines] == [line_of(text, f"{OLD}:"), line_of(text, f"{a}:")]
    assert f"第 {line_of(text, f'{a}:')} 行开始的循环" in lines[0][1]
    assert result.redirects == ()


def test_a_redirect_to_itself_is_refused(tmp_path: Path) -> None:
    text = with_story(tmp_path, f"  {OLD}: stories/{OLD}/index.md\n")
    problem = only(catalog(tmp_path))
    assert problem.line == line_of(text, OLD)
    assert "旧地址和新地址是同一篇" in problem.message


# -- the new address must be a published story ----------------------------------------------


def test_a_new_address_without_a_story_is_a_problem_and_not_published(tmp_path: Path) -> None:
    text = with_story(tmp_path, f"  {OLD}: 2021-03-12-zhangzhaung\n")
    result = catalog(tmp_path)
    problem = only(result)
    assert (problem.line, problem.field) == (line_of(text, OLD), "redirect_maps")
    assert "没有 docs/stories/2021-03-12-zhangzhaung/ 这个稿件文件夹" in problem.message
    assert result.redirects == ()


def test_a_new_address_of_a_story_with_problems_names_it(tmp_path: Path) -> None:
    broken = storykit.write_story(tmp_path, {"activity": "回乡看"}, folder="2021-03-13-broken")
    text = with_story(tmp_path, f"  {OLD}: 2021-03-13-broken\n")
    result = catalog(tmp_path)
    problem = only(result)
    assert problem.line == line_of(text, OLD)
    assert f"请先按 {broken.rel} 的问题改好" in problem.message
    # `make check STORY=docs/stories/2021-03-13-broken` shows it with the story's own.
    assert problem in result.problems_involving(broken.folder_rel)


@pytest.mark.parametrize("include_drafts", [False, True])
def test_a_new_address_of_a_draft_is_a_problem_in_check_and_build_alike(
    tmp_path: Path, include_drafts: bool
) -> None:
    storykit.write_story(tmp_path, {"village": "柳林村", "draft": True}, folder="2021-03-13-draft")
    text = with_story(tmp_path, f"  {OLD}: 2021-03-13-draft\n")
    result = catalog(tmp_path, include_drafts=include_drafts)
    problem = only(result)
    assert problem.line == line_of(text, OLD)
    assert "草稿" in problem.message
    assert result.redirects == ()


def test_a_story_taken_down_after_it_moved_keeps_its_redirect(tmp_path: Path) -> None:
    """Its old links lead to the notice at its new address, as its new links do: `make
    takedown` of a moved story needs no edit of redirects.yml."""
    with_story(tmp_path, f"  {OLD}: {NEW}\n")
    validated = validate_sources(
        tmp_path, tmp_path / "docs", CampaignSettings(), include_drafts=False
    )
    withdrawal = Withdrawal(
        NEW, f"docs/stories/{NEW}/index.md", dt.date(2021, 8, 1), "当事人要求撤下", 3
    )
    taken_down = dataclasses.replace(
        validated,
        withdrawn=(withdrawal,),
        stories=tuple(s for s in validated.stories if s.folder != NEW),
    )
    result = resolve(taken_down)
    assert result.problems == ()
    assert [(r.old, r.new) for r in result.redirects] == [(f"stories/{OLD}/", f"stories/{NEW}/")]


def test_a_story_whose_media_fail_takes_its_redirects_with_it(tmp_path: Path) -> None:
    """A preview resolves again without a story whose media could not be made (site.py)."""
    with_story(tmp_path, f"  {OLD}: {NEW}\n")
    validated = validate_sources(
        tmp_path, tmp_path / "docs", CampaignSettings(), include_drafts=False
    )
    source = f"docs/stories/{NEW}/index.md"
    failure = Problem(source, 1, "cover", "照片无法处理")
    result = resolve(validated, without={source: [failure]})
    assert result.redirects == ()
    assert [p.path for p in result.problems] == [source, FILE]
