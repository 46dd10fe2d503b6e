"""Reading contributor files: UTF-8 text, front-matter and YAML with a line for every field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

# A story's Markdown is a few kilobytes; anything this large is a mistake or an attack.
MAX_TEXT_BYTES = 2 * 1024 * 1024
# Guards against YAML alias bombs ("billion laughs") in hostile front-matter.
MAX_YAML_NODES = 20_000

FRONT_MATTER_FIELD = "front-matter"


@dataclass
class LocatedData:
    """Parsed YAML plus the line of every field, keyed like `pairs[0].before`."""

    value: Any
    lines: dict[str, int] = field(default_factory=dict)


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
    """Parse YAML keeping each field's line; syntax errors and duplicate keys raise."""
    full_width = [
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
    if full_width:
        raise SourceError(full_width)
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = _error_mark(error)
            line = first_line + (mark.line if mark else 0)
            detail = _yaml_problem_in_chinese(error)
            raise SourceError(
                [
                    Problem(
                        rel_path,
                        line,
                        "YAML",
                        f"格式错误（{detail}）；检查这一行的缩进、冒号后的空格、引号是否成对",
                    )
                ]
            ) from error
        except yaml.YAMLError as error:
            raise SourceError(
                [Problem(rel_path, first_line, "YAML", f"格式错误（{error}）；请检查格式")]
            ) from error
        if node is None:
            return LocatedData(None)
        builder = _LocatedBuilder(loader, rel_path, first_line)
        value = builder.build(node, "")
        if builder.problems:
            raise SourceError(builder.problems)
        return LocatedData(value, builder.lines)
    except RecursionError as error:
        # PyYAML composes nested lists and mappings recursively: `[[[[…` thousands deep.
        line = first_line + loader.get_mark().line
        raise SourceError(
            [Problem(rel_path, line, "YAML", "括号或缩进嵌套的层数过多；请按示例简单填写")]
        ) from error
    finally:
        loader.dispose()


def _error_mark(error: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """The line to fix: where an unclosed quote, bracket or keyless line starts (the context),
    not where the parser ran out of input or stumbled a line later (the problem)."""
    context = error.context or ""
    if error.context_mark is not None and (
        isinstance(error, yaml.scanner.ScannerError) or "flow" in context
    ):
        return error.context_mark
    return error.problem_mark or error.context_mark


def _yaml_problem_in_chinese(error: yaml.MarkedYAMLError) -> str:
    problem = (error.problem or "").strip()
    known = {
        "mapping values are not allowed here": "这里不能出现冒号；值里有冒号时请给整个值加引号",
        "could not find expected ':'": "缺少冒号",
        "found character '\\t' that cannot start any token": "不能用 Tab 缩进，请改用空格",
        "found unexpected end of stream": "引号或括号没有闭合",
        "did not find expected key": "缩进不一致",
        "did not find expected '-' indicator": "列表项缩进不一致",
        "found undefined alias": "使用了未定义的别名",
        "expected ',' or ']'": "方括号 [ ] 没有闭合",
        "expected ',' or '}'": "花括号 { } 没有闭合",
        "expected <block end>": "缩进不一致",
    }
    for english, chinese in known.items():
        if problem.startswith(english):
            return chinese
    return problem or "无法解析"


class _LocatedBuilder:
    """Turns a composed YAML node tree into Python values, noting each field's line."""

    def __init__(self, loader: yaml.SafeLoader, rel_path: str, first_line: int) -> None:
        self.loader = loader
        self.rel_path = rel_path
        self.first_line = first_line
        self.lines: dict[str, int] = {}
        self.problems: list[Problem] = []
        self.nodes_seen = 0
        self._open: set[int] = set()  # lists and mappings being built: an alias to one is a loop

    def line_of(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

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
                items = []
                for index, item in enumerate(node.value):
                    item_path = f"{path}[{index}]"
                    self.lines.setdefault(item_path, self.line_of(item))
                    items.append(self.build(item, item_path))
                return items
            finally:
                self._open.discard(id(node))
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, path: str) -> Any:
        """A scalar's value, or None after recording why it cannot be read."""
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            message = f"无法识别的值（{error.problem}）；请写成普通文字、数字或日期"
        except ValueError:
            # PyYAML raises a bare ValueError for dates that do not exist (2021-02-30)
            # and for explicit tags such as `!!int abc`.
            message = (
                f"无法识别的值“{node.value}”；日期要写真实存在的日子（例如 2021-03-12），"
                "数字只写数字"
            )
        self.problems.append(Problem(self.rel_path, self.line_of(node), path or "YAML", message))
        return None

    def _build_mapping(self, node: yaml.MappingNode, path: str) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    Problem(
                        self.rel_path,
                        self.line_of(key_node),
                        path or "YAML",
                        "字段名必须是文字；请检查这一行的写法",
                    )
                )
                continue
            known_problems = len(self.problems)
            key = self._scalar(key_node, path)
            if len(self.problems) > known_problems:
                continue
            key_path = f"{path}.{key}" if path else str(key)
            if key in result:
                self.problems.append(
                    Problem(
                        self.rel_path,
                        self.line_of(key_node),
                        key_path,
                        f"字段重复（第 {self.lines[key_path]} 行已经写过）；请只保留一个",
                    )
                )
                continue
            self.lines[key_path] = self.line_of(key_node)
            result[key] = self.build(value_node, key_path)
        return result
