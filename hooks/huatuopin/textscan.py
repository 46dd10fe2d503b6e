"""Text that must never be published: personal numbers and HTML that can run script."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from markdown.extensions.fenced_code import FencedBlockPreprocessor

from .personaldata import Finding, find_personal_data
from .problems import Problem

# -- unsafe HTML ------------------------------------------------------------------------------

_FORBIDDEN_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base"}
# Browsers decode character references and drop tabs, newlines and other controls in a URL
# before reading its scheme, so `java&#9;script:` runs like `javascript:`.
_URL_IGNORED = re.compile(r"[\x00-\x20]")
_SCRIPT_URL = re.compile(r"javascript:|vbscript:|data:text/html", re.IGNORECASE)
_MARKDOWN_LINK_TARGET = re.compile(
    r"(?:\]\(\s*<?|^[ \t]*\[[^\]]+\]:\s*<?|<)([^\s)>]+)", re.MULTILINE
)
_ATTR_LIST_HANDLER = re.compile(r"\{:?[^}\n]*\bon[a-z]+\s*=", re.IGNORECASE)
_ATTR_LIST = re.compile(r"\{:?[^}\n]*\}")
# Exactly the fences Python-Markdown renders as code, so only text that is shown as code is
# skipped. (A looser pattern, or skipping `inline code`, hid <script> that the renderer
# passes through: an opening line "``` not a fence", a \`-escaped backtick, or a code span
# inside a raw <div>, where Markdown is not applied.)
_FENCED_CODE = FencedBlockPreprocessor.FENCED_BLOCK_RE
# Plain-text catch-alls: the stdlib parser and a browser read malformed HTML differently
# (`<![CDATA[ ><img onerror=…>` is a comment to one and an image to the other).
_RAW_FORBIDDEN_TAG = re.compile(r"<(" + "|".join(sorted(_FORBIDDEN_TAGS)) + r")\b", re.IGNORECASE)
_RAW_HANDLER = re.compile(r"<[a-zA-Z][^<>]*?[\s/\"']on([a-z]+)\s*=", re.IGNORECASE)


def _is_script_url(value: str, *, anywhere: bool = False) -> bool:
    cleaned = _URL_IGNORED.sub("", value)
    match = _SCRIPT_URL.search(cleaned)
    return match is not None and (anywhere or match.start() == 0)


def _tag_finding(offset: int, tag: str) -> Finding:
    return Finding(offset, f"含有 <{tag.lower()}> 标签；稿件中不能嵌入脚本或外部页面，请删除")


def _handler_finding(offset: int, name: str) -> Finding:
    return Finding(offset, f"含有事件属性 {name.lower()}=；稿件中不能带脚本，请删除这个属性")


def _blank_out(match: re.Match[str]) -> str:
    """Replace code with spaces, keeping newlines so line numbers stay right."""
    return re.sub(r"[^\n]", " ", match.group(0))


class _UnsafeHtmlFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        offset = self.getpos()[0] - 1
        if tag in _FORBIDDEN_TAGS:
            self.findings.append(_tag_finding(offset, tag))
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(_handler_finding(offset, name))
            # Any attribute, not only href/src: SVG's <animate values="…"> can set a link too.
            elif value and _is_script_url(value, anywhere=True):
                self.findings.append(
                    Finding(offset, f"{name} 使用了 javascript: 之类的脚本地址；请改成普通链接")
                )

    handle_startendtag = handle_starttag


def find_unsafe_html(text: str) -> list[Finding]:
    """Raw HTML or Markdown that would run script in a reader's browser."""
    text = _FENCED_CODE.sub(_blank_out, text)
    parser = _UnsafeHtmlFinder()
    parser.feed(text)
    parser.close()
    findings = list(parser.findings)

    def line_of(match: re.Match[str]) -> int:
        return text.count("\n", 0, match.start())

    for match in _RAW_FORBIDDEN_TAG.finditer(text):
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
    for match in _ATTR_LIST.finditer(text):
        if _is_script_url(html.unescape(match.group(0)), anywhere=True):
            findings.append(
                Finding(
                    line_of(match),
                    "属性列表 {…} 里写了 javascript: 之类的脚本地址；请改成普通链接",
                )
            )
    return sorted(set(findings), key=lambda f: f.line_offset)


def scan_front_matter(
    data: Any, lines: dict[str, int], rel_path: str, path: str = ""
) -> list[Problem]:
    """Personal data and script in any front-matter text, each at its field's line.

    At the field's line, not an offset into the value: inside a multi-line value YAML's
    folding and block indicators would make an offset point at the wrong line of the file.
    """
    if isinstance(data, dict):
        return [
            problem
            for key, value in data.items()
            for problem in scan_front_matter(
                value, lines, rel_path, f"{path}.{key}" if path else str(key)
            )
        ]
    if isinstance(data, list):
        return [
            problem
            for index, value in enumerate(data)
            for problem in scan_front_matter(value, lines, rel_path, f"{path}[{index}]")
        ]
    if isinstance(data, int) and not isinstance(data, bool) and data.bit_length() <= 64:
        data = str(data)  # `summary: 13812345678` is a number to YAML, and shown as written
    if isinstance(data, str):
        return [
            Problem(rel_path, lines.get(path, 1), path, finding.message)
            for finding in find_personal_data(data) + find_unsafe_html(data)
        ]
    return []
