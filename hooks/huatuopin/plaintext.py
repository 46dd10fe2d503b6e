"""What contributor text may contain: valid characters only, and no markup in plain-text fields.

Feeds, calendars and the conference-app XML are only valid when every character in them is
allowed there: control characters (from copy-paste, or from YAML escapes such as "\\x01") and
lone surrogates ("\\ud800") make a file invalid or cannot be written at all. Plain-text fields
(titles, names, places, captions …) are escaped by the templates, so markup written into them
would show up as `<b>` on the page: it is refused with an explanation instead.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, lone surrogates, the two
# noncharacters XML 1.0 forbids, and the bidi embeddings, overrides and isolates (U+202A–202E,
# U+2066–2069): invisible, they make a title, a note or a name read in another order than it
# is written, and Chinese text never needs them.
_INVALID = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
_BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# PyYAML also breaks lines at these; a line count that disagrees with the editor's would put
# every later problem at the wrong line.
_YAML_LINE_BREAKS = re.compile(r"[\r\u2028\u2029]")

# What a browser reads as the start of a tag, comment, doctype or processing instruction
# (`<` then a letter, `/`, `!` or `?`), and character references (`&lt;`, `&#60;`, `&#x3c;`).
# A lone `<` (`收入<3000元`, `<<三字经>>`) is text to a browser too and stays allowed.
_TAG = re.compile(r"<[A-Za-z/!?]")
_CHARACTER_REFERENCE = re.compile(
    r"&(?:[A-Za-z][A-Za-z0-9]{1,31};|#[0-9]{1,8};?|#[xX][0-9A-Fa-f]{1,8};?)"
)
MARKUP_MESSAGE = "这里只能写文字，不能写 HTML 标记"


def character_name(char: str) -> str:
    """`U+0001（看不见的控制字符）`: the code and the kind, in words a contributor can follow."""
    code = f"U+{ord(char):04X}"
    if "\ud800" <= char <= "\udfff":
        return f"{code}（半个 Unicode 代理对）"
    if char in "\u2028\u2029":
        return f"{code}（看不见的分行符）"
    if char in "\ufffe\uffff":
        return f"{code}（无效字符）"
    if _BIDI_CONTROLS.fullmatch(char):
        return f"{code}（看不见的文字方向控制符，会让文字显示的顺序和写的不一样）"
    return f"{code}（看不见的控制字符）"


def invalid_character_message(text: str) -> str | None:
    """Why a YAML value cannot be published as it is, or None when every character is valid."""
    match = _INVALID.search(text)
    if match is None:
        return None
    return (
        f"含有不能发布的字符 {character_name(match.group(0))}，多半来自双引号里 \\x01、"
        "\\ud800 这样的反斜杠转义，或从别处复制来的文字；请删去它，或重新输入这段文字"
    )


def invalid_character_lines(text: str, *, yaml: bool = False) -> list[tuple[int, str]]:
    """(line offset, message) for each line holding a character that must not be published.

    `yaml`: the text is YAML, where carriage returns and Unicode line separators would also
    throw the line count off.
    """
    found = []
    for offset, line in enumerate(text.split("\n")):
        match = _INVALID.search(line) or (_YAML_LINE_BREAKS.search(line) if yaml else None)
        if match:
            found.append(
                (
                    offset,
                    f"这一行含有不能发布的字符 {character_name(match.group(0))}，"
                    "多半是从 Word、网页或聊天软件复制来的；请删去它，或重新输入这一行",
                )
            )
    return found


def markup_message(text: str) -> str | None:
    """Why plain text `text` may not hold what looks like HTML, or None when it holds none."""
    tag = _TAG.search(text)
    if tag is not None:
        end = text.find(">", tag.start())
        if 0 <= end - tag.start() < 20:
            snippet = text[tag.start() : end + 1]
        else:
            snippet = text[tag.start() :].split(maxsplit=1)[0][:10]
        return (
            f"{MARKUP_MESSAGE}：“{snippet}”不会变成格式，只会原样显示；请删去它"
            "（书名请用《》，要分段或加粗请写在正文里）"
        )
    reference = _CHARACTER_REFERENCE.search(text)
    if reference is not None:
        return (
            f"{MARKUP_MESSAGE}：“{reference.group(0)}”是 HTML 的字符写法，"
            "不会变成那个字符，只会原样显示；请直接写出它代表的字符（例如 < 或 &）"
        )
    return None
