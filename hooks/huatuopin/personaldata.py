"""Personal numbers in any written form: resident ID numbers, mobile numbers, bank cards.

People write numbers in groups, with full-width digits, dots, dashes, brackets and country
codes, and split them over two lines. The text is folded first as a reader sees it (NFKC, so
`１３８` is `138`; invisible characters dropped; `&#49;` is 1), then cut into *chains*: digit
groups joined by short runs of separators. A number is a run of whole groups inside a chain,
never a piece cut out of a longer run of digits, and must pass the rules of its kind:

- ID number: 17 digits and a digit or X, a province code, a real birth date that is not in
  the future, and the GB 11643 check digit, grouped as people group one (410102 19850312 009X);
- mobile number: 11 digits with a real prefix (13x, 15x …), optionally after 86 or 0086,
  grouped as people group one (138 1234 5678, 138 12345678 …);
- bank card: 16–19 digits that pass Luhn, any issuer, in one run or grouped as cards are
  printed (6217 0012 3456 7890 123).

Ordinary long numbers stay quiet: dates are grouped as no ID number, card or mobile is;
two years in a number, or a year among a row of numbers, make it a list, not a number;
landlines start with 0; office numbers are public and not looked for.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .problems import Problem


@dataclass(frozen=True)
class Finding:
    line_offset: int  # 0 for the first line of the scanned text
    message: str


# -- folding ----------------------------------------------------------------------------------

# `&#49;&#51;&#56;` shows as 138 once a Markdown body is rendered.
_CHARACTER_REFERENCE = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)


# Everything but ASCII and the common CJK ideographs, which need no folding.
_TO_FOLD = re.compile(r"[^\x00-\x7f\u4e00-\u9fff]")


def _fold_char(match: re.Match[str]) -> str:
    char = match.group(0)
    # Zero-width spaces, joiners, BOM, soft hyphen, direction marks: invisible, so a reader
    # sees the digits on either side as one number.
    if unicodedata.category(char) == "Cf":
        return ""
    digit = unicodedata.decimal(char, None)  # digits of other scripts, which NFKC keeps
    return str(digit) if digit is not None else unicodedata.normalize("NFKC", char)


def _show_reference(match: re.Match[str]) -> str:
    # What the reference stands for, on its own line: a newline in it shows as a space.
    return html.unescape(match.group(0)).replace("\n", " ")


def _fold(text: str) -> str:
    """The text as a reader sees it, NFKC, without invisible characters.

    Newlines are kept one for one, so a position's line is the newlines before it.
    """
    return _TO_FOLD.sub(_fold_char, _CHARACTER_REFERENCE.sub(_show_reference, text))


# What may stand between the digit groups of one number once folded (NFKC has already made
# U+3000, NBSP and U+202F plain spaces, and full-width ．－／（ ASCII).
_SEPARATOR_CHARS = (
    " \t\r"
    ".·•‧∙⋅・。"  # dots
    "\\-‐‑‒–—―−_"  # hyphens, dashes, minus, underscore (file names)
    "/"
    "()\\[\\]【】〔〕〖〗"
)
_SEPARATOR = f"[{_SEPARATOR_CHARS}]"
# A short run of separators, and a line break inside a paragraph (never a blank line, and
# never a list marker after it: that starts a new item, not the rest of a number).
_AFTER_BREAK = rf"\n[ \t]{{0,8}}(?:(?![-*+][ \t]){_SEPARATOR}{{1,4}})?"
_JOIN = rf"(?:{_SEPARATOR}{{1,4}}(?:{_AFTER_BREAK})?|{_AFTER_BREAK})"
_GROUP = r"[0-9]+(?:[Xx](?![0-9A-Za-z]))?"
_CHAIN = re.compile(rf"{_GROUP}(?:{_JOIN}{_GROUP})*")
_GROUP_IN_CHAIN = re.compile(_GROUP)


@dataclass(frozen=True)
class _Group:
    text: str  # digits, possibly ending in X
    start: int  # index in the folded text
    wrapped: bool = False  # joined to the group before by a line break and nothing else

    @property
    def digits(self) -> bool:
        return self.text.isdigit()

    def looks_like_year(self) -> bool:
        return len(self.text) == 4 and self.text.isdigit() and 1900 <= int(self.text) <= 2099


# -- the rules of each kind -------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Province-level codes of GB/T 2260 (83: residence permits of Taiwan residents).
_PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64"}
    | {"65", "71", "81", "82", "83"}
)
_MOBILE = re.compile(r"1(?:3[0-9]|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8[0-9]|9[0-9])[0-9]{8}")
# How people group the 18 characters of an ID number (410102 19850312 009X …): never with
# the birth date cut into year, month and day, as dates are written.
_IDENTITY_SHAPES = frozenset(
    {(18,), (6, 8, 4), (6, 12), (6, 4, 4, 4), (4, 4, 4, 4, 2), (3, 3, 4, 4, 4), (6, 8, 3, 1)}
)
# How people group the 11 digits of a mobile number.
_MOBILE_SHAPES = frozenset({(11,), (3, 4, 4), (3, 8), (7, 4), (4, 4, 3), (4, 7)})
_COUNTRY_CODES = ("0086", "86")
_MAX_DIGITS = 19 + len("0086")  # the longest number any rule looks at, prefix included


def _region_is_plausible(number: str) -> bool:
    # Foreigners' permanent residence cards (2023) put a 9 before the province code.
    return number[:2] in _PROVINCES or (number[0] == "9" and number[1:3] in _PROVINCES)


def is_identity_card(number: str, today: dt.date | None = None) -> bool:
    """An 18-character resident ID: province code, real past birth date, GB 11643 check digit."""
    if not re.fullmatch(r"[0-9]{17}[0-9Xx]", number) or not _region_is_plausible(number):
        return False
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if birth.year < 1900 or birth > (today or dt.date.today()):
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


def _is_card_shape(sizes: list[int]) -> bool:
    """One run, groups of four with a shorter tail (6217 0012 3456 7890 123), or 4/6 + rest."""
    if len(sizes) == 1:
        return True
    if len(sizes) >= 4 and all(size == 4 for size in sizes[:-1]) and 1 <= sizes[-1] <= 4:
        return True
    return len(sizes) == 2 and sizes[0] in (4, 6) and sizes[1] >= 10


def _layouts(groups: list[_Group], sizes: list[int]) -> list[tuple[int, ...]]:
    """The group sizes as written, and as read when a line break inside a number (wrapped
    anywhere, not only between groups) joins the digits on either side."""
    written = tuple(sizes)
    if not any(group.wrapped for group in groups[1:]):
        return [written]
    joined = [sizes[0]]
    for group, size in zip(groups[1:], sizes[1:], strict=True):
        if group.wrapped:
            joined[-1] += size
        else:
            joined.append(size)
    return [written, tuple(joined)]


def _too_many_years(groups: list[_Group], in_a_list: bool) -> bool:
    """`2016 2017 2018 2019`, `2016-2021`: years in a row are never one personal number, and
    a year among other numbers in a row (`172.2024.3231`) is a list, not a phone number."""
    if len(groups) < 2:
        return False
    years = sum(group.looks_like_year() for group in groups)
    return years >= 2 or (years == 1 and in_a_list)


def _identity_number(groups: list[_Group]) -> str | None:
    number = "".join(group.text for group in groups)
    if any(not group.digits for group in groups[:-1]) or len(number) != 18:
        return None
    layouts = _layouts(groups, [len(group.text) for group in groups])
    if not any(layout in _IDENTITY_SHAPES for layout in layouts):
        return None
    return number if is_identity_card(number) else None


def _card_number(groups: list[_Group], before: _Group | None, after: _Group | None) -> str | None:
    if not all(group.digits for group in groups):
        return None
    number = "".join(group.text for group in groups)
    sizes = [len(group.text) for group in groups]
    if (
        not 16 <= len(number) <= 19
        or not any(_is_card_shape(list(layout)) for layout in _layouts(groups, sizes))
        or _too_many_years(groups, in_a_list=before is not None or after is not None)
    ):
        return None
    if len(groups) > 1:
        # Four groups of a longer grouped number (a 20-digit order number) are not a card.
        if before is not None and before.digits and _is_card_shape([len(before.text), *sizes]):
            return None
        if after is not None and after.digits and _is_card_shape([*sizes, len(after.text)]):
            return None
    return number if passes_luhn(number) else None


def _mobile_number(groups: list[_Group], in_a_list: bool) -> str | None:
    if not all(group.digits for group in groups):
        return None
    texts = [group.text for group in groups]
    prefix_groups = 0
    if len(texts) > 1 and texts[0] in _COUNTRY_CODES:
        texts = texts[1:]
        prefix_groups = 1
    else:
        for code in _COUNTRY_CODES:
            if texts[0].startswith(code) and len(texts[0]) > len(code):
                stripped = texts[0][len(code) :]
                candidate = [stripped, *texts[1:]]
                if _MOBILE.fullmatch("".join(candidate)):
                    texts = candidate
                break
    number = "".join(texts)
    if not _MOBILE.fullmatch(number) or _too_many_years(groups, in_a_list):
        return None
    layouts = _layouts(groups[prefix_groups:], [len(text) for text in texts])
    return number if any(layout in _MOBILE_SHAPES for layout in layouts) else None


# -- finding ----------------------------------------------------------------------------------

_KINDS = (
    ("identity", "身份证号码", "公开稿件不能出现身份证号，请删除"),
    ("card", "银行卡号", "公开稿件不能出现银行卡号，请删除"),
    ("mobile", "手机号码", "公开稿件不能出现个人联系方式，请删除"),
)


def _mask(number: str) -> str:
    return number[:3] + "*" * max(len(number) - 7, 3) + number[-4:]


def _match(kind: str, groups: list[_Group], i: int, j: int) -> str | None:
    window = groups[i : j + 1]
    before = groups[i - 1] if i > 0 else None
    after = groups[j + 1] if j + 1 < len(groups) else None
    if kind == "identity":
        return _identity_number(window)
    if kind == "card":
        return _card_number(window, before, after)
    return _mobile_number(window, in_a_list=before is not None or after is not None)


def _numbers_in_chain(groups: list[_Group]) -> list[tuple[int, str, str]]:
    """(folded position, kind, number) of each personal number, longest match first.

    ID numbers are taken before cards (an ID number can pass Luhn) and cards before mobile
    numbers; a group belongs to one number at most.
    """
    used = [False] * len(groups)
    found = []
    for kind, _noun, _advice in _KINDS:
        i = 0
        while i < len(groups):
            ends = []
            length = 0
            for j in range(i, len(groups)):
                length += len(groups[j].text)
                if used[j] or length > _MAX_DIGITS:
                    break
                ends.append(j)
            for j in reversed(ends):
                number = _match(kind, groups, i, j)
                if number:
                    used[i : j + 1] = [True] * (j + 1 - i)
                    found.append((groups[i].start, kind, number))
                    i = j
                    break
            i += 1
    return found


def find_personal_data(text: str) -> list[Finding]:
    """Every personal number in `text`, at the line where it starts, masked in the message."""
    folded = _fold(text)
    messages = {kind: (noun, advice) for kind, noun, advice in _KINDS}
    found: list[tuple[int, str, str]] = []
    for chain in _CHAIN.finditer(folded):
        groups = []
        end = 0
        for match in _GROUP_IN_CHAIN.finditer(chain.group(0)):
            between = chain.group(0)[end : match.start()]
            wrapped = "\n" in between and not between.strip()
            groups.append(_Group(match.group(0), chain.start() + match.start(), wrapped))
            end = match.end()
        if sum(len(group.text) for group in groups) >= 11:
            found.extend(_numbers_in_chain(groups))
    findings = []
    for position, kind, number in sorted(found):
        line = folded.count("\n", 0, position)
        noun, advice = messages[kind]
        findings.append(Finding(line, f"含有{noun}“{_mask(number)}”；{advice}"))
    return findings


def text_values(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string of parsed YAML, and every whole number as written, with its field path
    (`[0].bio`, `pairs[1].caption`): escapes such as `"\\u0031"` are decoded only here."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from text_values(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from text_values(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() <= 64:
        yield path, str(value)


def front_matter_problems(data: Any, lines: dict[str, int], rel_path: str) -> list[Problem]:
    """Personal numbers in any front-matter value, each at its field's line.

    At the field's line, not an offset into the value: inside a multi-line value YAML's
    folding and block indicators would make an offset point at the wrong line of the file.
    """
    return [
        Problem(rel_path, lines.get(where, 1), where, finding.message)
        for where, value in text_values(data)
        for finding in find_personal_data(value)
    ]
