"""Text that must never be published: personal numbers and HTML that can run script."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html.parser import HTMLParser


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

_FORBIDDEN_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
_SCRIPT_SCHEME = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.IGNORECASE)
_MARKDOWN_LINK_SCRIPT = re.compile(
    r"(\]\(\s*<?|^\s*\[[^\]]+\]:\s*<?|<)\s*(javascript|vbscript):", re.IGNORECASE | re.MULTILINE
)
_ATTR_LIST_HANDLER = re.compile(r"\{:?[^}\n]*\bon[a-z]+\s*=", re.IGNORECASE)
_FENCED_CODE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]+`")


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
            self.findings.append(
                Finding(offset, f"含有 <{tag}> 标签；稿件中不能嵌入脚本或外部页面，请删除")
            )
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(
                    Finding(offset, f"含有事件属性 {name}=；稿件中不能带脚本，请删除这个属性")
                )
            elif name in _URL_ATTRIBUTES and value and _SCRIPT_SCHEME.match(value):
                self.findings.append(
                    Finding(offset, f"{name} 使用了 javascript: 之类的脚本地址；请改成普通链接")
                )

    handle_startendtag = handle_starttag


def find_unsafe_html(text: str) -> list[Finding]:
    """Raw HTML or Markdown that would run script in a reader's browser."""
    text = _FENCED_CODE.sub(_blank_out, text)
    text = _INLINE_CODE.sub(_blank_out, text)
    parser = _UnsafeHtmlFinder()
    parser.feed(text)
    parser.close()
    findings = list(parser.findings)
    for match in _MARKDOWN_LINK_SCRIPT.finditer(text):
        findings.append(
            Finding(
                text.count("\n", 0, match.start()),
                "链接使用了 javascript: 之类的脚本地址；请改成普通链接",
            )
        )
    for match in _ATTR_LIST_HANDLER.finditer(text):
        findings.append(
            Finding(
                text.count("\n", 0, match.start()),
                "属性列表 {…} 里写了事件属性（on…=）；稿件中不能带脚本，请删除",
            )
        )
    return sorted(set(findings), key=lambda f: f.line_offset)
