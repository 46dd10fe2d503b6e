"""Reading the file itself: encoding, front-matter fences, YAML syntax, duplicate keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from huatuopin.sourcefile import MAX_TEXT_BYTES, SourceError, parse_yaml
from storykit import BASE_BODY, front_matter, only_problem, render, write_raw, write_story

VALID = render(front_matter())


def replace_line(text: str, startswith: str, new: str) -> str:
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(startswith))
    lines[index] = new
    return "\n".join(lines)


# -- encoding -----------------------------------------------------------------------------------


def test_gbk_file_is_placed_at_the_line_of_the_first_bad_byte(tmp_path: Path) -> None:
    gbk = VALID.encode("gbk")  # as saved by an old Windows editor
    story = write_raw(tmp_path, gbk)

    problem = only_problem(story.load())
    first_chinese_line = next(
        number for number, line in enumerate(VALID.split("\n"), start=1) if not line.isascii()
    )
    assert (problem.path, problem.line, problem.field) == (story.rel, first_chinese_line, "编码")
    assert "不是 UTF-8 编码" in problem.message
    assert "请用 UTF-8 编码另存这个文件" in problem.message


def test_bad_byte_further_down_is_placed_at_its_line(tmp_path: Path) -> None:
    raw = (
        VALID.replace("临走时", "\x00MARK")
        .encode("utf-8")
        .replace(b"\x00MARK", "临走时".encode("gbk"))
    )
    story = write_raw(tmp_path, raw)

    problem = only_problem(story.load())
    expected = next(n for n, line in enumerate(VALID.split("\n"), start=1) if "临走时" in line)
    assert (problem.line, problem.field) == (expected, "编码")


def test_bad_byte_after_a_bom_is_placed_at_its_line(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf" + VALID.encode("utf-8") + "\n附：".encode("gbk") + b"\n"
    story = write_raw(tmp_path, raw)

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (VALID.count("\n") + 2, "编码")


def test_utf8_with_bom_and_windows_line_ends_is_read(tmp_path: Path) -> None:
    story = write_raw(tmp_path, b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode("utf-8"))

    result = story.load()
    assert result.problems == []
    assert result.story is not None


def test_windows_line_ends_keep_line_numbers(tmp_path: Path) -> None:
    text = VALID.replace("activity: 回村看", "activity: 回乡看").replace("\n", "\r\n")
    story = write_raw(tmp_path, text)

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (4, "activity")


def test_oversized_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    story = write_raw(tmp_path, VALID + "长" * (MAX_TEXT_BYTES // 3 + 1))

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (1, "文件")
    assert "超过文字稿上限" in problem.message


# -- front-matter fences ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(BASE_BODY, id="body-only"),
        pytest.param("\n" + VALID, id="blank-line-first"),
        pytest.param("title: 从土坯房到小楼房\n---\n正文", id="opening-fence-missing"),
        pytest.param("", id="empty-file"),
    ],
)
def test_missing_front_matter(tmp_path: Path, text: str) -> None:
    story = write_raw(tmp_path, text)

    problem = only_problem(story.load())
    assert (problem.path, problem.line, problem.field) == (story.rel, 1, "front-matter")
    assert "文件开头缺少 front-matter；第一行要写 ---" in problem.message


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(VALID.replace("\n---\n", "\n\n", 1), id="closing-fence-missing"),
        pytest.param("---", id="only-opening-fence"),
        pytest.param("---\ntitle: 从土坯房到小楼房\n--\n正文", id="closing-fence-too-short"),
    ],
)
def test_unclosed_front_matter(tmp_path: Path, text: str) -> None:
    story = write_raw(tmp_path, text)

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (1, "front-matter")
    assert "front-matter 没有结束" in problem.message


def test_front_matter_that_is_not_fields(tmp_path: Path) -> None:
    story = write_raw(tmp_path, "---\n- 从土坯房到小楼房\n- 2021-03-12\n---\n\n正文\n")

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (2, "front-matter")
    assert "“字段: 值”" in problem.message


def test_empty_front_matter_reports_every_required_field(tmp_path: Path) -> None:
    story = write_raw(tmp_path, f"---\n---\n\n{BASE_BODY}")

    problems = story.load().problems
    assert {(p.line, p.field) for p in problems} == {
        (1, field)
        for field in (
            "title",
            "date",
            "activity",
            "city",
            "county",
            "village",
            "form",
            "authors",
            "summary",
        )
    }


# -- YAML syntax --------------------------------------------------------------------------------

# (what replaces the line that starts with `key`, the key, a phrase of the message)
SYNTAX_ERRORS = [
    pytest.param("summary: 注意: 值里有冒号", "summary", "冒号", id="colon-in-value"),
    pytest.param('title: "从土坯房到小楼房', "title", "引号或括号没有闭合", id="unclosed-quote"),
    pytest.param("title: '从土坯房到小楼房", "title", "引号或括号没有闭合", id="unclosed-single"),
    pytest.param("tags: [光伏, 合作社", "tags", "方括号 [ ] 没有闭合", id="unclosed-bracket"),
    pytest.param("village 张庄村", "village", "缺少冒号", id="line-without-colon"),
    pytest.param("\tcounty: 兰考县", "county", "不能用 Tab 缩进", id="tab"),
    pytest.param("   role: 媒体记者", "    role", "缩进不一致", id="bad-indent"),
    pytest.param("city：开封市", "city", "中文冒号", id="full-width-colon"),
    pytest.param("township：东坝头镇", "township", "中文冒号", id="full-width-colon-glued"),
]


@pytest.mark.parametrize(("new_line", "key", "phrase"), SYNTAX_ERRORS)
def test_yaml_syntax_error_is_placed_at_the_line_to_fix(
    tmp_path: Path, new_line: str, key: str, phrase: str
) -> None:
    text = replace_line(VALID, key, new_line)
    story = write_raw(tmp_path, text)

    problem = only_problem(story.load())
    assert (problem.path, problem.line, problem.field) == (story.rel, story.line(new_line), "YAML")
    assert phrase in problem.message
    assert str(problem).startswith(f"{story.rel}:{problem.line}: YAML: ")


def test_full_width_colon_names_the_field_and_the_fix(tmp_path: Path) -> None:
    story = write_raw(tmp_path, replace_line(VALID, "city", "city：开封市"))

    problem = only_problem(story.load())
    assert "“city”后面用了中文冒号“：”" in problem.message
    assert "例如 city: " in problem.message


def test_colon_inside_quotes_is_fine(tmp_path: Path) -> None:
    story = write_story(tmp_path, {"summary": "老党员说：好日子是干出来的: 真的"})

    assert story.load().problems == []


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    text = replace_line(VALID, "township", "township: 东坝头镇\ntitle: 张庄的光伏板")
    story = write_raw(tmp_path, text)

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (story.line("title:", occurrence=2), "title")
    assert "字段重复（第 2 行已经写过）；请只保留一个" in problem.message


def test_duplicate_nested_key_is_named_with_its_path(tmp_path: Path) -> None:
    text = replace_line(VALID, "    org:", "    org: 开封日报\n    role: 其他")
    story = write_raw(tmp_path, text)

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (story.line("role: 其他"), "authors[0].role")
    assert f"第 {story.line('role: 媒体记者')} 行已经写过" in problem.message


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        ("!!python/name:os.system", "用了 YAML 标签“!!python/name:os.system”"),
        ("!!int 一百", "用了 YAML 标签“!!int”"),
    ],
)
def test_value_yaml_cannot_build_is_placed_at_its_field(
    tmp_path: Path, value: str, phrase: str
) -> None:
    story = write_raw(tmp_path, replace_line(VALID, "township", f"township: {value}"))

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (story.line("township:"), "township")
    assert phrase in problem.message


def test_impossible_date_is_placed_at_its_field(tmp_path: Path) -> None:
    story = write_raw(tmp_path, replace_line(VALID, "date", "date: 2021-13-01"))

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (story.line("date:"), "date")
    assert "日期要写真实存在的日子" in problem.message


# -- hostile YAML fails cleanly -----------------------------------------------------------------


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    story = write_raw(tmp_path, "---\n" + "\n".join(levels) + "\n---\n\n正文\n")

    problem = only_problem(story.load())
    assert problem.field == "YAML"
    assert "过于庞大" in problem.message


def test_alias_to_itself_is_refused(tmp_path: Path) -> None:
    story = write_raw(tmp_path, "---\ntitle: 标题\ntags: &loop [光伏, *loop]\n---\n\n正文\n")

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (3, "tags[1]")
    assert "别名" in problem.message


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    story = write_raw(tmp_path, "---\ntitle: 标题\ntags: " + "[" * 5000 + "]" * 5000 + "\n---\n")

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (3, "YAML")
    assert "嵌套的层数过多" in problem.message


# -- parse_yaml on its own ----------------------------------------------------------------------


def test_parse_yaml_keeps_a_line_for_every_field() -> None:
    data = parse_yaml(
        "title: 标题\npairs:\n  - before: a.jpg\n    after: b.jpg\n  - before: c.jpg\n",
        "x.yml",
        first_line=2,
    )

    assert data.lines == {
        "title": 2,
        "pairs": 3,
        "pairs[0]": 4,
        "pairs[0].before": 4,
        "pairs[0].after": 5,
        "pairs[1]": 6,
        "pairs[1].before": 6,
    }


def test_parse_yaml_collects_every_duplicate() -> None:
    with pytest.raises(SourceError) as raised:
        parse_yaml("a: 1\nb: 2\na: 3\nb: 4\n", "x.yml")

    assert [(p.line, p.field) for p in raised.value.problems] == [(3, "a"), (4, "b")]
