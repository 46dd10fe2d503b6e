"""Media references must name a file inside the story's own folder."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from .fields import closest

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# `C:\Users\…`, `D:/照片/a.jpg`, `\\server\share\…` or `file:///C:/…`: a file on the contributor's
# own computer, copied from Explorer's address bar. Checked before _URL, which would read `C:`
# as a web address's scheme.
_LOCAL_PATH = re.compile(r"^(?:[a-zA-Z]:[\\/]|\\\\|file:)", re.IGNORECASE)
# Markdown images `![alt](file "title")` and HTML `<img src="file">`, with the target captured.
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)


def is_external(reference: str) -> bool:
    """A web address (`https://…`, `//host/…`): loading it would reach outside the site."""
    return bool(_URL.match(reference)) or reference.startswith("//")


def media_message(story_dir: Path, reference: str) -> str | None:
    """Why `reference` is not a usable media file of the story, or None when it is."""
    if _LOCAL_PATH.match(reference):
        name = re.split(r"[\\/]", reference)[-1]
        example = f"文件名“{name}”" if name else "文件名"
        return (
            f"“{reference}”是你自己电脑上的路径，读者打不开；"
            f"请把这个文件复制到 {story_dir.name}/ 文件夹里，这里只写{example}"
        )
    if is_external(reference):
        return (
            f"“{reference}”是网络地址；网页不能从外部网站加载内容，"
            "请把文件下载后放进稿件文件夹，再写文件名"
        )
    if "\\" in reference:
        return f"“{reference}”用了反斜杠；请用 / 分隔文件夹，例如 photos/house.jpg"
    posix = PurePosixPath(reference)
    if posix.is_absolute() or reference.startswith("~"):
        return f"“{reference}”是绝对路径；请只写稿件文件夹里的文件名，例如 house-2016.jpg"
    if ".." in posix.parts:
        return f"“{reference}”含有 ..，指向稿件文件夹之外；请把文件放进稿件文件夹"
    candidate = story_dir / posix
    try:
        root = story_dir.resolve()
        resolved = candidate.resolve()
        exists = candidate.exists()
    except RuntimeError:
        # Path.resolve() raises RuntimeError on a link that leads back to itself.
        return (
            f"“{reference}”是一个绕回自己的链接，后面没有真正的文件；"
            "请删除这个链接，把文件本身放进稿件文件夹"
        )
    except (OSError, ValueError):
        # A name the file system refuses: longer than 255 bytes, or with a NUL character.
        return f"“{reference}”不是可用的文件名；请改成简短的文件名，例如 house-2016.jpg"
    if not resolved.is_relative_to(root):
        return f"“{reference}”是指向稿件文件夹之外的链接；请把文件本身放进稿件文件夹"
    if not exists:
        return _missing(story_dir, reference, candidate)
    if not candidate.is_file():
        return f"“{reference}”是文件夹，不是文件；请写出具体的文件名"
    return None


def _missing(story_dir: Path, reference: str, candidate: Path) -> str:
    """A file that is not there, with the name the contributor most likely meant."""
    folder = candidate.parent if candidate.parent.is_dir() else story_dir
    try:
        siblings = sorted(p.name for p in folder.iterdir() if p.name != "index.md")
    except OSError:
        siblings = []
    # A camera or phone writes IMG_0001.JPG; a contributor types img_0001.jpg. Same name to
    # them, and to Windows and macOS, but not to the web server.
    same_but_case = [name for name in siblings if name.casefold() == candidate.name.casefold()]
    if same_but_case:
        actual = same_but_case[0]
        written = str(PurePosixPath(reference).with_name(actual))
        return (
            f"找不到文件“{reference}”；文件夹里有“{actual}”，两个名字只差大小写。"
            f"网址区分大小写：请改成“{written}”，或者把文件改名"
        )
    hint = closest(candidate.name, siblings, cutoff=0.5)
    guess = f"是不是“{hint}”？" if hint else ""
    return (
        f"找不到文件“{reference}”；{guess}文件要放在 {story_dir.name}/ 文件夹里，文件名区分大小写"
    )


def body_image_references(body: str) -> list[tuple[int, str]]:
    """(line offset in the body, target) of every image the Markdown body shows."""
    found = []
    for pattern in (_MARKDOWN_IMAGE, _HTML_IMAGE):
        for match in pattern.finditer(body):
            found.append((body.count("\n", 0, match.start()), match.group(1)))
    return sorted(found)
