"""HTML in contributor Markdown that the sanitizer would remove, found at its line."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from markdown.extensions.fenced_code import FencedBlockPreprocessor

from .htmlpolicy import ALLOWED_TAGS, CONTENT_REMOVED_TAGS
from .personaldata import Finding

# -- unsafe HTML ------------------------------------------------------------------------------
# Every body is sanitized after rendering (`safehtml`), so nothing here is what keeps a page
# safe: this tells the contributor, at the line, about HTML the sanitizer would take out,
# instead of it vanishing from the page without a word. It reads the sanitizer's allowlist.

# Script and embedded pages: the original message, which says what they are.
_FORBIDDEN_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base"}
# Tags that are dangerous however they are written: looked for in the plain text too.
_RAW_TAGS = _FORBIDDEN_TAGS | CONTENT_REMOVED_TAGS | {"meta", "link", "input", "button"}
# Browsers decode character references and drop tabs, newlines and other controls in a URL
# before reading its scheme, so `java&#9;script:` runs like `javascript:`.
_URL_IGNORED = re.compile(r"[\x00-\x20]")
_SCRIPT_URL = re.compile(r"javascript:|vbscript:|data:text/html", re.IGNORECASE)
_MARKDOWN_LINK_TARGET = re.compile(
    r"(?:\]\(\s*<?|^[ \t]*\[[^\]]+\]:\s*<?|<)([^\s)>]+)", re.MULTILINE
)
_ATTR_LIST_HANDLER = re.compile(r"\{:?[^}\n]*\bon[a-z]+\s*=", re.IGNORECASE)
_ATTR_LIST_STYLE = re.compile(r"\{:?[^}\n]*\bstyle\s*=", re.IGNORECASE)
_ATTR_LIST = re.compile(r"\{:?[^}\n]*\}")
# Exactly the fences Python-Markdown renders as code, so only text that is shown as code is
# skipped. (A looser pattern, or skipping `inline code`, hid <script> that the renderer
# passes through: an opening line "``` not a fence", a \`-escaped backtick, or a code span
# inside a raw <div>, where Markdown is not applied.)
_FENCED_CODE = FencedBlockPreprocessor.FENCED_BLOCK_RE
# Plain-text catch-alls: the stdlib parser and a browser read malformed HTML differently
# (`<![CDATA[ ><img onerror=…>` is a comment to one and an image to the other).
_RAW_TAG = re.compile(r"<(" + "|".join(sorted(_RAW_TAGS)) + r")\b", re.IGNORECASE)
_RAW_HANDLER = re.compile(r"<[a-zA-Z][^<>]*?[\s/\"']on([a-z]+)\s*=", re.IGNORECASE)
# A name Python-Markdown passes through as raw HTML. With a colon or an @ it is an autolink
# (`<https://…>`, `<name@example.org>`), which Markdown turns into a link.
_HTML_TAG_NAME = re.compile(r"[a-z][^\s:@]*")


def _is_script_url(value: str, *, anywhere: bool = False) -> bool:
    cleaned = _URL_IGNORED.sub("", value)
    match = _SCRIPT_URL.search(cleaned)
    return match is not None and (anywhere or match.start() == 0)


def _tag_finding(offset: int, tag: str) -> Finding:
    tag = tag.lower()
    if tag in _FORBIDDEN_TAGS:
        return Finding(offset, f"含有 <{tag}> 标签；稿件中不能嵌入脚本或外部页面，请删除")
    if tag in CONTENT_REMOVED_TAGS:
        return Finding(
            offset, f"含有 <{tag}> 标签；网页不会显示它和它里面的内容，请删除这个标签和里面的内容"
        )
    return Finding(
        offset,
        f"含有 <{tag}> 标签；网页只保留常用的排版标签，会去掉这个标签（里面的文字照常显示），"
        "请删除它，需要时改用 Markdown 写法",
    )


def _handler_finding(offset: int, name: str) -> Finding:
    return Finding(offset, f"含有事件属性 {name.lower()}=；稿件中不能带脚本，请删除这个属性")


def _style_finding(offset: int) -> Finding:
    return Finding(offset, "含有 style 属性；网页不使用稿件里写的样式，会去掉它，请删除这个属性")


def _blank_out(match: re.Match[str]) -> str:
    """Replace code with spaces, keeping newlines so line numbers stay right."""
    return re.sub(r"[^\n]", " ", match.group(0))


class _UnsafeHtmlFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        offset = self.getpos()[0] - 1
        if tag not in ALLOWED_TAGS and _HTML_TAG_NAME.fullmatch(tag):
            self.findings.append(_tag_finding(offset, tag))
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(_handler_finding(offset, name))
            elif name == "style":
                self.findings.append(_style_finding(offset))
            # Any attribute, not only href/src: SVG's <animate values="…"> can set a link too.
            elif value and _is_script_url(value, anywhere=True):
                self.findings.append(
                    Finding(offset, f"{name} 使用了 javascript: 之类的脚本地址；请改成普通链接")
                )

    handle_startendtag = handle_starttag


def find_unsafe_html(text: str) -> list[Finding]:
    """Raw HTML or Markdown that the sanitizer would remove: tags outside its allowlist,
    event handlers, `style`, script URLs."""
    text = _FENCED_CODE.sub(_blank_out, text)
    findings: list[Finding] = []
    # Most bodies have no tag at all: the parser (a new one per text, as the desk serves
    # requests side by side) only ever reports start tags.
    if "<" in text:
        parser = _UnsafeHtmlFinder()
        parser.feed(text)
        parser.close()
        findings += parser.findings

    def line_of(match: re.Match[str]) -> int:
        return text.count("\n", 0, match.start())

    for match in _RAW_TAG.finditer(text):
        findings.append(_tag_finding(line_of(match), match.group(1)))
    for match in _RAW_HANDLER.finditer(text):
        findings.append(_handler_finding(line_of(match), "on" + match.group(1)))
    for match in _MARKDOWN_LINK_TARGET.finditer(text):
        if _is_script_url(html.unescape(match.group(1))):
            findings.append(
                Finding(line_of(match), "链接使用了 javascript: 之类的脚本地址；请改成普通链接")
            )
    for match in _ATTR_LIST_HANDLER.finditer(text):
        findings.append(
            Finding(
                line_of(match),
                "属性列表 {…} 里写了事件属性（on…=）；稿件中不能带脚本，请删除",
            )
        )
    for match in _ATTR_LIST_STYLE.finditer(text):
        findings.append(
            Finding(
                line_of(match),
                "属性列表 {…} 里写了 style=；网页不使用稿件里写的样式，会去掉它，请删除",
            )
        )
    for match in _ATTR_LIST.finditer(text):
        if _is_script_url(html.unescape(match.group(0)), anywhere=True):
            findings.append(
                Finding(
                    line_of(match),
                    "属性列表 {…} 里写了 javascript: 之类的脚本地址；请改成普通链接",
                )
            )
    return sorted(set(findings), key=lambda f: f.line_offset)
