"""Reading the file itself: encoding, front-matter fences, YAML syntax, duplicate keys."""

from __future__ import annotations

import datetime as dt
import re
import string
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
    assert result.problems == ()
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

    assert story.load().problems == ()


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


# -- characters that cannot be published --------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "shown"),
    [
        ("\x01", "U+0001"),
        ("\x1b", "U+001B"),
        ("\x7f", "U+007F"),
        ("\x85", "U+0085"),
        ("\x9b", "U+009B"),
        ("\u2028", "U+2028"),
        # Bidi overrides and isolates: a title that reads in another order than written.
        ("\u202e", "U+202E"),
        ("\u2067", "U+2067"),
    ],
)
def test_raw_control_character_in_front_matter_is_a_chinese_problem_at_its_line(
    tmp_path: Path, char: str, shown: str
) -> None:
    """PyYAML refuses most of these with an English ReaderError; NEL and U+2028 it takes as
    line breaks, which would put every later problem at the wrong line."""
    story = write_raw(tmp_path, replace_line(VALID, "township", f"township: 东坝{char}头镇"))

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (story.line("township:"), "YAML")
    assert f"这一行含有不能发布的字符 {shown}" in problem.message


@pytest.mark.parametrize(
    ("escape", "shown"),
    [
        ("\\x01", "U+0001"),
        ("\\x00", "U+0000"),
        ("\\e", "U+001B"),
        ("\\r", "U+000D"),
        ("\\x7f", "U+007F"),
        ("\\x85", "U+0085"),
        ("\\ud800", "U+D800"),
        ("\\udfff", "U+DFFF"),
        ("\\uffff", "U+FFFF"),
    ],
)
def test_escaped_control_character_or_surrogate_is_a_problem_at_its_field(
    tmp_path: Path, escape: str, shown: str
) -> None:
    story = write_raw(tmp_path, replace_line(VALID, "  - 光伏", f'  - "光伏{escape}"'))

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (story.line('  - "光伏'), "tags[0]")
    assert f"含有不能发布的字符 {shown}" in problem.message


def test_control_character_in_any_field_even_an_unknown_one_or_a_key(tmp_path: Path) -> None:
    text = replace_line(VALID, "township", 'township: 东坝头镇\nnote: "a\\x02b"\n"x\\x03": 1')
    story = write_raw(tmp_path, text)

    problems = story.load().problems
    assert [(p.line, p.field) for p in problems] == [
        (story.line("note:"), "note"),
        (story.line('"x'), "YAML"),
    ]
    assert all("不能发布的字符" in p.message for p in problems)


def test_tab_and_newline_escapes_in_a_value_are_fine(tmp_path: Path) -> None:
    story = write_raw(tmp_path, replace_line(VALID, "summary", 'summary: "第一句。\\t第二句。\\n"'))

    result = story.load()
    assert result.problems == ()
    assert result.story is not None and result.story.summary == "第一句。\t第二句。"


@pytest.mark.parametrize(
    ("char", "shown"), [("\x0c", "U+000C"), ("\x00", "U+0000"), ("\x7f", "U+007F")]
)
def test_control_character_in_the_body_is_a_problem_at_its_line(
    tmp_path: Path, char: str, shown: str
) -> None:
    story = write_raw(tmp_path, VALID.replace("临走时", f"临走{char}时"))

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (story.line("临走"), "正文")
    assert f"这一行含有不能发布的字符 {shown}" in problem.message


def test_tabs_in_the_body_are_fine(tmp_path: Path) -> None:
    story = write_raw(tmp_path, VALID.replace("临走时", "\t临走时\t"))

    assert story.load().problems == ()


# -- YAML features and mistakes answered in Chinese ---------------------------------------------

# Words of PyYAML's English messages; none may reach a contributor.
PYYAML_ENGLISH = ("found", "expected", "could not", "while", "constructor", "tag:yaml.org")

# (what replaces the line that starts with `key`, the key, the field, a phrase of the message)
CONSTRUCTS = [
    pytest.param(
        "township: &place 东坝头镇\n<<: {village: 张庄村}",
        "<<:",
        "YAML",
        "不支持 <<（合并键）",
        id="merge-key",
    ),
    pytest.param(
        "township: !!python/object:os.system x",
        "township",
        "township",
        "用了 YAML 标签“!!python/object:os.system”",
        id="python-tag",
    ),
    pytest.param(
        "township: !!binary 5Lic5Z2d", "township", "township", "标签“!!binary”", id="binary"
    ),
    pytest.param("township: !!set {东坝头镇}", "township", "township", "标签“!!set”", id="set"),
    pytest.param("township: !foo 东坝头镇", "township", "township", "标签“!foo”", id="custom"),
    pytest.param("? [东坝头镇]\n: 1", "? [", "YAML", "字段名必须是文字", id="complex-key"),
    pytest.param("township: *nowhere", "township", "YAML", "未定义的别名", id="undefined-alias"),
    pytest.param(
        "township: &a 东坝头镇\nnote: &a x", "note", "YAML", "锚点", id="duplicate-anchor"
    ),
    pytest.param(
        'township: "C:\\Users\\wang\\cover.jpg"',
        "township",
        "YAML",
        "Windows 路径",
        id="windows-path-in-double-quotes",
    ),
    pytest.param("township: @东坝头镇", "township", "YAML", "值不能以 @", id="at-sign"),
    pytest.param("township: & 东坝头镇", "township", "YAML", "& 开头", id="ampersand"),
    pytest.param("township: |x\n  东坝头镇", "township", "YAML", "多行文字", id="block-scalar"),
    pytest.param("township: ]东坝头镇", "township", "YAML", "缺少值", id="bracket-first"),
    pytest.param(
        "township: 东坝头镇\n" + "长" * 1100 + ": x",
        "长长",
        "YAML",
        "这一行太长",
        id="key-too-long",
    ),
]


@pytest.mark.parametrize(("new_lines", "needle", "field", "phrase"), CONSTRUCTS)
def test_yaml_construct_gets_a_chinese_message_at_its_line(
    tmp_path: Path, new_lines: str, needle: str, field: str, phrase: str
) -> None:
    story = write_raw(tmp_path, replace_line(VALID, "township", new_lines))

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (story.line(needle), field)
    assert phrase in problem.message
    assert not any(word in problem.message for word in PYYAML_ENGLISH), problem.message


# Every kind of error PyYAML's scanner, parser and composer raise, one line each.
BROKEN_YAML = [
    "a: b: c",
    "a: 'b",
    'a: "b',
    "a: [b, c",
    "a: {b: c",
    "a: {b: c: d}",
    "a: 1\nb",
    "\ta: b",
    "a:\n  b: c\n d: e",
    "a:\n  - b\n - c",
    "a: *b",
    "a: &b x\nc: &b y",
    'a: "\\q"',
    'a: "\\x4"',
    "a: & b",
    "a: * b",
    "a: @b",
    "a: `b",
    "a: !<x",
    "a: !x!y z",
    "a: |x\n  b",
    "a: >0\n  b",
    "a: ]",
    "- [a, ]]",
    "a: ? b",
    "%YAML 2.0\n---\na: 1",
    "%TAG ! x\n%TAG ! y\n---\na: 1",
    "a: 1\n...\nb",
    "a: 1\n---\nb: 2",
    "- a\nb: c",
    "a: |\n\tb",
    "x" * 1100 + ": 1",
]


@pytest.mark.parametrize("text", BROKEN_YAML)
def test_no_pyyaml_english_reaches_a_contributor(text: str) -> None:
    with pytest.raises(SourceError) as raised:
        parse_yaml(text + "\n", "x.yml")

    for problem in raised.value.problems:
        assert not any(word in problem.message for word in PYYAML_ENGLISH), problem.message
        assert problem.message.startswith("格式错误"), problem.message


def test_a_number_thousands_of_digits_long_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    story = write_raw(
        tmp_path, VALID.replace("tags:", "pairs:\n  - before_year: 0x" + "f" * 5000 + "\ntags:")
    )

    problems = story.load().problems
    year = next(p for p in problems if p.field == "pairs[0].before_year")
    assert "不是普通写法的整数" in year.message
    assert len(year.message) < 200  # the number is cut short in the message


@pytest.mark.parametrize("quote", ["", '"'])
def test_a_key_thousands_of_digits_long_is_a_problem_not_a_traceback(
    tmp_path: Path, quote: str
) -> None:
    story = write_raw(tmp_path, VALID.replace("tags:", f"{quote}{'9' * 5000}{quote}: 1\ntags:"))

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (story.line("9999"), "YAML")
    assert f"这一行太长，有 {5003 + 2 * len(quote)} 个字符" in problem.message


# -- values mean what was written ---------------------------------------------------------------


def test_parse_yaml_keeps_every_unquoted_value_as_written() -> None:
    data = parse_yaml(
        "a: 010\nb: yes\nc: 1.50\nd: 2021-03-12\ne: '010'\nf: [0x1F, 12:30]\ng: .inf\n", "x.yml"
    )

    assert data.value == {
        "a": "010",
        "b": True,
        "c": 1.5,
        "d": dt.date(2021, 3, 12),
        "e": "010",
        "f": ["0x1F", "12:30"],
        "g": ".inf",
    }
    assert data.raw == {
        "a": "010",
        "b": "yes",
        "c": "1.50",
        "d": "2021-03-12",
        "f[0]": "0x1F",
        "f[1]": "12:30",
        "g": ".inf",
    }


def test_field_names_are_text_even_when_they_look_like_numbers() -> None:
    data = parse_yaml("2020: 1\nyes: 2\n010: 3\n", "x.yml")

    assert data.value == {"2020": 1, "yes": 2, "010": 3}


def test_the_story_scaffold_with_every_option_filled_in_gives_no_hints(tmp_path: Path) -> None:
    """The commented options of `make new-story`, uncommented, must not trip the ` #` hint."""
    template = Path(__file__).resolve().parents[2] / "hooks/huatuopin/data/new-story.md.tmpl"
    lines = []
    for line in template.read_text(encoding="utf-8").split("\n"):
        if re.match(r"# (?:[a-z_]+:|  )", line):
            line = line[2:]
        lines.append(line)
    text = string.Template("\n".join(lines)).safe_substitute(
        title="从土坯房到小楼房",
        window="2021-01-01 至 2021-07-31",
        date="2021-03-12",
        activity="回村看",
        city="开封市",
        county="兰考县",
        township="东坝头镇",
        village="张庄村",
        form="文章",
        author="王小红",
        role="媒体记者",
        org_line="    org: 开封日报",
    )
    yaml_text = text.split("---\n")[1]

    data = parse_yaml(yaml_text, "index.md", first_line=2)

    assert data.hints == []
    assert {"cover", "pairs", "videos", "audios", "tags", "consent", "draft"} <= set(data.value)
