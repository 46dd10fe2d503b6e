"""The story body and front-matter text: script that would run, personal numbers, leftovers."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from huatuopin.personaldata import find_personal_data, is_identity_card, passes_luhn
from huatuopin.textscan import find_unsafe_html
from storykit import BASE_BODY, load, only_problem, problems_text, write_raw, write_story

BODY = "正文"
# `make new-story` writes this template; its last line is the body placeholder.
SCAFFOLD_TEMPLATE = (
    Path(__file__).resolve().parents[2] / "hooks" / "huatuopin" / "data" / "new-story.md.tmpl"
)
# The Markdown extensions of mkdocs.yml plus those MkDocs always adds (toc, tables, fenced_code).
SITE_EXTENSIONS = ["toc", "tables", "fenced_code", "admonition", "attr_list"]


def body_with(*lines: str) -> str:
    """The base body with `lines` added as a paragraph in the middle of it."""
    head, tail = BASE_BODY.split("## ", 1)
    return head + "\n".join(lines) + "\n\n## " + tail


# -- numbers built the way real ones are, so the tests need no real person's data ---------------


def id_check_digit(first17: str) -> str:
    """GB 11643-1999 (ISO 7064 MOD 11-2): weight 2^(17-i) mod 11 for the i-th digit."""
    total = sum(int(digit) * pow(2, 17 - i, 11) for i, digit in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def identity_number(birth: str = "19800101", sequence: str = "123") -> str:
    first17 = "410225" + birth + sequence  # 410225: 兰考县
    return first17 + id_check_digit(first17)


def luhn_complete(partial: str) -> str:
    """`partial` followed by the digit that makes the whole pass Luhn."""
    for digit in "0123456789":
        number = partial + digit
        total = 0
        for index, char in enumerate(reversed(number)):
            value = int(char) * (2 if index % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return number
    raise AssertionError("unreachable")


VALID_ID = identity_number()
VALID_ID_X = next(
    number
    for number in (identity_number(sequence=f"{n:03d}") for n in range(1000))
    if number.endswith("X")
)
# A wrong check digit that also fails Luhn, so it cannot pass as a bank card either.
WRONG_ID = next(
    VALID_ID[:17] + digit
    for digit in "0123456789"
    if digit != VALID_ID[17] and not passes_luhn(VALID_ID[:17] + digit)
)
UNIONPAY_19 = luhn_complete("621700123456789012")
VISA_16 = luhn_complete("453201234567890")
VISA_16_GROUPED = " ".join(VISA_16[i : i + 4] for i in range(0, 16, 4))
NOT_LUHN_19 = UNIONPAY_19[:-1] + str((int(UNIONPAY_19[-1]) + 1) % 10)


def test_generated_numbers_are_what_they_claim() -> None:
    assert len(VALID_ID) == len(VALID_ID_X) == 18
    assert is_identity_card(VALID_ID)
    assert is_identity_card(VALID_ID_X)
    assert is_identity_card(VALID_ID_X.lower())
    assert not is_identity_card(WRONG_ID)
    assert not is_identity_card(VALID_ID[:6] + "19800230" + VALID_ID[14:])  # no 30 February
    assert passes_luhn(UNIONPAY_19)
    assert passes_luhn(VISA_16)
    assert not passes_luhn(NOT_LUHN_19)


# -- personal data in the body ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        pytest.param(f"李满仓的身份证号是{VALID_ID}。", "身份证号码", id="id-card"),
        pytest.param(f"身份证：{VALID_ID_X}", "身份证号码", id="id-card-x"),
        pytest.param("有事打他电话13812345678。", "手机号码", id="mobile"),
        pytest.param("联系电话：138-1234-5678", "手机号码", id="mobile-hyphens"),
        pytest.param("手机 138 1234 5678", "手机号码", id="mobile-spaces"),
        pytest.param("电话 +86 13812345678", "手机号码", id="mobile-country-code"),
        pytest.param(f"分红打到卡号{UNIONPAY_19}上。", "银行卡号", id="bank-card"),
        pytest.param(f"卡号 {VISA_16_GROUPED}", "银行卡号", id="bank-card-grouped"),
    ],
)
def test_personal_number_in_body_is_placed_at_its_line(
    tmp_path: Path, text: str, phrase: str
) -> None:
    story, result = load(tmp_path, body=body_with(text))

    problem = only_problem(result)
    assert (problem.path, problem.line, problem.field) == (story.rel, story.line(text), BODY)
    assert phrase in problem.message
    assert "请删除" in problem.message
    digits = "".join(ch for ch in text if ch.isdigit())
    assert digits[-11:] not in problem.message  # the report itself does not repeat the number


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f"编号{WRONG_ID}。", id="id-card-wrong-check-digit"),
        pytest.param(f"卡号{NOT_LUHN_19}", id="bank-card-failing-luhn"),
        pytest.param("二〇一六年到二〇一九年：2016 2017 2018 2019", id="run-of-years"),
        pytest.param("2016-2017-2018-2019 四年", id="run-of-years-hyphens"),
        pytest.param("人均纯收入从 2800 元增加到 11000 元。", id="amounts"),
        pytest.param("编号 1381234567 只有十位。", id="ten-digits"),
        pytest.param("订单号 213812345678 前面还有数字。", id="mobile-inside-longer-number"),
    ],
)
def test_ordinary_numbers_are_not_flagged(tmp_path: Path, text: str) -> None:
    _, result = load(tmp_path, body=body_with(text))

    assert result.problems == (), problems_text(result.problems)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("summary", "想了解情况可以联系 138-1234-5678。"),
        ("summary", f"身份证号{VALID_ID}"),
        ("township", "东坝头镇 13812345678"),
    ],
)
def test_personal_number_in_front_matter_is_placed_at_the_field(
    tmp_path: Path, field: str, value: str
) -> None:
    story, result = load(tmp_path, {field: value})

    problem = only_problem(result)
    assert (problem.line, problem.field) == (story.line(f"{field}:"), field)
    assert "公开稿件不能出现" in problem.message


def test_personal_number_in_nested_field_is_named_with_its_path(tmp_path: Path) -> None:
    authors = [{"name": "王小红", "role": "媒体记者", "org": "开封日报 13812345678"}]
    story, result = load(tmp_path, {"authors": authors})

    problem = only_problem(result)
    assert (problem.line, problem.field) == (story.line("org:"), "authors[0].org")
    assert "手机号码" in problem.message


def test_number_in_a_multi_line_value_is_placed_at_the_field(tmp_path: Path) -> None:
    """Inside a `|` block an offset into the value would point one line too high."""
    text = (
        "---\ntitle: 从土坯房到小楼房\ndate: 2021-03-12\nactivity: 回村看\ncity: 开封市\n"
        "county: 兰考县\nvillage: 张庄村\nform: 文章\n"
        "authors:\n  - name: 王小红\n    role: 媒体记者\n"
        "summary: |\n  驻村工作队陪老党员算了一笔收入账。\n  联系电话 13812345678\n"
        f"---\n\n{BASE_BODY}"
    )
    story = write_raw(tmp_path, text)

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (story.line("summary:"), "summary")


# -- script in the body -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        pytest.param("<script>alert(1)</script>", "含有 <script> 标签", id="script"),
        pytest.param("<SCRIPT SRC=//x.example/a.js></SCRIPT>", "<script>", id="script-upper"),
        pytest.param(
            '<iframe src="https://example.com/"></iframe>', "含有 <iframe> 标签", id="iframe"
        ),
        pytest.param('<span onclick="alert(1)">点我</span>', "事件属性 onclick=", id="onclick"),
        pytest.param("<svg/onload=alert(1)>", "事件属性 onload=", id="svg-onload"),
        pytest.param("[点这里](javascript:alert(1))", "链接使用了 javascript:", id="markdown-link"),
        pytest.param(
            "[点这里][x]\n\n[x]: javascript:alert(1)",
            "链接使用了 javascript:",
            id="markdown-reference-link",
        ),
        pytest.param(
            '<a href="javascript:alert(1)">点这里</a>', "href 使用了 javascript:", id="html-href"
        ),
        pytest.param(
            '<a href=" JavaScript:alert(1)">点这里</a>', "href 使用了 javascript:", id="href-case"
        ),
        pytest.param(
            '村里新修了路 { onclick="alert(1)" }',
            "属性列表 {…} 里写了事件属性",
            id="attr-list-handler",
        ),
        pytest.param(
            "## 新变化 {: onmouseover=alert(1) }",
            "属性列表 {…} 里写了事件属性",
            id="attr-list-heading",
        ),
    ],
)
def test_script_in_body_is_placed_at_its_line(tmp_path: Path, text: str, phrase: str) -> None:
    story, result = load(tmp_path, body=body_with(text))

    assert result.problems, "not flagged"
    for problem in result.problems:
        assert (problem.path, problem.field) == (story.rel, BODY)
        assert problem.line == story.line(text.split("\n")[-1])
    assert any(phrase in p.message for p in result.problems), problems_text(result.problems)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("```html\n<script>alert(1)</script>\n```", id="backtick-fence"),
        pytest.param("~~~\n<iframe src=x></iframe>\n<a onclick=x>\n~~~", id="tilde-fence"),
        pytest.param("````\n```\n<script>alert(1)</script>\n````", id="longer-fence"),
        pytest.param("<div>\n```\n<script>alert(1)</script>\n```\n</div>", id="fence-in-div"),
        pytest.param("村里有一个 on 字 { .lead }", id="attr-list-class"),
        pytest.param("A <b>粗体</b> 和 <a href='https://example.org/'>链接</a>", id="safe-html"),
    ],
)
def test_code_and_harmless_html_are_not_flagged(tmp_path: Path, body: str) -> None:
    _, result = load(tmp_path, body=body_with(body))

    assert result.problems == (), problems_text(result.problems)


def test_line_numbers_count_from_the_top_of_the_file(tmp_path: Path) -> None:
    body = "\n".join(
        [
            "第一段。",
            "",
            "```",
            "<script>在代码块里</script>",
            "```",
            "",
            "第二段。",
            "",
            "<script>alert(1)</script>",
        ]
    )
    story, result = load(tmp_path, body=body)

    problem = only_problem(result)
    assert problem.line == story.line("<script>alert(1)")
    assert problem.line == story.line("---", occurrence=2) + 1 + 9  # body line 9
    assert str(problem).startswith(f"{story.rel}:{problem.line}: 正文: 含有 <script> 标签")


# Each of these renders to HTML that runs script with the site's Markdown settings; each
# once slipped past the scanner (second column: what the rendered page contains).
RENDERED_LIVE = [
    pytest.param(
        "``` not a fence\n<script>alert(1)</script>\n```\n```",
        "<script>alert(1)</script>",
        id="opening-line-markdown-does-not-take-as-fence",
    ),
    pytest.param(
        "文字 \\`<script>alert(1)</script>\\` 文字",
        "<script>alert(1)</script>",
        id="escaped-backticks",
    ),
    pytest.param(
        "<div>\n`<script>alert(1)</script>`\n</div>",
        "<script>alert(1)</script>",
        id="code-span-inside-raw-html",
    ),
    pytest.param(
        '<a href="java&#9;script:alert(1)">点</a>',
        'href="java&#9;script:',
        id="tab-inside-scheme",
    ),
    pytest.param(
        "[点](&#106;avascript:alert(1))",
        'href="&#106;avascript:',
        id="character-reference-in-markdown-link",
    ),
    pytest.param(
        "[点](https://example.org/){ href=javascript:alert(1) }",
        'href="javascript:alert(1)"',
        id="attr-list-sets-href",
    ),
    pytest.param(
        '<svg><a><animate attributeName="href" values="0;javascript:alert(1)"/></a></svg>',
        "javascript:alert(1)",
        id="svg-animate-values",
    ),
    pytest.param(
        "<![CDATA[ ><img src=x onerror=alert(1)> ]]>",
        "onerror=alert(1)",
        id="cdata-that-browsers-end-at-first-bracket",
    ),
]


@pytest.mark.parametrize(("text", "live"), RENDERED_LIVE)
def test_script_the_renderer_lets_through_is_flagged(text: str, live: str) -> None:
    rendered = markdown.markdown(text, extensions=SITE_EXTENSIONS)
    assert live in rendered  # the case is real: this reaches the page

    findings = find_unsafe_html(text)
    assert findings, rendered


def test_code_span_is_flagged_too() -> None:
    """Code spans are not skipped: the rare false alarm is cheaper than a way round the check."""
    assert find_unsafe_html("写法是 `<script>`。")


# -- leftovers from the template and empty bodies -----------------------------------------------


def test_template_placeholder_is_flagged_at_its_line(tmp_path: Path) -> None:
    placeholder = SCAFFOLD_TEMPLATE.read_text(encoding="utf-8").strip().split("\n")[-1]
    assert placeholder.startswith("（请在这里写正文")
    story, result = load(tmp_path, body=body_with(placeholder))

    problem = only_problem(result)
    assert (problem.line, problem.field) == (story.line(placeholder), BODY)
    assert "模板的提示文字" in problem.message


@pytest.mark.parametrize("body", ["", "\n", "\n\n   \n\t\n"])
def test_empty_body_is_flagged_after_the_front_matter(tmp_path: Path, body: str) -> None:
    story = write_story(tmp_path, body=body)

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (story.line("---", occurrence=2) + 1, BODY)
    assert "正文是空的" in problem.message


# -- the scanner on its own ---------------------------------------------------------------------


def test_findings_carry_the_line_offset_within_the_text() -> None:
    text = "一\n二\n<iframe src=x>\n四 13812345678\n"

    assert [f.line_offset for f in find_unsafe_html(text)] == [2]
    assert [f.line_offset for f in find_personal_data(text)] == [3]


def test_several_numbers_on_one_line_are_each_reported() -> None:
    findings = find_personal_data(f"{VALID_ID} 和 13812345678 和 {UNIONPAY_19}")

    assert sorted(f.message[:6] for f in findings) == [
        "含有手机号码",
        "含有身份证号",
        "含有银行卡号",
    ]


def test_identity_number_is_not_also_a_bank_card() -> None:
    luhn_passing_id = next(
        number
        for number in (identity_number(sequence=f"{n:03d}") for n in range(1000))
        if number.isdigit() and passes_luhn(number)
    )

    findings = find_personal_data(luhn_passing_id)
    assert [f.message[:6] for f in findings] == ["含有身份证号"]


def test_plain_text_is_scanned_without_an_html_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """A parser per body was a twentieth of the build; a body with no `<` has no tag to find."""
    import huatuopin.textscan as textscan

    def refuse() -> None:
        raise AssertionError("an HTML parser was built for text with no tag")

    monkeypatch.setattr(textscan, "_UnsafeHtmlFinder", refuse)
    assert find_unsafe_html("村里通了路 & 自来水，[链接](https://example.org) {: .x }") == []
    assert find_unsafe_html("[点我](javascript:alert(1))")


def test_a_tag_is_still_found_by_the_parser() -> None:
    findings = find_unsafe_html("第一行\n<p onclick=x>文字</p>\n<marquee>走马灯</marquee>")
    assert [(f.line_offset, f.message.split("；")[0]) for f in findings] == [
        (1, "含有事件属性 onclick="),
        (2, "含有 <marquee> 标签"),
    ]
