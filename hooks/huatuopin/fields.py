"""Typed reading of front-matter fields, each mistake recorded as a Problem at its line."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .plaintext import markup_message
from .problems import Problem
from .sourcefile import MarkdownSource

# How long a quoted value may be in a message before it is cut short.
MAX_QUOTED_CHARS = 30
# What YAML 1.1 reads as a number although it is not a plain one: `0x1F`, `010`, `1_000`,
# `1:30`, `.inf`, `.nan`, `1.0e+5`, and plain digits too long to be a real count. The YAML
# reader leaves these as the text that was written (sourcefile._PLAIN_INT).
_YAML_NUMBER_FORM = re.compile(
    r"[-+]?(?:0[xXbB][0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?"
    r"(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))"
)
# A number as the YAML reader would read it, had it not been quoted (sourcefile._PLAIN_INT).
_QUOTED_PLAIN_NUMBER = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,18})?")
_DATE_TEXT = re.compile(r"\s*([0-9]{4})-([0-9]{2})-([0-9]{2})\s*")
_DATE_AND_TIME = re.compile(r"\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|\s+)[0-9]{1,2}:[0-9]{2}")
DATE_EXAMPLE = "请写成 YYYY-MM-DD 的形式，例如 2021-03-12"


def shorten(text: str, limit: int = MAX_QUOTED_CHARS) -> str:
    """`text`, cut to `limit` characters with an ellipsis, for quoting in a message."""
    return text if len(text) <= limit else text[:limit] + "…"


def describe_type(value: Any) -> str:
    """How a contributor would name the kind of value they wrote."""
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "是/否（true/false）"
    if isinstance(value, int | float):
        return f"数字 {value}"
    if isinstance(value, dt.datetime | dt.date):
        return f"日期 {value}"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "“字段: 值”的映射"
    return f"“{shorten(str(value))}”"


def not_a_number_message(value: Any, noun: str, example: str) -> str:
    """Why `value` is not the plain number a field wants; `0x1F`, `010` … say what YAML does."""
    if isinstance(value, str) and _QUOTED_PLAIN_NUMBER.fullmatch(value.strip()):
        return f"“{value.strip()}”加了引号，成了文字；数字请不加引号直接写，例如 {example}"
    if isinstance(value, str) and _YAML_NUMBER_FORM.fullmatch(value.strip()):
        return (
            f"“{shorten(value.strip())}”不是普通写法的{noun}（0 开头、0x、下划线、冒号、"
            ".inf 这样的写法会被读成别的数，数字也不能太长）；"
            f"请只写普通的十进制数字，例如 {example}"
        )
    return f"应该是{noun}，现在是{describe_type(value)}；请只写数字，例如 {example}"


def closest(word: str, options: Iterable[str], cutoff: float = 0.6) -> str | None:
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=cutoff)
    return matches[0] if matches else None


def join_options(options: Iterable[str]) -> str:
    return "、".join(options)


class FieldReader:
    """Reads the fields of one mapping (the front-matter, or one item of a list in it).

    Every accessor returns the typed value, or None after recording a problem, so a caller
    can read all fields and collect all problems in one pass.
    """

    def __init__(
        self,
        path: str,
        data: Mapping[Any, Any],
        lines: Mapping[str, int],
        fallback_line: int,
        problems: list[Problem],
        prefix: str = "",
        *,
        raw: Mapping[str, str] | None = None,
        label: str = "",
    ) -> None:
        """`raw`: unquoted values as written, keyed like `lines` (LocatedData.raw).
        `label`: starts every message, e.g. “第 5 场宣讲：” where a field path says `[4]`."""
        self.path = path
        self.data = data
        self.lines = lines
        self.fallback_line = fallback_line
        self.problems = problems
        self.prefix = prefix
        self.raw = raw or {}
        self.label = label

    @classmethod
    def for_front_matter(cls, source: MarkdownSource, problems: list[Problem]) -> FieldReader:
        """A reader of a Markdown file's front-matter; missing fields point at its `---`."""
        front = source.front_matter
        return cls(
            source.path, front.value, front.lines, source.opening_line, problems, raw=front.raw
        )

    # -- places and reporting -------------------------------------------------------------

    def name_of(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def line(self, key: str) -> int:
        return self.lines.get(self.name_of(key), self.fallback_line)

    def report(self, key: str, message: str, line: int | None = None) -> None:
        self.problems.append(
            Problem(self.path, line or self.line(key), self.name_of(key), self.label + message)
        )

    def written(self, key: str) -> Any:
        """The field's value, or for an unquoted scalar the text exactly as written:
        `yes`, `1.50` and `2021-03-12` rather than True, 1.5 and a date."""
        value = self.data.get(key)
        if isinstance(value, int | float | dt.date) and not isinstance(value, dt.datetime):
            return self.raw.get(self.name_of(key), value)
        return value

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def _missing(self, key: str, required: bool) -> bool:
        """True when the field is absent or empty; a required one is then reported."""
        value = self.data.get(key)
        if isinstance(value, str):
            value = value.strip()  # a title of only spaces is as empty as no title
        if value is None or (isinstance(value, str | list | dict) and not value):
            if required:
                if key in self.data:
                    self.report(key, "不能为空；请填写这一项")
                else:
                    self.report(key, "缺少必填字段；请补上这一项")
            return True
        return False

    # -- scalar fields --------------------------------------------------------------------

    def text(self, key: str, *, required: bool = True, max_chars: int | None = None) -> str | None:
        if self._missing(key, required):
            return None
        value = self._as_text(self.written(key))
        if not isinstance(value, str):
            self.report(key, f"应该是一段文字，现在是{describe_type(value)}；请改成文字")
            return None
        value = value.strip()
        markup = markup_message(value)
        if markup is not None:
            self.report(key, markup)
            return None
        if max_chars is not None and len(value) > max_chars:
            extra = len(value) - max_chars
            self.report(key, f"有 {len(value)} 个字，最多 {max_chars} 个字；请精简 {extra} 个字")
            return None
        return value

    @staticmethod
    def _as_text(value: Any) -> Any:
        """A number is text too where text is wanted: a village may be called 123."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return value

    def choice(
        self, key: str, options: Iterable[str], noun: str, *, required: bool = True
    ) -> str | None:
        options = list(options)
        value = self.text(key, required=required)
        if value is None:
            return None
        if value not in options:
            hint = closest(value, options, cutoff=0.3)
            guess = f"是不是想写“{hint}”？" if hint else ""
            self.report(key, f"“{value}”不是{noun}；{guess}可选：{join_options(options)}")
            return None
        return value

    def date(self, key: str, *, required: bool = True) -> dt.date | None:
        if self._missing(key, required):
            return None
        value = self.data[key]
        if isinstance(value, str):
            value = self._date_from_text(key, value)
            if value is None:
                return None
        if isinstance(value, dt.datetime) or (
            isinstance(value, str) and _DATE_AND_TIME.match(value)
        ):
            self.report(
                key,
                f"“{value}”带了时间或时区；这里只写日期，不写时间，{DATE_EXAMPLE}",
            )
            return None
        if not isinstance(value, dt.date):
            self.report(key, f"{describe_type(value)}不是日期；{DATE_EXAMPLE}")
            return None
        return value

    def _date_from_text(self, key: str, text: str) -> Any:
        """A date written as text (quoted, or a day YAML did not read): the date, the text
        when it is no date at all, or None after reporting a day that does not exist."""
        match = _DATE_TEXT.fullmatch(text)
        if match is None:
            return text
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            self.report(
                key,
                f"{text.strip()} 这一天不存在；日期要写真实存在的日子，例如 2021-03-12",
            )
            return None

    def date_within(self, key: str, start: dt.date, end: dt.date) -> dt.date | None:
        value = self.date(key)
        if value is not None and not start <= value <= end:
            self.report(
                key,
                f"{value} 不在活动时间内（{start} 至 {end}）；请核对日期",
            )
            return None
        return value

    def flag(self, key: str) -> bool | None:
        """An optional true/false field; absent means None."""
        if key not in self.data or self.data[key] is None:
            return None
        value = self.data[key]
        if not isinstance(value, bool):
            self.report(key, f"只能写 true 或 false，现在是{describe_type(value)}")
            return None
        return value

    def integer(
        self,
        key: str,
        *,
        required: bool = True,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        if self._missing(key, required):
            return None
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            example = str(minimum if minimum is not None and minimum > 1 else 766)
            self.report(key, not_a_number_message(value, "整数", example))
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            low = "" if minimum is None else str(minimum)
            high = "" if maximum is None else str(maximum)
            self.report(key, f"{value} 超出合理范围（{low}～{high}）；请核对")
            return None
        return value

    # -- lists ----------------------------------------------------------------------------

    def _list(self, key: str, required: bool) -> list[Any] | None:
        if self._missing(key, required):
            return None
        value = self.data[key]
        if not isinstance(value, list):
            self.report(
                key,
                f"应该是列表，现在是{describe_type(value)}；列表每项另起一行，以“- ”开头",
            )
            return None
        return value

    def text_list(self, key: str, *, required: bool = False) -> list[str]:
        values = self._list(key, required) or []
        result = []
        for index, item in enumerate(values):
            item_key = f"{key}[{index}]"
            if isinstance(item, int | float | dt.date) and not isinstance(item, dt.datetime):
                item = self.raw.get(self.name_of(item_key), item)
            item = self._as_text(item)
            if not isinstance(item, str) or not item.strip():
                self.report(item_key, f"应该是一段文字，现在是{describe_type(item)}")
                continue
            markup = markup_message(item)
            if markup is not None:
                self.report(item_key, markup)
                continue
            result.append(item.strip())
        return result

    def mapping_list(self, key: str, *, required: bool = False) -> list[FieldReader]:
        values = self._list(key, required) or []
        readers = []
        for index, item in enumerate(values):
            item_key = f"{key}[{index}]"
            if not isinstance(item, dict):
                self.report(
                    item_key,
                    f"每一项应该是“字段: 值”的组合，现在是{describe_type(item)}；请按示例填写",
                )
                continue
            readers.append(
                FieldReader(
                    self.path,
                    item,
                    self.lines,
                    self.line(item_key),
                    self.problems,
                    prefix=self.name_of(item_key),
                    raw=self.raw,
                    label=self.label,
                )
            )
        return readers

    def mapping(self, key: str, *, required: bool = False) -> FieldReader | None:
        """A reader of the mapping under `key` (`withdrawn:`), its fields named `key.field`."""
        if self._missing(key, required):
            return None
        value = self.data[key]
        if not isinstance(value, dict):
            self.report(
                key,
                f"应该是“字段: 值”的组合，现在是{describe_type(value)}；"
                "请在下面几行缩进两格，逐项写出，按示例填写",
            )
            return None
        return FieldReader(
            self.path,
            value,
            self.lines,
            self.line(key),
            self.problems,
            prefix=self.name_of(key),
            raw=self.raw,
            label=self.label,
        )

    # -- the whole mapping ----------------------------------------------------------------

    def reject_unknown(self, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for key in self.data:
            if key in allowed:
                continue
            name = str(key)
            hint = closest(name, allowed)
            advice = f"是不是想写 {hint}？" if hint else f"可用的字段：{join_options(allowed)}"
            self.report(name, f"不认识这个字段；{advice}")
