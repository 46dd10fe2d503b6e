"""Files under docs/ as they are on disk: links are refused, never followed.

MkDocs follows every link under docs/ and publishes what it finds there: a link to /etc/passwd
copies that file into site/, a link to a story folder publishes the story a second time, and a
link to a parent folder sends the walk round in circles. Every folder of docs/ is listed
through `walk`, which reports each link (and each pipe or device file) as a problem at its own
path and reads nothing behind it.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem

FILE_FIELD = "文件"
_COPY_INSTEAD = "请删除这个链接，把真实的文件复制到这里"


@dataclass
class Tree:
    """What a folder holds, found without following links."""

    files: list[Path] = field(default_factory=list)  # regular files, hidden ones left out
    folders: list[Path] = field(default_factory=list)  # real folders, hidden ones left out
    problems: list[Problem] = field(default_factory=list)  # links and special files


def walk(
    folder: Path,
    project_root: Path,
    docs_dir: Path,
    *,
    recursive: bool = True,
    skip: Collection[str] = (),
) -> Tree:
    """Regular files and folders under `folder`, sorted; every link in it is a problem.

    Folders of `folder` itself named in `skip`, and links of those names, are left to someone
    else.

    Hidden entries (`.DS_Store`, an editor's `.#index.md` lock link) are left out as MkDocs
    leaves them out, except links to folders: MkDocs walks into those, hidden or not, and
    through hidden folders.
    """
    tree = Tree()
    _walk(folder, _Places(project_root, docs_dir), tree, recursive, skip)
    tree.files.sort()
    tree.folders.sort()
    return tree


def refusal(path: Path, project_root: Path, docs_dir: Path) -> Problem | None:
    """The problem with one path that must be a real file or folder, or None when it is one."""
    places = _Places(project_root, docs_dir)
    if path.is_symlink():
        return places.link_problem(path)
    if path.exists() and not (path.is_file() or path.is_dir()):
        return places.special_problem(path)
    return None


def walk_hazards(project_root: Path, docs_dir: Path) -> list[Problem]:
    """Links to folders that would make MkDocs' own walk of docs/ run away.

    MkDocs lists docs/ following links before any hook can step in. A link to a folder that
    holds a link to a folder (its own parent, say) is walked again at every level, doubling
    with every second such link; a link out of docs/ may walk the whole disk. Each of these is
    one of the problems `walk` reports; the build stops on them before MkDocs starts listing.
    """
    places = _Places(project_root, docs_dir)
    folder_links = list(_folder_links(docs_dir))
    # Where each link itself is, in the same terms as the targets it is compared with.
    locations = [Path(os.path.realpath(link.parent)) / link.name for link in folder_links]
    hazards = []
    for link in folder_links:
        target = Path(os.path.realpath(link))
        inside = target.is_relative_to(places.docs_dir)
        if not inside or any(other.is_relative_to(target) for other in locations):
            hazards.append(places.link_problem(link))
    return sorted(hazards)


def _folder_links(folder: Path) -> Iterator[Path]:
    """Every link to a folder under `folder`, hidden ones included, found without following."""
    try:
        with os.scandir(folder) as scan:
            entries = list(scan)
    except OSError:
        return  # reported by `walk`, which lists the same folders
    for entry in entries:
        if entry.is_symlink():
            if os.path.isdir(entry.path):
                yield Path(entry.path)
        elif entry.is_dir(follow_symlinks=False):
            yield from _folder_links(Path(entry.path))


@dataclass
class _Places:
    project_root: Path
    docs_dir: Path

    def __post_init__(self) -> None:
        self.docs_dir = self.docs_dir.resolve()

    def rel(self, path: Path) -> str:
        return path.relative_to(self.project_root).as_posix()

    def link_problem(self, path: Path) -> Problem:
        return Problem(self.rel(path), 1, FILE_FIELD, self._link_message(path))

    def special_problem(self, path: Path) -> Problem:
        return Problem(
            self.rel(path),
            1,
            FILE_FIELD,
            "这不是普通文件（是管道、套接字或设备），网站不会读取它；请删除它",
        )

    def _link_message(self, path: Path) -> str:
        try:
            target = Path(os.path.realpath(path, strict=True))
        except OSError:
            return f"这是一个链接（快捷方式），它指向的文件不存在，或者绕回了自己；{_COPY_INSTEAD}"
        if not target.is_relative_to(self.docs_dir):
            return (
                "这是一个链接（快捷方式），指向 docs/ 以外的地方：网站会把那里的内容一起发布出去。"
                f"{_COPY_INSTEAD}，只放需要发布的文件"
            )
        if target.is_dir() and Path(os.path.realpath(path.parent)).is_relative_to(target):
            return (
                "这是指向它自己所在文件夹（或上级文件夹）的链接，会一层套一层、没有尽头；"
                "请删除这个链接"
            )
        if target.is_dir():
            return (
                "这是指向另一个文件夹的链接（快捷方式）：同样的文件会在两个网址各发布一次。"
                "请删除这个链接；需要的话把文件复制过来"
            )
        return (
            "这是一个链接（快捷方式），不是真实的文件；网站只发布 docs/ 里真实的文件，"
            + _COPY_INSTEAD
        )


def _walk(
    folder: Path, places: _Places, tree: Tree, recursive: bool, skip: Collection[str] = ()
) -> None:
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        tree.problems.append(
            Problem(
                places.rel(folder),
                1,
                FILE_FIELD,
                f"无法读取这个文件夹（{error.strerror}）；请检查它的权限",
            )
        )
        return
    for entry in entries:
        path = Path(entry.path)
        hidden = entry.name.startswith(".")
        if entry.name in skip and (entry.is_symlink() or entry.is_dir(follow_symlinks=False)):
            continue
        if entry.is_symlink():
            if not hidden or path.is_dir():
                tree.problems.append(places.link_problem(path))
        elif hidden:
            if recursive and entry.is_dir(follow_symlinks=False):
                # MkDocs walks hidden folders too (it leaves out their files only later).
                tree.problems += [places.link_problem(link) for link in _folder_links(path)]
        elif entry.is_dir(follow_symlinks=False):
            tree.folders.append(path)
            if recursive:
                _walk(path, places, tree, recursive)
        elif entry.is_file(follow_symlinks=False):
            tree.files.append(path)
        else:
            tree.problems.append(places.special_problem(path))
