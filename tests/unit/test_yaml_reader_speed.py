"""Front-matter is read by libyaml when it is installed, with exactly the pure reader's results;
generated pages' stubs are written by it.

libyaml composes the nodes ten times faster than PyYAML's pure-Python reader, which made
reading front-matter a tenth of a province-size build. Whatever a contributor writes, the
value, every field's line, the text as written, the hints and the problems must be the ones
the pure reader gives: the fuzzed text and values of test_loaders_never_crash are read both
ways and compared.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from huatuopin import sourcefile
from huatuopin.sourcefile import LocatedData, SourceError, parse_yaml
from huatuopin.stories import STORY_FIELDS
from huatuopin.views import View
from hypothesis import given
from hypothesis import strategies as st
from test_loaders_never_crash import FUZZ, NESTED_FIELDS, dump, values, yaml_lines

STORY = """title: 张庄村的新路
date: 2021-03-12
activity: 回村看
city: 开封市
county: 兰考县
village: 张庄村
form: 文章
authors:
  - name: 王小红
    role: 媒体记者
summary: 第 #1 户的一句话介绍
tags: [光伏, 合作社，蜜瓜]
consent: yes
pairs:
  - before_year: 2016
    caption: |
      危房改造前后
"""


def outcome(text: str) -> tuple[str, Any]:
    """Everything parse_yaml tells its caller, comparable across readers."""
    try:
        data: LocatedData = parse_yaml(text, "docs/stories/x/index.md", first_line=2)
    except SourceError as error:
        return "problems", [str(problem) for problem in error.problems]
    return "data", (repr(data.value), data.lines, data.raw, data.hints)


def both_ways(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    fast = outcome(text)
    with monkeypatch.context() as patched:
        patched.setattr(yaml, "__with_libyaml__", False)
        pure = outcome(text)
    return fast, pure


def test_a_story_is_read_without_the_pure_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """With libyaml installed, well-formed front-matter never reaches PyYAML's Python reader."""
    assert yaml.__with_libyaml__

    def refuse(text: str) -> None:
        raise AssertionError("the pure-Python reader was used")

    monkeypatch.setattr(sourcefile, "_Composer", refuse)
    data = parse_yaml(STORY.replace("，", ", "), "docs/stories/x/index.md", first_line=2)

    assert data.value["title"] == "张庄村的新路"
    assert data.lines["authors[0].role"] == 11


def test_problems_and_hints_are_the_same_without_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    fast, pure = both_ways(STORY, monkeypatch)
    assert fast == pure
    assert fast[0] == "problems"  # the Chinese comma in tags


@pytest.mark.parametrize(
    "text",
    [
        "title: 标题\ntags: [" + "[" * 700 + "]" * 700 + "]\n",  # libyaml's depth, not Python's
        "title: 标题\ntags: " + "[" * 5000 + "]" * 5000 + "\n",
        "title: !!str 标题\n",
        "title: 加油!\n",
        "title: 'unclosed\n",
        "title: a\ntitle: b\n",
        "a: &x [1, *x]\n",
        "",
        "# 只有注释\n",
        "title: 标题\n---\nsummary: 两份\n",
        "key:\tvalue\n",
        "tags: [a:b, c]\n",
        "\ufefftitle: 标题\n",
        "summary: |#\n  文字\n",
        "tags: [a?b]\n",
        "{=?`}\n",
        "org: a@b\n",
    ],
)
def test_awkward_text_reads_the_same(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, pure = both_ways(text, monkeypatch)
    assert fast == pure


@FUZZ
@given(yaml_lines(STORY_FIELDS))
def test_fuzzed_text_reads_the_same(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, pure = both_ways(text, monkeypatch)
    assert fast == pure


# The pieces YAML gives a meaning to, glued together at random.
TOKENS = ["a", "1", " ", "  ", ":", ": ", "- ", "-", "[", "]", "{", "}", ",", "#", " #", "'", '"']
TOKENS += ["|", ">", "&a", "*a", "%", "\n", "\n  ", "\n    ", "\n- ", "...", "---", "\\", "e3"]
TOKENS += ["0x1", "<<", "~", "\u3000", "村", "，", "：", "\r", "\x85", "\u2028", "\ufeff", "\xa0"]
TOKENS += ["?", "@", "`", "!", "\t", "="]


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map("".join))
def test_fuzzed_tokens_read_the_same(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, pure = both_ways(text, monkeypatch)
    assert fast == pure


@FUZZ
@given(values(NESTED_FIELDS), st.sampled_from([None, True, False]))
def test_fuzzed_values_read_the_same(data: Any, flow: bool | None) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, pure = both_ways(dump(data, flow), monkeypatch)
    assert fast == pure


@pytest.mark.parametrize(
    "title",
    ["张庄村", "注意: 冒号", "'引号' \"双引号\"", "yes", "010", "#1 户", "- 列表", "长" * 300],
)
def test_a_stub_is_written_without_pyyaml_and_reads_back(
    title: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every generated page has a stub (100,000 at province size) that MkDocs reads back as
    YAML: it is written as JSON, which is YAML too, by C code."""
    view = View(url="villages/x/", title=title, template="village.html")

    def refuse(*args: Any) -> None:
        raise AssertionError("PyYAML's Python emitter wrote the stub")

    monkeypatch.setattr(yaml.emitter.Emitter, "emit", refuse)
    meta = yaml.load(view.stub().strip("-\n"), Loader=yaml.SafeLoader)
    assert meta == {"title": title, "template": "village.html"}
