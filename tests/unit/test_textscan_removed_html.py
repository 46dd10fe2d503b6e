"""The scanner tells a contributor, at the line, about HTML the sanitizer would take out.

Safety does not depend on it (every body is sanitized); it is there so that content does not
vanish from the page without a word. It reads the sanitizer's own allowlist.
"""

from __future__ import annotations

from pathlib import Path

import hostilekit
import pytest
from huatuopin.htmlpolicy import ALLOWED_TAGS, CONTENT_REMOVED_TAGS
from huatuopin.textscan import find_unsafe_html
from storykit import BASE_BODY, load, problems_text

BODY = "正文"


def body_with(text: str) -> str:
    head, tail = BASE_BODY.split("## ", 1)
    return head + text + "\n\n## " + tail


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        pytest.param("<style>body { display: none }</style>", "<style>", id="style"),
        pytest.param('<svg width="10"><circle r="4"/></svg>', "<svg>", id="svg"),
        pytest.param("<math><mi>x</mi></math>", "<math>", id="math"),
        pytest.param('<form action="https://example.org/">名字</form>', "<form>", id="form"),
        pytest.param('<input type="password">', "<input>", id="input"),
        pytest.param('<meta http-equiv="refresh" content="0;url=/">', "<meta>", id="meta"),
        pytest.param("<noscript>请打开脚本</noscript>", "<noscript>", id="noscript"),
        pytest.param('<link rel="stylesheet" href="a.css">', "<link>", id="link"),
        pytest.param('<object data="a.swf"></object>', "<object>", id="object"),
        pytest.param("<textarea>留言</textarea>", "<textarea>", id="textarea"),
        pytest.param('<font color="red">红字</font>', "<font>", id="font"),
        pytest.param("<center>居中</center>", "<center>", id="center"),
    ],
)
def test_tag_outside_the_allowlist_is_placed_at_its_line(
    tmp_path: Path, text: str, phrase: str
) -> None:
    story, result = load(tmp_path, body=body_with(text))

    assert result.problems, "not flagged"
    for problem in result.problems:
        assert (problem.path, problem.line, problem.field) == (story.rel, story.line(text), BODY)
    assert any(phrase in p.message for p in result.problems), problems_text(result.problems)


def test_the_message_says_whether_the_content_goes_too() -> None:
    (removed,) = find_unsafe_html("<style>body { display: none }</style>")
    (unwrapped,) = find_unsafe_html("<center>居中</center>")

    assert "里面的内容" in removed.message and "请删除" in removed.message
    assert "里面的文字照常显示" in unwrapped.message and "请删除" in unwrapped.message


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('<span style="color: red">红字</span>', id="html"),
        pytest.param('村里的新路\n{: style="display: none" }', id="attr-list"),
    ],
)
def test_style_attribute_is_flagged(tmp_path: Path, text: str) -> None:
    story, result = load(tmp_path, body=body_with(text))

    assert result.problems, "not flagged"
    assert all(p.line == story.line(text.split("\n")[-1]) for p in result.problems)
    assert any("style" in p.message for p in result.problems), problems_text(result.problems)


@pytest.mark.parametrize("tag", sorted(ALLOWED_TAGS))
def test_tags_the_sanitizer_keeps_are_not_flagged(tag: str) -> None:
    assert find_unsafe_html(f"前 <{tag}>文字</{tag}> 后") == []


@pytest.mark.parametrize("tag", sorted(CONTENT_REMOVED_TAGS))
def test_every_tag_removed_with_its_content_is_flagged(tag: str) -> None:
    findings = find_unsafe_html(f"前\n<{tag}>内容</{tag}>\n后")

    assert [f.line_offset for f in findings] == [1]
    assert f"<{tag}>" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("见 <https://example.org/a?b=1>。", id="autolink"),
        pytest.param("来信 <office@example.org>。", id="mail-autolink"),
        pytest.param("节目《脱贫路上》和 <脱贫路上> 都是书名。", id="chinese-in-brackets"),
        pytest.param("收入 1 < 2，3 > 2。", id="comparison"),
        pytest.param('!!! note "注意"\n    提示框。', id="admonition"),
        pytest.param("| a | b |\n|:--|--:|\n| 1 | 2 |", id="aligned-table"),
        pytest.param('<img src="a.jpg" alt="图" width="300">', id="image"),
        pytest.param("<!-- 给编辑的话 -->", id="comment"),
    ],
)
def test_ordinary_writing_is_not_flagged(text: str) -> None:
    assert find_unsafe_html(text) == []


@pytest.mark.parametrize("name", list(hostilekit.PAYLOADS))
def test_every_payload_family_is_reported(name: str) -> None:
    """The early warning: what the sanitizer will remove, the contributor hears about."""
    assert find_unsafe_html(hostilekit.PAYLOADS[name])
