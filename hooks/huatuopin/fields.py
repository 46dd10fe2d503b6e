"""Typed reading of front-matter fields, each mistake recorded as a Problem at its line."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from .problems import Problem
from .sourcefile import MarkdownSource


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
    return f"“{value}”"


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
    ) -> None:
        self.path = path
        self.data = data
        self.lines = lines
        self.fallback_line = fallback_line
        self.problems = problems
        self.prefix = prefix

    @classmethod
    def for_front_matter(cls, source: MarkdownSource, problems: list[Problem]) -> FieldReader:
        """A reader of a Markdown file's front-matter; missing fields point at its `---`."""
        data = source.front_matter.value
        return cls(source.path, data, source.front_matter.lines, source.opening_line, problems)

    # -- places and reporting -------------------------------------------------------------

    def name_of(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def line(self, key: str) -> int:
        return self.lines.get(self.name_of(key), self.fallback_line)

    def report(self, key: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.path, line or self.line(key), self.name_of(key), message))

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
        value = self.data[key]
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)  # a village called 123 is still a name
        if not isinstance(value, str):
            self.report(key, f"应该是一段文字，现在是{describe_type(value)}；请改成文字")
            return None
        value = value.strip()
        if max_chars is not None and len(value) > max_chars:
            extra = len(value) - max_chars
            self.report(key, f"有 {len(value)} 个字，最多 {max_chars} 个字；请精简 {extra} 个字")
            return None
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
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            self.report(
                key,
                f"{describe_type(value)}不是日期；请写成 YYYY-MM-DD 的形式，例如 2021-03-12",
            )
            return None
        return value

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
            self.report(key, f"应该是整数，现在是{describe_type(value)}；请只写数字")
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
            if isinstance(item, int | float) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str) or not item.strip():
                self.report(
                    f"{key}[{index}]",
                    f"应该是一段文字，现在是{describe_type(item)}",
                    line=self.line(f"{key}[{index}]"),
                )
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
                )
            )
        return readers

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
