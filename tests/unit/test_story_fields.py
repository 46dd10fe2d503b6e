"""Front-matter fields of a story: required, typed, from a fixed vocabulary, within limits."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from huatuopin.gazetteer import load_gazetteer
from huatuopin.settings import CampaignSettings
from huatuopin.stories import load_story
from storykit import (
    DELETE,
    FAKE_JPEG,
    WrittenStory,
    load,
    only_problem,
    problems_text,
    write_story,
)

REQUIRED_FIELDS = [
    "title",
    "date",
    "activity",
    "city",
    "county",
    "village",
    "form",
    "authors",
    "summary",
]
ACTIVITY_OPTIONS = "可选：入户访、大家谈、回村看、亮成果、话未来"
FORM_OPTIONS = "可选：文章、摄影、视频、微宣讲、戏剧、歌曲、诗歌、曲艺"
ROLE_OPTIONS = "可选：媒体记者、文艺工作者、驻村工作队、乡村干部、帮扶责任人、脱贫群众、其他"
PROBLEM_SHAPE = re.compile(r"^docs/stories/[0-9a-z-]+/index\.md:[1-9][0-9]*: [^:\s]+: \S.*$")


def two_authors(second_role: Any = "文艺工作者") -> list[dict[str, Any]]:
    return [
        {"name": "王小红", "role": "媒体记者"},
        {"name": "李大山", "role": second_role, "org": "兰考县文化馆"},
    ]


# -- a valid story ------------------------------------------------------------------------------


def test_base_story_is_valid_and_typed(tmp_path: Path) -> None:
    _, result = load(tmp_path)

    assert result.problems == ()
    assert result.hints == ()
    story = result.story
    assert story is not None
    assert story.folder == "2021-03-12-zhangzhuang"
    assert story.source_path == "docs/stories/2021-03-12-zhangzhuang/index.md"
    assert story.title == "从土坯房到小楼房"
    assert story.date == dt.date(2021, 3, 12)
    assert (story.activity, story.form) == ("回村看", "文章")
    assert story.place.key == ("开封市", "兰考县", "张庄村")
    assert (story.place.city_slug, story.place.county_slug) == ("kaifeng", "lankao")
    assert story.authors[0].name == "王小红"
    assert story.authors[0].role == "媒体记者"
    assert story.authors[0].org == "开封日报"
    assert story.tags == ("光伏", "合作社")
    assert story.consent is False
    assert story.draft is False


def test_problem_is_written_path_line_field_message(tmp_path: Path) -> None:
    """The DESIGN.md example, to the character."""
    _, result = load(tmp_path, {"activity": "回乡看"})

    problem = only_problem(result)
    assert str(problem) == (
        "docs/stories/2021-03-12-zhangzhuang/index.md:4: activity: "
        "“回乡看”不是活动类型；是不是想写“回村看”？可选：入户访、大家谈、回村看、亮成果、话未来"
    )
    assert PROBLEM_SHAPE.match(str(problem))


# -- required fields ----------------------------------------------------------------------------


@pytest.mark.parametrize("field", REQUIRED_FIELDS)
def test_missing_required_field_is_placed_at_opening_fence(tmp_path: Path, field: str) -> None:
    story, result = load(tmp_path, {field: DELETE})

    problem = only_problem(result)
    assert (problem.path, problem.line, problem.field) == (story.rel, 1, field)
    assert "缺少必填字段" in problem.message
    assert result.story is None


@pytest.mark.parametrize(
    ("field", "empty"),
    [
        ("title", ""),
        ("title", "   "),
        ("date", None),
        ("activity", ""),
        ("city", None),
        ("county", ""),
        ("village", " "),
        ("form", None),
        ("authors", []),
        ("summary", ""),
    ],
)
def test_empty_required_field_is_placed_at_its_own_line(
    tmp_path: Path, field: str, empty: Any
) -> None:
    story, result = load(tmp_path, {field: empty})

    problem = only_problem(result)
    assert (problem.line, problem.field) == (story.line(f"{field}:"), field)
    assert "不能为空" in problem.message


def test_missing_author_name_is_placed_at_the_author(tmp_path: Path) -> None:
    story, result = load(tmp_path, {"authors": [{"role": "媒体记者"}]})

    problem = only_problem(result)
    assert (problem.line, problem.field) == (story.line("- role:"), "authors[0].name")
    assert "缺少必填字段" in problem.message


# -- types --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "phrase"),
    [
        ("title", ["从土坯房", "到小楼房"], "应该是一段文字，现在是列表"),
        ("title", {"main": "从土坯房"}, "应该是一段文字"),
        ("summary", ["一句话", "两句话"], "应该是一段文字"),
        ("date", "2021-3-12", "不是日期；请写成 YYYY-MM-DD 的形式"),
        ("date", "2021年3月12日", "例如 2021-03-12"),
        ("date", 20210312, "不是日期"),
        ("authors", "王小红", "应该是列表"),
        ("authors", {"name": "王小红", "role": "媒体记者"}, "列表每项另起一行，以“- ”开头"),
        ("tags", "光伏", "应该是列表"),
        ("consent", "yes", "只能写 true 或 false"),
        ("draft", "是", "只能写 true 或 false"),
    ],
)
def test_wrong_type_says_what_to_write(tmp_path: Path, field: str, value: Any, phrase: str) -> None:
    story, result = load(tmp_path, {field: value})

    problem = only_problem(result)
    assert (problem.path, problem.line, problem.field) == (
        story.rel,
        story.line(f"{field}:"),
        field,
    )
    assert phrase in problem.message


def test_author_given_as_text_is_placed_at_the_list_item(tmp_path: Path) -> None:
    story, result = load(tmp_path, {"authors": ["王小红"]})

    problem = only_problem(result)
    assert (problem.line, problem.field) == (story.line("- 王小红"), "authors[0]")
    assert "每一项应该是“字段: 值”的组合" in problem.message


def test_impossible_date_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    """PyYAML raises a bare ValueError for 2021-02-30; it must come back as a problem."""
    story = write_story(tmp_path)
    story.index.write_text(story.text.replace("2021-03-12", "2021-02-30"), encoding="utf-8")

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (story.line("date:"), "date")
    assert "日期要写真实存在的日子" in problem.message


def test_tag_that_is_not_text_is_placed_at_the_tag(tmp_path: Path) -> None:
    story, result = load(tmp_path, {"tags": ["光伏", ["合作社"]]})

    problem = only_problem(result)
    assert (problem.line, problem.field) == (story.line("- - 合作社"), "tags[1]")
    assert "应该是一段文字" in problem.message


def test_numbers_are_accepted_as_names(tmp_path: Path) -> None:
    _, result = load(tmp_path, {"village": 123, "tags": [2021]})

    assert result.problems == ()
    assert result.story is not None
    assert result.story.place.village == "123"
    assert result.story.tags == ("2021",)


# -- fixed vocabularies -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "needle", "phrases"),
    [
        (
            {"activity": "回乡看"},
            "activity",
            "activity:",
            ["“回乡看”不是活动类型", ACTIVITY_OPTIONS],
        ),
        ({"activity": "采风"}, "activity", "activity:", [ACTIVITY_OPTIONS]),
        ({"form": "散文"}, "form", "form:", ["“散文”不是作品形式", FORM_OPTIONS]),
        (
            {"authors": two_authors("记者")},
            "authors[1].role",
            "role: 记者",
            ["“记者”不是作者身份", "是不是想写“媒体记者”？", ROLE_OPTIONS],
        ),
    ],
)
def test_value_outside_vocabulary_lists_the_options(
    tmp_path: Path, overrides: dict[str, Any], field: str, needle: str, phrases: list[str]
) -> None:
    story, result = load(tmp_path, overrides)

    problem = only_problem(result)
    assert (problem.line, problem.field) == (story.line(needle), field)
    for phrase in phrases:
        assert phrase in problem.message


def test_vocabulary_match_is_exact(tmp_path: Path) -> None:
    _, result = load(tmp_path, {"activity": " 回村看 ", "form": "文章"})

    assert result.problems == ()  # surrounding spaces are trimmed, the word itself must match


# -- unknown fields -----------------------------------------------------------------------------


def test_misspelt_field_suggests_the_right_one(tmp_path: Path) -> None:
    story, result = load(tmp_path, {"activity": DELETE, "activty": "回村看"})

    assert {(p.line, p.field) for p in result.problems} == {
        (story.line("activty:"), "activty"),
        (1, "activity"),
    }, problems_text(result.problems)
    unknown = next(p for p in result.problems if p.field == "activty")
    assert "不认识这个字段" in unknown.message
    assert "是不是想写 activity？" in unknown.message


def test_unknown_field_without_a_near_name_lists_the_fields(tmp_path: Path) -> None:
    story, result = load(tmp_path, {"备注": "内部材料"})

    problem = only_problem(result)
    assert (problem.line, problem.field) == (story.line("备注:"), "备注")
    assert "可用的字段：title、date、activity" in problem.message


def test_misspelt_author_field_is_named_with_its_index(tmp_path: Path) -> None:
    authors = [{"name": "王小红", "role": "媒体记者"}, {"name": "李大山", "rol": "其他"}]
    story, result = load(tmp_path, {"authors": authors})

    by_field = {p.field: p for p in result.problems}
    assert set(by_field) == {"authors[1].rol", "authors[1].role"}, problems_text(result.problems)
    assert by_field["authors[1].rol"].line == story.line("rol: 其他")
    assert "是不是想写 role？" in by_field["authors[1].rol"].message
    # The missing role is placed at the start of its author, the `- name:` line.
    assert by_field["authors[1].role"].line == story.line("- name: 李大山")


# -- dates and lengths --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "date", [dt.date(2020, 12, 31), dt.date(2021, 8, 1), dt.date(2022, 3, 12), dt.date(2016, 5, 1)]
)
def test_date_outside_campaign_window(tmp_path: Path, date: dt.date) -> None:
    story, result = load(tmp_path, {"date": date})

    problem = only_problem(result)
    assert (problem.line, problem.field) == (story.line("date:"), "date")
    assert f"{date} 不在活动时间内（2021-01-01 至 2021-07-31）" in problem.message


@pytest.mark.parametrize("date", [dt.date(2021, 1, 1), dt.date(2021, 7, 31)])
def test_campaign_window_includes_both_ends(tmp_path: Path, date: dt.date) -> None:
    _, result = load(tmp_path, {"date": date})

    assert result.problems == ()


def test_date_with_time_of_day_is_a_problem_not_cut_to_its_day(tmp_path: Path) -> None:
    story, result = load(tmp_path, {"date": dt.datetime(2021, 3, 12, 9, 30)})

    problem = only_problem(result)
    assert (problem.line, problem.field) == (story.line("date:"), "date")
    assert "带了时间或时区；这里只写日期，不写时间" in problem.message


def test_campaign_window_comes_from_settings(tmp_path: Path) -> None:
    story = write_story(tmp_path, {"date": dt.date(2021, 2, 15)})
    settings = CampaignSettings(start=dt.date(2021, 3, 1), end=dt.date(2021, 6, 30))

    result = load_story(tmp_path, story.index, settings, load_gazetteer())

    problem = only_problem(result)
    assert "（2021-03-01 至 2021-06-30）" in problem.message


@pytest.mark.parametrize(
    ("field", "limit"),
    [("title", 60), ("summary", 120)],
)
def test_text_over_its_limit_says_how_much_to_cut(tmp_path: Path, field: str, limit: int) -> None:
    story, result = load(tmp_path, {field: "脱" * (limit + 3)})

    problem = only_problem(result)
    assert (problem.line, problem.field) == (story.line(f"{field}:"), field)
    assert f"有 {limit + 3} 个字，最多 {limit} 个字；请精简 3 个字" in problem.message


@pytest.mark.parametrize(("field", "limit"), [("title", 60), ("summary", 120)])
def test_text_at_its_limit_is_accepted(tmp_path: Path, field: str, limit: int) -> None:
    _, result = load(tmp_path, {field: "脱" * limit})

    assert result.problems == ()


# -- all at once --------------------------------------------------------------------------------


def test_every_mistake_of_a_story_is_reported_at_once(tmp_path: Path) -> None:
    story, result = load(
        tmp_path,
        {
            "date": dt.date(2020, 5, 1),
            "activity": "回乡看",
            "form": "散文",
            "summary": "长" * 121,
            "note": "备注",
        },
    )

    places = sorted((p.line, p.field) for p in result.problems)
    assert places == sorted(
        [
            (story.line("date:"), "date"),
            (story.line("activity:"), "activity"),
            (story.line("form:"), "form"),
            (story.line("summary:"), "summary"),
            (story.line("note:"), "note"),
        ]
    ), problems_text(result.problems)
    assert all(p.path == story.rel for p in result.problems)
    assert all(PROBLEM_SHAPE.match(str(p)) for p in result.problems)
    assert result.story is None


def test_field_lines_follow_the_file_not_the_base_order(tmp_path: Path) -> None:
    """Lines are read from the file: moving a field moves its problem."""
    story = write_story(tmp_path, {"form": "散文"})
    lines = story.text.split("\n")
    form_line = lines.pop(story.line("form:") - 1)
    lines.insert(1, form_line)  # right after the opening ---
    story.index.write_text("\n".join(lines), encoding="utf-8")

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (2, "form")


def test_written_story_helper_places_lines(tmp_path: Path) -> None:
    story: WrittenStory = write_story(tmp_path)

    assert story.line("---") == 1
    assert story.line("title:") == 2
    assert story.line("---", occurrence=2) == story.line("tags:") + 3


# -- values mean what was written ---------------------------------------------------------------


def write_lines(
    root: Path, lines: dict[str, str], files: dict[str, bytes] | None = None
) -> WrittenStory:
    """The base story with the line of each key replaced by raw YAML, exactly as typed."""
    story = write_story(root, files=files)
    text = story.text.split("\n")
    for key, new in lines.items():
        index = next(i for i, line in enumerate(text) if line.startswith(f"{key}:"))
        text[index] = new
    story.index.write_text("\n".join(text), encoding="utf-8")
    return story


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("village: 010", "010"),
        ("village: 0x1F", "0x1F"),
        ("village: 12:30", "12:30"),
        ("village: 1_000", "1_000"),
        ("village: .inf", ".inf"),
        ("village: 1.50", "1.50"),
        ("village: yes", "yes"),
        ("village: off", "off"),
        ("village: 2021-03-12", "2021-03-12"),
    ],
)
def test_text_field_keeps_exactly_what_was_typed(tmp_path: Path, line: str, expected: str) -> None:
    result = write_lines(tmp_path, {"village": line}).load()

    assert result.problems == (), problems_text(result.problems)
    assert result.story is not None and result.story.place.village == expected


def test_title_summary_and_tags_keep_what_was_typed(tmp_path: Path) -> None:
    story = write_lines(
        tmp_path,
        {
            "title": "title: yes",
            "summary": "summary: 2021-03-12",
            "tags": "tags: [010, no, 0x1F, 3.10]",
        },
    )
    lines = story.text.split("\n")
    story.index.write_text(
        "\n".join(
            line for line in lines if not line.startswith("  - 光伏") and "合作社" not in line
        ),
        encoding="utf-8",
    )

    result = story.load()

    assert result.problems == (), problems_text(result.problems)
    assert result.story is not None
    assert (result.story.title, result.story.summary) == ("yes", "2021-03-12")
    assert result.story.tags == ("010", "no", "0x1F", "3.10")


@pytest.mark.parametrize("line", ['date: "2021-03-12"', "date: '2021-03-12'"])
def test_a_quoted_date_is_a_date(tmp_path: Path, line: str) -> None:
    result = write_lines(tmp_path, {"date": line}).load()

    assert result.problems == (), problems_text(result.problems)
    assert result.story is not None and result.story.date == dt.date(2021, 3, 12)


@pytest.mark.parametrize(
    "value",
    [
        "2021-03-12 10:00:00+08:00",
        "2021-03-12T10:00:00Z",
        "2021-03-12 10:00",
        '"2021-03-12 10:00:00+08:00"',
    ],
)
def test_a_date_with_a_time_or_zone_is_a_problem_not_truncated(tmp_path: Path, value: str) -> None:
    story = write_lines(tmp_path, {"date": f"date: {value}"})

    problem = only_problem(story.load())

    assert (problem.line, problem.field) == (story.line("date:"), "date")
    assert "带了时间或时区；这里只写日期，不写时间" in problem.message


@pytest.mark.parametrize("value", ["0x7E1", "03727", "2_016", "33:36", ".inf", ".nan", "2.016e+3"])
def test_a_number_field_refuses_what_yaml_would_read_as_another_number(
    tmp_path: Path, value: str
) -> None:
    pairs = f"""pairs:
  - before: before.jpg
    after: after.jpg
    before_year: {value}
    after_year: 2021
    theme: 住房
    caption: 危房改造前后
consent: true"""
    files = {"before.jpg": FAKE_JPEG, "after.jpg": FAKE_JPEG}
    story = write_lines(tmp_path, {"tags": pairs + "\ntags:"}, files=files)

    problem = only_problem(story.load())

    assert (problem.line, problem.field) == (story.line("before_year:"), "pairs[0].before_year")
    assert f"“{value}”不是普通写法的整数" in problem.message
    assert "请只写普通的十进制数字" in problem.message


# -- plain-text fields refuse markup ------------------------------------------------------------


@pytest.mark.parametrize(
    "markup", ["<b>好</b>", "</x", "<!-- 注释 -->", "<?xml", "<svg>", "&lt;", "&#60;", "&#x3C;"]
)
@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("title", "title"),
        ("summary", "summary"),
        ("township", "township"),
        ("village", "village"),
        ("  - name", "authors[0].name"),
        ("    org", "authors[0].org"),
        ("  - 光伏", "tags[0]"),
    ],
)
def test_markup_in_a_plain_text_field_is_a_problem(
    tmp_path: Path, key: str, field: str, markup: str
) -> None:
    story = write_story(tmp_path)
    text = story.text.split("\n")
    index = next(i for i, line in enumerate(text) if line.startswith(key))
    quoted = "'" + markup + "'"
    text[index] = text[index] + quoted if key == "  - 光伏" else f"{text[index]} {quoted}"
    story.index.write_text("\n".join(text), encoding="utf-8")

    problem = only_problem(story.load())

    assert (problem.line, problem.field) == (index + 1, field)
    assert problem.message.startswith("这里只能写文字，不能写 HTML 标记")
    assert "请" in problem.message


@pytest.mark.parametrize("text", ["收入<3000元，增长>10%", "<<三字经>>", "a < b", "AT&T"])
def test_a_lone_angle_bracket_or_ampersand_is_text(tmp_path: Path, text: str) -> None:
    _, result = load(tmp_path, {"summary": text})

    assert result.problems == (), problems_text(result.problems)
    assert result.story is not None and result.story.summary == text


# -- a comment where a value was meant ----------------------------------------------------------


def test_text_after_a_hash_is_a_hint_at_the_line(tmp_path: Path) -> None:
    story = write_lines(tmp_path, {"summary": "summary: 第 #1 户的变化"})

    result = story.load()

    assert result.problems == ()
    assert result.story is not None and result.story.summary == "第"
    line = story.line("summary:")
    assert list(result.hints) == [
        f"{story.rel}:{line}: summary: # 和它后面的文字被当作注释，没有算进值里（读到的只有“第”）；"
        '如果 # 是内容的一部分，请给整个值加上引号，写成 "第 #1 户的变化"'
    ]


def test_a_value_that_is_only_a_comment_is_named_in_a_hint(tmp_path: Path) -> None:
    story = write_lines(tmp_path, {"summary": "summary: #1 户的变化"})

    result = story.load()

    problem = only_problem(result)
    assert (problem.line, problem.field) == (story.line("summary:"), "summary")
    assert [h.split(": ", 2)[2] for h in result.hints] == [
        "冒号后面只有 # 开头的注释，这一项是空的；"
        '如果 # 是内容的一部分，请给整个值加上引号，写成 "#1 户的变化"'
    ]


@pytest.mark.parametrize(
    "line", ['summary: "第 #1 户的变化"', "summary: 第#1户的变化", "summary: |\n  第 #1 户的变化"]
)
def test_a_hash_that_is_part_of_the_value_gives_no_hint(tmp_path: Path, line: str) -> None:
    result = write_lines(tmp_path, {"summary": line}).load()

    assert result.problems == ()
    assert result.hints == ()
    assert result.story is not None and "#1" in result.story.summary


# -- lists written in one line ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "name", "fixed"),
    [
        ("tags: [大棚，蜜瓜]", "中文逗号“，”", "[大棚, 蜜瓜]"),
        ("tags: [大棚、蜜瓜, 合作社]", "顿号“、”", "[大棚, 蜜瓜]"),
    ],
)
def test_a_chinese_comma_in_a_one_line_list_is_named(
    tmp_path: Path, line: str, name: str, fixed: str
) -> None:
    story = write_story(tmp_path)
    text = story.text.replace("tags:\n  - 光伏\n  - 合作社", line)
    story.index.write_text(text, encoding="utf-8")

    problem = only_problem(story.load())

    assert (problem.line, problem.field) == (story.line("tags:"), "tags[0]")
    assert f"用了{name}；方括号 [ ] 里的各项要用英文逗号 , 分开" in problem.message
    assert fixed in problem.message
