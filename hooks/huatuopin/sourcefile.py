"""Reading contributor files: UTF-8 text, front-matter and YAML with a line for every field."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .plaintext import invalid_character_lines, invalid_character_message
from .problems import Problem

# A story's Markdown is a few kilobytes; anything this large is a mistake or an attack.
MAX_TEXT_BYTES = 2 * 1024 * 1024
# Guards against YAML alias bombs ("billion laughs") in hostile front-matter.
MAX_YAML_NODES = 20_000
# PyYAML reads no field name (a "simple key") longer than this.
MAX_KEY_CHARS = 1024

FRONT_MATTER_FIELD = "front-matter"


@dataclass
class LocatedData:
    """Parsed YAML plus the line of every field, keyed like `pairs[0].before`.

    `raw` holds every unquoted scalar as it was written, by the same keys: YAML 1.1 reads
    `yes` as true and `1.50` as 1.5, and a text field wants what the contributor typed.
    `hints` warn without rejecting anything (text YAML dropped as a ` #` comment).
    """

    value: Any
    lines: dict[str, int] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    hints: list[str] = field(default_factory=list)


@dataclass
class MarkdownSource:
    """A Markdown file split into its front-matter and its body."""

    path: str  # relative to the project root
    front_matter: LocatedData
    opening_line: int  # the line of the opening `---`
    body: str
    body_first_line: int


class SourceError(Exception):
    """Raised when a file cannot be read at all; carries the problems that say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def read_text(abs_path: Path, rel_path: str) -> str:
    """The file's text; non-UTF-8, oversized or unreadable files raise SourceError."""
    try:
        size = abs_path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise SourceError(
                [
                    Problem(
                        rel_path,
                        1,
                        "文件",
                        f"文件有 {size // 1024} KB，超过文字稿上限 {MAX_TEXT_BYTES // 1024} KB；"
                        "请检查是否误存了图片或其他内容",
                    )
                ]
            )
        raw = abs_path.read_bytes()
    except OSError as error:
        raise SourceError(
            [Problem(rel_path, 1, "文件", f"无法读取文件（{error.strerror}）；请检查文件权限")]
        ) from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # `error.object` is what the decoder saw: without the BOM when there is one.
        line = error.object[: error.start].count(b"\n") + 1
        raise SourceError(
            [
                Problem(
                    rel_path,
                    line,
                    "编码",
                    "这一行有不是 UTF-8 编码的字符；请用 UTF-8 编码另存这个文件"
                    "（记事本“另存为”时选择 UTF-8，WPS 选择“UTF-8 无 BOM”）",
                )
            ]
        ) from error
    return text.replace("\r\n", "\n").replace("\r", "\n")


_CLOSING_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$", re.MULTILINE)


def read_markdown(abs_path: Path, rel_path: str) -> MarkdownSource:
    """A contributor's Markdown file, read and split; any problem with it raises SourceError."""
    return split_markdown(read_text(abs_path, rel_path), rel_path)


def split_markdown(text: str, rel_path: str) -> MarkdownSource:
    """Split front-matter from body and parse it; a missing fence or bad YAML raises."""
    if not text.startswith("---\n") and text.rstrip("\n") != "---":
        raise SourceError(
            [
                Problem(
                    rel_path,
                    1,
                    FRONT_MATTER_FIELD,
                    "文件开头缺少 front-matter；第一行要写 ---，接着写 title、date 等字段，"
                    "再用一行 --- 结束",
                )
            ]
        )
    closing = _CLOSING_FENCE.search(text, 4)
    if closing is None:
        raise SourceError(
            [
                Problem(
                    rel_path,
                    1,
                    FRONT_MATTER_FIELD,
                    "front-matter 没有结束；在字段之后、正文之前加一行 ---",
                )
            ]
        )
    yaml_text = text[4 : closing.start()]
    data = parse_yaml(yaml_text, rel_path, first_line=2)
    if data.value is None:
        data.value = {}
    if not isinstance(data.value, dict):
        raise SourceError(
            [
                Problem(
                    rel_path,
                    2,
                    FRONT_MATTER_FIELD,
                    "front-matter 应由“字段: 值”组成；请按示例逐行填写",
                )
            ]
        )
    body_start = closing.end() + 1
    body_first_line = text.count("\n", 0, body_start) + 1
    return MarkdownSource(
        path=rel_path,
        front_matter=data,
        opening_line=1,
        body=text[body_start:],
        body_first_line=body_first_line,
    )


# `title：x` (a Chinese full-width colon) is not a field to YAML: it either breaks the parse a
# line later or is silently glued onto the previous field's value.
_FULL_WIDTH_COLON_KEY = re.compile(r"^[ \t]*(?:-[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*：")


def parse_yaml(text: str, rel_path: str, first_line: int = 1) -> LocatedData:
    """Parse YAML keeping each field's line and each unquoted value as written.

    Syntax errors, characters that cannot be published, YAML features a contributor never
    needs (tags, merge keys, keys that are lists) and duplicate keys raise SourceError, every
    one of them at its line, in Chinese.
    """
    found = [
        Problem(
            rel_path,
            first_line + offset,
            "YAML",
            f"“{match.group(1)}”后面用了中文冒号“：”；字段名后面要用英文冒号加一个空格，"
            f"例如 {match.group(1)}: ",
        )
        for offset, line_text in enumerate(text.split("\n"))
        if (match := _FULL_WIDTH_COLON_KEY.match(line_text))
    ]
    found += [
        Problem(rel_path, first_line + offset, "YAML", message)
        for offset, message in invalid_character_lines(text, yaml=True)
    ]
    if found:
        raise SourceError(found)
    located = _parse_with_libyaml(text, rel_path, first_line)
    if located is not None:
        return located
    try:
        loader = _Composer(text)
    except yaml.reader.ReaderError as error:  # a character the check above let through
        line = first_line + text.count("\n", 0, max(error.position, 0))
        raise SourceError(
            [Problem(rel_path, line, "YAML", f"这一行有 YAML 无法读取的字符；{_RETYPE}")]
        ) from error
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = _error_mark(error)
            offset = mark.line if mark else 0
            message = _syntax_message(error)
            length = len(text.split("\n")[offset]) if mark else 0
            if length > MAX_KEY_CHARS:
                # PyYAML gives up on a field name longer than this with a misleading complaint.
                message = (
                    f"格式错误（这一行太长，有 {length} 个字符）；冒号前的字段名要简短，"
                    "很长的文字请写在冒号后面，或用 | 分成多行"
                )
            raise SourceError([Problem(rel_path, first_line + offset, "YAML", message)]) from error
        except yaml.YAMLError as error:
            raise SourceError(
                [Problem(rel_path, first_line, "YAML", f"格式错误；{_GENERAL_ADVICE}")]
            ) from error
        if node is None:
            return LocatedData(None)
        builder = _LocatedBuilder(loader.written_tags, text, rel_path, first_line)
        value = builder.build(node, "")
        if builder.problems:
            raise SourceError(builder.problems)
        return LocatedData(value, builder.lines, builder.raw, builder.hints)
    except RecursionError as error:
        # PyYAML composes nested lists and mappings recursively: `[[[[…` thousands deep.
        line = first_line + loader.get_mark().line
        raise SourceError(
            [Problem(rel_path, line, "YAML", "括号或缩进嵌套的层数过多；请按示例简单填写")]
        ) from error
    finally:
        loader.dispose()


# Where libyaml and PyYAML part ways: `!` starts a tag; libyaml skips byte-order marks and
# accepts tabs, `|#`, and `` ` ``, `@` or `?` inside a plain value where PyYAML refuses them
# (found by tests/unit/test_yaml_reader_speed.py, which reads fuzzed text both ways).
_PURE_READER_ONLY = re.compile(r"[!\t`@?\ufeff]|[|>][-+0-9]*#")


def _parse_with_libyaml(text: str, rel_path: str, first_line: int) -> LocatedData | None:
    """The common case ten times faster: libyaml composes the nodes (with the same marks),
    the same builder reads them. None when the pure reader must decide: libyaml is missing,
    a `!` may start a tag (libyaml's composer cannot say which tags were written), or the
    text is anything but well-formed (the pure reader's messages and lines are the ones
    contributors get, and libyaml words and places its errors differently)."""
    if not yaml.__with_libyaml__ or _PURE_READER_ONLY.search(text):
        return None
    try:
        node = yaml.compose(text, Loader=yaml.CSafeLoader)
        if node is None:
            return None
        builder = _LocatedBuilder({}, text, rel_path, first_line)
        value = builder.build(node, "")
    except (yaml.YAMLError, RecursionError):
        return None
    if builder.problems:
        raise SourceError(builder.problems)
    return LocatedData(value, builder.lines, builder.raw, builder.hints)


_RETYPE = "请删去这些字符，或重新输入这一行"
_GENERAL_ADVICE = "检查这一行的缩进、冒号后的空格、引号是否成对"
_QUOTE_IT = "请给整个值加上引号"

# What PyYAML says (a phrase of its problem or context) → why, in words a contributor knows,
# and what to do. The first match wins, so specific phrases come before general ones.
_SYNTAX_MESSAGES: tuple[tuple[str, str, str], ...] = (
    ("found character '\\t'", "不能用 Tab 缩进", "请改用空格"),
    ("found a tab character", "不能用 Tab 缩进", "请改用空格"),
    (
        "cannot start any token",
        "值不能以 @ 或 ` 这样的符号开头",
        _QUOTE_IT,
    ),
    (
        "mapping values are not allowed",
        "这里不能出现冒号",
        '值里有“冒号加空格”时请给整个值加引号，例如 summary: "注意: 这样写"',
    ),
    ("unexpected ':'", "这里不能出现冒号", "值里有冒号时请给整个值加引号"),
    ("mapping keys are not allowed", "这里不能出现问号开头的写法", _QUOTE_IT),
    ("could not find expected ':'", "缺少冒号", "每个字段写成“字段名: 值”，冒号后面加一个空格"),
    ("found unexpected end of stream", "引号或括号没有闭合", "请补上另一半引号"),
    ("unexpected document separator", "引号没有闭合", "请补上另一半引号"),
    (
        "escape",
        "双引号里的反斜杠 \\ 被当作了转义符",
        "值里有 \\（例如 Windows 路径）时请改用单引号 '…'，或把 \\ 换成 /",
    ),
    (
        "while scanning an anchor",
        "& 开头在 YAML 里表示锚点",
        "值以 & 开头时" + _QUOTE_IT,
    ),
    (
        "while scanning an alias",
        "* 开头在 YAML 里表示引用",
        "值以 * 开头时" + _QUOTE_IT,
    ),
    ("found undefined alias", "使用了未定义的别名（* 开头的值）", "值以 * 开头时" + _QUOTE_IT),
    ("duplicate anchor", "同一个锚点（& 开头的名字）定义了两次", "请删去 & 和 *，直接写出值"),
    ("tag", "! 开头在 YAML 里表示标签", "值以 ! 开头时" + _QUOTE_IT),
    ("expected URI", "! 开头在 YAML 里表示标签", "值以 ! 开头时" + _QUOTE_IT),
    (
        "block scalar",
        "| 和 > 开头在 YAML 里表示多行文字",
        "多行文字要在 | 之后换行再写；值本身以 | 或 > 开头时" + _QUOTE_IT,
    ),
    ("directive", "% 开头的行在 YAML 里有特殊含义", "请删去这一行，或给值加上引号"),
    ("YAML document", "% 开头的行在 YAML 里有特殊含义", "请删去这一行"),
    (
        "single document",
        "这一行的 --- 把文件分成了两份",
        "一个文件只能有一份内容；请删去这一行，把内容合在一起",
    ),
    ("<document start>", "文件在 ... 或 --- 之后还有内容", "请删去多余的 ... 或 --- 行"),
    ("expected ',' or ']'", "方括号 [ ] 没有闭合", "列表写成 [甲, 乙]，各项用英文逗号分开"),
    ("expected ',' or '}'", "花括号 { } 没有闭合", "请补上 }，或改成每个字段一行"),
    ("'-' indicator", "列表项缩进不一致", "同一个列表的各项“- ”要上下对齐"),
    ("did not find expected key", "缩进不一致", "同一层的字段要上下对齐，用空格缩进"),
    ("expected <block end>", "缩进不一致", "同一层的字段要上下对齐，用空格缩进"),
    ("node content", "这里缺少值，或值以 ] } , 这样的符号开头", _QUOTE_IT),
)


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    """PyYAML's complaint in Chinese, with what to change; never its English."""
    said = f"{error.context or ''} | {error.problem or ''}"
    for phrase, reason, advice in _SYNTAX_MESSAGES:
        if phrase in said:
            return f"格式错误（{reason}）；{advice}"
    return f"格式错误（这一行的写法无法识别）；{_GENERAL_ADVICE}"


def _error_mark(error: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """The line to fix: where an unclosed quote, bracket or keyless line starts (the context),
    not where the parser ran out of input or stumbled a line later (the problem)."""
    context = error.context or ""
    if error.context_mark is not None and (
        isinstance(error, yaml.scanner.ScannerError) or "flow" in context
    ):
        return error.context_mark
    return error.problem_mark or error.context_mark


class _Composer(yaml.SafeLoader):
    """PyYAML's safe composer, noting the nodes that carry a tag written in the source."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.written_tags: dict[int, str] = {}

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        tag = None if isinstance(event, yaml.AliasEvent) else getattr(event, "tag", None)
        node = super().compose_node(parent, index)
        if tag is not None and tag not in _HARMLESS_TAGS:
            self.written_tags[id(node)] = tag
        return node


_YAML_TAG = "tag:yaml.org,2002:"
# `!!str` and the non-specific `!` only say "this is text".
_HARMLESS_TAGS = {"!", f"{_YAML_TAG}str"}
_NULL, _BOOL, _INT, _FLOAT, _TIMESTAMP, _MERGE = (
    f"{_YAML_TAG}{name}" for name in ("null", "bool", "int", "float", "timestamp", "merge")
)
# The numbers and dates that mean what they look like. YAML 1.1 also reads `010` as 8,
# `0x1F` as 31, `1_000` as 1000, `12:30` as 750, `.inf`, and `2021-03-12 10:00` as a
# moment: those stay the text that was written, for the field's reader to accept as text or
# refuse as a number. The digit limits keep Python's int/str conversion limit out of reach.
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,17})")
_PLAIN_FLOAT = re.compile(r"[-+]?[0-9]{1,18}\.[0-9]{0,18}")
_PLAIN_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# Text after a plain value that YAML reads as a comment: `summary: 第 #1 户`.
_TRAILING_COMMENT = re.compile(r"[ \t]+#(.*)$")
_LIST_SEPARATORS = {"，": "中文逗号“，”", "、": "顿号“、”"}


class _LocatedBuilder:
    """Turns a composed YAML node tree into Python values, noting each field's line and
    the source text of each unquoted scalar."""

    def __init__(
        self, written_tags: dict[int, str], text: str, rel_path: str, first_line: int
    ) -> None:
        self.written_tags = written_tags
        self.text_lines = text.split("\n")
        self.rel_path = rel_path
        self.first_line = first_line
        self.lines: dict[str, int] = {}
        self.raw: dict[str, str] = {}
        self.hints: list[str] = []
        self.problems: list[Problem] = []
        self.nodes_seen = 0
        self._open: set[int] = set()  # lists and mappings being built: an alias to one is a loop

    def line_of(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def report(self, node: yaml.Node, path: str, message: str) -> None:
        self.problems.append(Problem(self.rel_path, self.line_of(node), path or "YAML", message))

    def build(self, node: yaml.Node, path: str) -> Any:
        self.nodes_seen += 1
        if self.nodes_seen > MAX_YAML_NODES:
            raise SourceError(
                [
                    Problem(
                        self.rel_path,
                        self.line_of(node),
                        "YAML",
                        "内容过于庞大或嵌套了过多别名；请按示例简单填写",
                    )
                ]
            )
        if not self._tag_allowed(node, path):
            return None
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            if id(node) in self._open:
                raise SourceError(
                    [
                        Problem(
                            self.rel_path,
                            self.line_of(node),
                            path or "YAML",
                            "别名（*）指向了包含它自己的内容；请去掉 & 和 *，直接写出值",
                        )
                    ]
                )
            self._open.add(id(node))
            try:
                if isinstance(node, yaml.MappingNode):
                    return self._build_mapping(node, path)
                return self._build_sequence(node, path)
            finally:
                self._open.discard(id(node))
        self._note_cut_comment(node, path)
        return self._scalar(node, path)

    def _tag_allowed(self, node: yaml.Node, path: str) -> bool:
        tag = self.written_tags.get(id(node))
        if tag is None:
            return True
        shown = "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag
        self.report(
            node,
            path,
            f"用了 YAML 标签“{shown}”；这里不需要也不接受 ! 开头的标签，请删去它，直接写出值"
            "（值本身以 ! 开头时请给整个值加上引号）",
        )
        return False

    def _build_sequence(self, node: yaml.SequenceNode, path: str) -> list[Any]:
        items = []
        for index, item in enumerate(node.value):
            item_path = f"{path}[{index}]"
            self.lines.setdefault(item_path, self.line_of(item))
            if node.flow_style and isinstance(item, yaml.ScalarNode) and not item.style:
                self._check_list_separator(item, item_path)
            items.append(self.build(item, item_path))
        return items

    def _check_list_separator(self, item: yaml.ScalarNode, path: str) -> None:
        """`[大棚，蜜瓜]` is one item to YAML: only an ASCII comma separates items."""
        for separator, name in _LIST_SEPARATORS.items():
            if separator in item.value:
                fixed = ", ".join(part.strip() for part in item.value.split(separator))
                self.report(
                    item,
                    path,
                    f"“{item.value}”里用了{name}；方括号 [ ] 里的各项要用英文逗号 , 分开，"
                    f"例如 [{fixed}]",
                )
                return

    def _note_cut_comment(self, node: yaml.Node, path: str) -> None:
        """A hint when YAML dropped the rest of the line after ` #` as a comment."""
        if not isinstance(node, yaml.ScalarNode) or node.style:
            return
        end = node.end_mark
        if not 0 <= end.line < len(self.text_lines):
            return
        line_text = self.text_lines[end.line]
        match = _TRAILING_COMMENT.match(line_text, end.column)
        if match is None:
            return
        line = self.first_line + end.line
        if node.value:
            single_line = node.start_mark.line == end.line
            whole = line_text[node.start_mark.column :].rstrip() if single_line else ""
            example = f"，写成 {_double_quoted(whole)}" if whole else ""
            message = (
                f"# 和它后面的文字被当作注释，没有算进值里（读到的只有“{node.value}”）；"
                f"如果 # 是内容的一部分，请给整个值加上引号{example}"
            )
        else:
            whole = _double_quoted(match.group(0).strip())
            message = (
                "冒号后面只有 # 开头的注释，这一项是空的；"
                f"如果 # 是内容的一部分，请给整个值加上引号，写成 {whole}"
            )
        self.hints.append(f"{self.rel_path}:{line}: {path or 'YAML'}: {message}")

    def _scalar(self, node: yaml.Node, path: str) -> Any:
        """The value of a scalar as it was written: see _PLAIN_INT for what stays text."""
        text = node.value
        problem = invalid_character_message(text)
        if problem is not None:
            self.report(node, path, problem)
            return None
        if node.style:  # quoted or a | > block: always text (plain: None, or libyaml's "")
            return text
        if path:
            self.raw[path] = text
        tag = node.tag
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return yaml.constructor.SafeConstructor.bool_values[text.lower()]
        if tag == _INT and _PLAIN_INT.fullmatch(text):
            return int(text)
        if tag == _FLOAT and _PLAIN_FLOAT.fullmatch(text):
            return float(text)
        if tag == _TIMESTAMP and (match := _PLAIN_DATE.fullmatch(text)):
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                return text  # 2021-02-30: the date reader says the day does not exist
        return text

    def _build_mapping(self, node: yaml.MappingNode, path: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.report(
                    key_node,
                    path,
                    "字段名必须是文字（这里的字段名是列表或映射，例如 ? [a] 这种写法）；"
                    "请写成“字段名: 值”",
                )
                continue
            if key_node.tag == _MERGE and not key_node.style:
                self.report(
                    key_node,
                    path,
                    "不支持 <<（合并键）；请把需要的字段逐个直接写在这里",
                )
                continue
            if not self._tag_allowed(key_node, path):
                continue
            key = key_node.value  # field names are text, even `2020` or `yes`
            problem = invalid_character_message(key)
            if problem is not None:
                self.report(key_node, path, f"字段名{problem}")
                continue
            key_path = f"{path}.{key}" if path else key
            if key in result:
                self.report(
                    key_node,
                    key_path,
                    f"字段重复（第 {self.lines[key_path]} 行已经写过）；请只保留一个",
                )
                continue
            self.lines[key_path] = self.line_of(key_node)
            result[key] = self.build(value_node, key_path)
        return result


def _double_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
