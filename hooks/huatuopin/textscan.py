"""Text that must never be published: personal numbers and HTML that can run script."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from markdown.extensions.fenced_code import FencedBlockPreprocessor

from .htmlpolicy import ALLOWED_TAGS, CONTENT_REMOVED_TAGS
from .problems import Problem


@dataclass(frozen=True)
class Finding:
    line_offset: int  # 0 for the first line of the scanned text
    message: str


# -- personal data ----------------------------------------------------------------------------

_ID_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{17}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![0-9])")
# Card numbers are written in one run or in groups of four.
_BANK_CARD = re.compile(r"(?<![0-9])(\d{16,19}|\d{4}(?:[- ]\d{4}){3}(?:[- ]?\d{1,3})?)(?![0-9])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def is_identity_card(number: str) -> bool:
    """An 18-digit resident ID with a real birth date and a valid GB 11643 check digit."""
    if not re.fullmatch(r"\d{17}[0-9Xx]", number):
        return False
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def passes_luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _mask(number: str) -> str:
    return number[:3] + "*" * max(len(number) - 7, 3) + number[-4:]


def find_personal_data(text: str) -> list[Finding]:
    findings: list[Finding] = []
    for offset, line in enumerate(text.split("\n")):
        ids = set()
        for match in _ID_CARD.finditer(line):
            if is_identity_card(match.group(1)):
                ids.add(match.group(1))
                findings.append(
                    Finding(
                        offset,
                        f"含有身份证号码“{_mask(match.group(1))}”；公开稿件不能出现身份证号，请删除",
                    )
                )
        for match in _MOBILE.finditer(line):
            number = "".join(match.groups())
            findings.append(
                Finding(
                    offset,
                    f"含有手机号码“{_mask(number)}”；公开稿件不能出现个人联系方式，请删除",
                )
            )
        for match in _BANK_CARD.finditer(line):
            digits = re.sub(r"[- ]", "", match.group(1))
            # Card numbers start with 3–6 (UnionPay 62, Visa 4, Mastercard 5); runs of years
            # such as "2016 2017 2018 2019" start with 1 or 2 and are left alone.
            if (
                16 <= len(digits) <= 19
                and digits[0] in "3456"
                and digits not in ids
                and passes_luhn(digits)
            ):
                findings.append(
                    Finding(
                        offset,
                        f"含有银行卡号“{_mask(digits)}”；公开稿件不能出现银行卡号，请删除",
                    )
                )
    return findings


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
    parser = _UnsafeHtmlFinder()
    parser.feed(text)
    parser.close()
    findings = list(parser.findings)

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
    if isinstance(data, str):
        return [
            Problem(rel_path, lines.get(path, 1), path, finding.message)
            for finding in find_personal_data(data) + find_unsafe_html(data)
        ]
    return []
