"""Reading `redirects.yml`: old story addresses → new ones, in mkdocs-redirects' shape.

```yaml
redirect_maps:
  stories/2021-03-12-old-name/index.md: stories/2021-03-12-new-name/index.md
```

Each side may be written as the plugin writes it (`stories/<folder>/index.md`), as the page's
address (`stories/<folder>/`, `/stories/<folder>/`) or as the bare folder name; all become
`urls.story(folder)`. A chain (A → B, B → C) is flattened so that every old URL leads straight
to the final one (A → C, B → C): a reader follows one redirect, nginx answers one 301.
Whether the final address is a published story is known only after resolution
(`redirects.resolve`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import urls
from ..models import Redirect
from ..personaldata import find_personal_data
from ..problems import Problem
from ..sourcefile import SourceError, parse_yaml, read_text
from ..stories import STORIES_DIR, folder_name_message

REDIRECTS_FILE = "redirects.yml"  # beside mkdocs.yml
FIELD = "redirect_maps"

# The four ways to write a story's address: the plugin's source path, the page's address
# with or without its leading slash, the folder name alone.
_ADDRESS = re.compile(
    rf"{urls.STORIES}(?P<source>[^/]+)/(?:{re.escape(urls.INDEX)})?"
    rf"|/{urls.STORIES}(?P<page>[^/]+)/"
    r"|(?P<folder>[^/]+)"
)
_FORMS = (
    "写成 stories/<文件夹名>/index.md、stories/<文件夹名>/、/stories/<文件夹名>/ "
    "或只写文件夹名，例如 2021-03-12-zhangzhuang"
)
_SHAPE = (
    f"redirects.yml 要写成 {FIELD}: 下面每行一个“旧地址: 新地址”（缩进两格），例如\n"
    f"{FIELD}:\n  stories/2021-03-12-old-name/index.md: stories/2021-03-12-new-name/index.md"
)
_FIX_LOOP = "请删去其中一行，或把它改成指向稿件现在的文件夹"


@dataclass(frozen=True)
class RedirectsResult:
    redirects: tuple[Redirect, ...] = ()  # flattened, in source order
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class _Entry:
    old: str  # folder names
    new: str
    line: int


def load_redirects(project_root: Path, docs_dir: Path) -> RedirectsResult:
    """The redirects `redirects.yml` gives, valid on their own; no file means none."""
    path = project_root / REDIRECTS_FILE
    if not path.exists():
        return RedirectsResult()
    if not path.is_file():
        problem = Problem(
            REDIRECTS_FILE, 1, "文件", "redirects.yml 应该是一个文件；请删除这个文件夹"
        )
        return RedirectsResult(problems=(problem,))
    try:
        data = parse_yaml(read_text(path, REDIRECTS_FILE), REDIRECTS_FILE)
    except SourceError as error:
        return RedirectsResult(problems=tuple(error.problems))
    reader = _Reader(project_root, docs_dir / STORIES_DIR)
    entries = reader.entries(data.value, data.lines)
    return RedirectsResult(reader.flattened(entries), tuple(reader.problems))


class _Reader:
    def __init__(self, project_root: Path, stories_dir: Path) -> None:
        self.project_root = project_root
        self.stories_dir = stories_dir
        self.problems: list[Problem] = []

    def report(
        self, line: int, message: str, field: str = FIELD, involves: tuple[str, ...] = ()
    ) -> None:
        self.problems.append(Problem(REDIRECTS_FILE, line, field, message, involves))

    def entries(self, value: Any, lines: dict[str, int]) -> list[_Entry]:
        if value is None:  # an empty file, or comments only
            return []
        if not isinstance(value, dict):
            self.report(1, f"格式不对；{_SHAPE}", "YAML")
            return []
        for key in value:
            if key != FIELD:
                self.report(lines.get(key, 1), f"不认识“{key}”；{_SHAPE}", key)
        if FIELD not in value:
            if not value:
                return []
            self.report(1, f"缺少 {FIELD}；{_SHAPE}")
            return []
        maps = value[FIELD]
        if maps is None:  # `redirect_maps:` with nothing under it yet
            return []
        if not isinstance(maps, dict):
            self.report(lines.get(FIELD, 1), f"格式不对；{_SHAPE}")
            return []
        found: dict[str, _Entry] = {}
        for old_text, new_text in maps.items():
            line = lines.get(f"{FIELD}.{old_text}", lines.get(FIELD, 1))
            entry = self._entry(old_text, new_text, line)
            if entry is None:
                continue
            first = found.get(entry.old)
            if first is not None:
                self.report(
                    line,
                    f"旧地址 {urls.story(entry.old)} 重复了（第 {first.line} 行已经写过）；"
                    "一个旧地址只能跳到一个新地址，请只保留一行",
                )
                continue
            found[entry.old] = entry
        return list(found.values())

    def _entry(self, old_text: str, new_text: Any, line: int) -> _Entry | None:
        old = self._folder(old_text, line, "旧地址")
        if new_text is None or (isinstance(new_text, str) and not new_text.strip()):
            self.report(line, f"“{old_text}”后面缺少新地址；写成“旧地址: 新地址”，新地址{_FORMS}")
            return None
        if not isinstance(new_text, str):
            self.report(line, f"新地址要写成一个稿件地址，不能是列表或多个字段；{_FORMS}")
            return None
        new = self._folder(new_text, line, "新地址")
        if old is None or new is None:
            return None
        if self._still_there(old):
            folder = (self.stories_dir / old).relative_to(self.project_root).as_posix()
            self.report(
                line,
                f"旧地址的文件夹 {folder}/ 还在，那里的稿件会被跳转盖住；"
                "文件夹改名后才需要这一行：请先改名（或删去这一行）",
                involves=(folder,),
            )
            return None
        return _Entry(old, new, line)

    def _folder(self, text: str, line: int, side: str) -> str | None:
        """The story folder an address names, or None with a problem that says why."""
        written = text.strip()
        match = _ADDRESS.fullmatch(written)
        if match is None:
            hint = (
                "；不要写 http:// 和网站域名，只写网址里 /stories/ 开始的部分"
                if "//" in written
                else ""
            )
            self.report(line, f"{side}“{text}”不是稿件的地址；{_FORMS}{hint}")
            return None
        folder = match.group("source") or match.group("page") or match.group("folder")
        message = folder_name_message(folder)
        if message is not None:
            self.report(line, f"{side}里的文件夹名{message}")
            return None
        personal = find_personal_data(folder)
        for finding in personal:
            self.report(line, f"{side}：{finding.message}（文件夹名就是稿件的网址）")
        return None if personal else folder

    def _still_there(self, folder: str) -> bool:
        path = self.stories_dir / folder
        return path.exists() or path.is_symlink()

    def flattened(self, entries: list[_Entry]) -> tuple[Redirect, ...]:
        """Each entry leading straight to the end of its chain; entries whose chain comes back
        on itself are problems (one for each loop, at its first line) and are left out."""
        by_old = {entry.old: entry for entry in entries}
        redirects: list[Redirect] = []
        reported: set[frozenset[str]] = set()
        # Where each old folder's chain ends, once walked: a long chain is walked once, not
        # once for every line of it.
        ends: dict[str, str] = {}
        for entry in entries:
            path = [entry]
            on_path = {entry.old}
            while (last := path[-1].new) in by_old and last not in on_path and last not in ends:
                path.append(by_old[last])
                on_path.add(last)
            if last not in by_old or last in ends:
                end = ends.get(last, last)
                ends.update((step.old, end) for step in path)
                redirects.append(
                    Redirect(urls.story(entry.old), urls.story(end), REDIRECTS_FILE, entry.line)
                )
                continue
            loop = path[path.index(by_old[path[-1].new]) :]
            if entry in loop:
                members = frozenset(e.old for e in loop)
                if members not in reported:
                    reported.add(members)
                    self._report_loop(loop)
            else:
                self.report(
                    entry.line,
                    f"新地址 {urls.story(entry.new)} 在第 {min(e.line for e in loop)} 行"
                    "开始的循环里，到不了任何稿件；请先改好那个循环，或把这一行改成指向稿件现在的文件夹",
                )
        return tuple(redirects)

    def _report_loop(self, loop: list[_Entry]) -> None:
        first = min(loop, key=lambda e: e.line)
        if len(loop) == 1:
            self.report(
                first.line, f"旧地址和新地址是同一篇（{urls.story(first.old)}）；请删去这一行"
            )
            return
        start = loop.index(first)
        ordered = loop[start:] + loop[:start]
        chain = " → ".join(urls.story(e.old) for e in (*ordered, first))
        others = "、".join(str(e.line) for e in ordered[1:])
        self.report(
            first.line,
            f"跳转绕成了圈：{chain}（还有第 {others} 行），到不了任何稿件；{_FIX_LOOP}",
        )
