"""The sanitizer every rendered body goes through, and the one place HTML is marked safe."""

from __future__ import annotations

import re
from pathlib import Path

import hostilekit
import markdown
import pytest
import sitekit
from huatuopin import safehtml
from huatuopin.htmlpolicy import ADMONITION_TYPES
from jinja2 import DictLoader, Environment, FileSystemLoader
from markupsafe import Markup, escape

REPO = sitekit.REPO_ROOT
OVERRIDES = REPO / "overrides"
MATERIAL_TEMPLATES = Path(__import__("material").__file__).parent / "templates"


def site_markdown(text: str) -> str:
    """`text` rendered with the Markdown settings of mkdocs.yml (and MkDocs' own fenced_code)."""
    extensions: list[str] = ["fenced_code"]
    configs: dict[str, dict[str, object]] = {}
    for item in sitekit.read_config()["markdown_extensions"]:
        name = item if isinstance(item, str) else next(iter(item))
        if isinstance(item, dict):
            configs[name] = item[name] or {}
        extensions.append(name)
    return markdown.markdown(text, extensions=extensions, extension_configs=configs)


def clean(text: str) -> str:
    return safehtml.sanitize_body(site_markdown(text))


def structure(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(e.tag, sorted(e.attrs)) for e in hostilekit.elements(html)]


# -- payloads ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(hostilekit.PAYLOADS))
def test_payload_reaches_the_page_without_the_sanitizer(name: str) -> None:
    """Each family is real: Markdown passes its working part through to the page."""
    rendered = site_markdown(hostilekit.PAYLOADS[name])
    assert hostilekit.MARKER in rendered


@pytest.mark.parametrize("name", list(hostilekit.PAYLOADS))
def test_sanitized_payload_leaves_nothing_that_runs(name: str) -> None:
    cleaned = clean(hostilekit.PAYLOADS[name])

    assert hostilekit.unsafe_body_parts(cleaned) == [], cleaned
    assert hostilekit.MARKER not in cleaned, cleaned


def test_all_payloads_in_one_body_leave_nothing_that_runs() -> None:
    """Together, so one payload cannot open a context another one closes."""
    cleaned = clean(hostilekit.payload_body())

    assert hostilekit.unsafe_body_parts(cleaned) == [], cleaned
    assert hostilekit.MARKER not in cleaned
    assert "正文开头" in cleaned and "正文结尾" in cleaned


def test_script_and_style_content_is_removed_not_shown_as_text() -> None:
    cleaned = clean(
        "前\n\n<script>var secret = 1;</script>\n\n<style>body { color: red }</style>\n\n后"
    )

    assert "secret" not in cleaned
    assert "color" not in cleaned
    assert "前" in cleaned and "后" in cleaned


def test_comments_are_stripped() -> None:
    assert "注释" not in clean("正文<!-- 编辑的注释 -->继续")


def test_text_keeps_its_characters_escaped_once() -> None:
    cleaned = clean("收入 A&B 增加 “三成”，<脱贫路上> 和 1 < 2 > 0")

    assert "A&amp;B" in cleaned
    assert "&amp;amp;" not in cleaned
    assert "“三成”" in cleaned
    assert "&lt;脱贫路上&gt;" in cleaned


# -- ordinary Markdown ------------------------------------------------------------------------

ORDINARY = """\
# 张庄的新日子

一段**加粗**和*强调*，还有 `代码`、<sup>上标</sup>、<sub>下标</sub>、~~没有~~<del>删掉</del>。
第二行<br>
换行之后。

## 村里的变化 {: #bianhua }

- 光伏板
- 合作社
    1. 第一项

3. 从三开始
4. 第四

> 引用村支书的话。

| 年份 | 收入（万元） | 备注 |
|:-----|-------------:|:----:|
| 2016 | 0.5 | 起步 |
| 2021 | 35.6 | 翻番 |

[站内文章](../other/)、[网站](https://example.org/a?b=1&c=2 "标题")、
[来信](mailto:office@example.org)

![村口的新路](cunkou.jpg "村口")

!!! note "注意"
    提示框里的文字。

!!! warning
    警告。

***

```
<p>代码块里的标签原样显示</p>
```
"""


def test_ordinary_markdown_keeps_all_its_markup() -> None:
    """Headings, lists, tables with alignment, links, images, admonitions: unchanged but for
    the `rel` the sanitizer adds to links."""
    raw = site_markdown(ORDINARY)
    cleaned = safehtml.sanitize_body(raw)

    expected = [
        (tag, sorted([*attrs, ("rel", "noopener noreferrer")]) if tag == "a" else attrs)
        for tag, attrs in structure(raw)
    ]
    assert structure(cleaned) == expected
    assert hostilekit.unsafe_body_parts(cleaned) == []


def test_table_alignment_is_written_as_an_attribute_the_sanitizer_keeps() -> None:
    cleaned = clean("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |")

    assert re.findall(r'<td align="(\w+)"', cleaned) == ["left", "center", "right"]
    assert "style" not in cleaned


def test_admonition_classes_are_kept_and_other_classes_dropped() -> None:
    cleaned = clean(
        '!!! tip "小贴士"\n    内容\n\n段落\n{: .lead .md-button }\n\n'
        '<div class="admonition danger hp-hero">危险</div>'
    )

    assert '<div class="admonition tip">' in cleaned
    assert '<p class="admonition-title">小贴士</p>' in cleaned
    assert '<div class="admonition danger">' in cleaned
    assert "lead" not in cleaned and "md-button" not in cleaned and "hp-hero" not in cleaned
    assert {"note", "warning", "tip", "danger", "quote"} <= ADMONITION_TYPES


@pytest.mark.parametrize("reserved", ["__search", "__drawer", "hp-income", "tp-x", "pair-1"])
def test_ids_of_the_page_around_the_body_are_dropped(reserved: str) -> None:
    cleaned = clean(f"## 搜索 {{: #{reserved} }}\n\n## 我们的计划 {{: #jihua }}")

    assert f'id="{reserved}"' not in cleaned
    assert '<h2 id="jihua">' in cleaned


@pytest.mark.parametrize(
    ("target", "kept"),
    [
        ("https://example.org/", True),
        ("http://example.org/", True),
        ("mailto:office@example.org", True),
        ("../2021-03-12-x/", True),
        ("#jihua", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("vbscript:msgbox(1)", False),
        ("data:text/html;base64,PHNjcmlwdD4=", False),
        ("ftp://example.org/", False),
        ("tel:10086", False),
    ],
)
def test_only_http_https_mailto_and_relative_links_are_kept(target: str, kept: bool) -> None:
    cleaned = safehtml.sanitize_body(f'<a href="{target}">链接</a><img src="{target}" alt="图">')

    assert (f'href="{target}"' in cleaned) is kept
    relative = not target.startswith(("http:", "https:", "mailto:"))
    assert (f'src="{target}"' in cleaned) is (kept and relative)
    assert 'rel="noopener noreferrer"' in cleaned


@pytest.mark.parametrize(
    "source",
    ["https://example.org/x.png", "http://example.org/x.png", "//example.org/x.png", " //x/y"],
)
def test_images_load_only_from_the_site(source: str) -> None:
    cleaned = safehtml.sanitize_body(
        f'<img src="{source}" alt="远方"><img src="a/b.jpg" alt="本站">'
    )

    assert "example.org" not in cleaned and "//x/y" not in cleaned
    assert 'src="a/b.jpg"' in cleaned
    assert 'alt="远方"' in cleaned  # the image's words stay; only the outside address goes


def test_sanitized_body_is_markup() -> None:
    assert isinstance(safehtml.sanitize_body("<p>文字</p>"), Markup)


# -- escaping on output -----------------------------------------------------------------------


def theme_env() -> Environment:
    """Our templates in front of Material's, as MkDocs' theme loads them."""
    env = Environment(loader=FileSystemLoader([str(OVERRIDES), str(MATERIAL_TEMPLATES)]))
    return safehtml.autoescape_overrides(env, OVERRIDES)


@pytest.mark.parametrize(
    ("name", "escaped"),
    [
        ("main.html", True),  # ours, in place of Material's
        ("story.html", True),
        ("partials/story-header.html", True),
        ("partials/troupe-macros.html", True),
        ("base.html", False),
        ("partials/header.html", True),  # ours since issue 13: the link to /search/
        ("partials/nav.html", False),
        ("404.html", True),  # ours since issue 10: in Chinese, links from any depth
        ("partials/footer.html", False),
    ],
)
def test_our_templates_autoescape_and_materials_do_not(name: str, escaped: bool) -> None:
    env = theme_env()

    assert env.loader is not None and env.loader.get_source(env, name)  # a template of the theme
    assert env.autoescape(name) is escaped


def test_render_refuses_a_template_that_does_not_escape() -> None:
    env = theme_env()

    with pytest.raises(ValueError, match="not autoescaped"):
        safehtml.render(env, "partials/footer.html")


def test_render_marks_our_escaped_output_safe() -> None:
    env = Environment(loader=DictLoader({"x.html": "<b>{{ value }}</b>"}))
    env.autoescape = lambda name: name == "x.html"

    rendered = safehtml.render(env, "x.html", value='<"&')
    assert rendered == Markup("<b>&lt;&#34;&amp;</b>")


def test_replace_each_keeps_safe_html_and_escapes_what_is_not() -> None:
    body = safehtml.sanitize_body("<p>前<img src=a.jpg>中<img src=b.jpg>后</p>")

    def swap(tag: Markup) -> Markup | None:
        if "a.jpg" in tag:
            return escape("<picture>")  # a plain string from elsewhere: escaped, not trusted
        return None

    result = safehtml.replace_each(body, re.compile(r"<img\b[^>]*>"), swap)
    assert isinstance(result, Markup)
    assert result == '<p>前&lt;picture&gt;中<img src="b.jpg">后</p>'


def test_page_title_from_front_matter_is_escaped_text() -> None:
    meta = {"title": 'A<"&B', "tags": ["光伏", "<b>合作社</b>"], "description": "<i>x</i>"}

    safehtml.escape_page_meta(meta, "ignored")
    assert meta["title"] == "A&lt;&#34;&amp;B"
    assert meta["tags"] == ["光伏", "&lt;b&gt;合作社&lt;/b&gt;"]
    assert meta["description"] == "&lt;i&gt;x&lt;/i&gt;"
    safehtml.escape_page_meta(meta, "ignored")  # a second pass leaves escaped text alone
    assert meta["title"] == "A&lt;&#34;&amp;B"


def test_page_title_from_a_heading_is_its_text_escaped_once() -> None:
    """MkDocs gives the first heading as HTML: entities kept, tags stripped by a simple loop."""
    meta: dict[str, object] = {}

    safehtml.escape_page_meta(meta, "A &amp; B <em>新</em> &lt;script&gt;")
    assert meta["title"] == "A &amp; B 新 &lt;script&gt;"
