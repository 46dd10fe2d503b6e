"""Media references must name a file inside the story's own folder."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from .fields import closest

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# Markdown images `![alt](file "title")` and HTML `<img src="file">`, with the target captured.
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)


def media_problem(story_dir: Path, reference: str) -> str | None:
    """Why `reference` is not a usable media file of the story, or None when it is."""
    if _URL.match(reference) or reference.startswith("//"):
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
    except (OSError, ValueError):
        # A name the file system refuses: longer than 255 bytes, or with a NUL character.
        return f"“{reference}”不是可用的文件名；请改成简短的文件名，例如 house-2016.jpg"
    if not resolved.is_relative_to(root):
        return f"“{reference}”是指向稿件文件夹之外的链接；请把文件本身放进稿件文件夹"
    if not exists:
        siblings = [p.name for p in story_dir.iterdir() if p.name != "index.md"]
        hint = closest(posix.name, siblings, cutoff=0.5)
        guess = f"是不是“{hint}”？" if hint else ""
        return (
            f"找不到文件“{reference}”；{guess}文件要放在 {story_dir.name}/ 文件夹里，"
            "文件名区分大小写"
        )
    if not candidate.is_file():
        return f"“{reference}”是文件夹，不是文件；请写出具体的文件名"
    return None


def body_image_references(body: str) -> list[tuple[int, str]]:
    """(line offset in the body, target) of every image the Markdown body shows."""
    found = []
    for pattern in (_MARKDOWN_IMAGE, _HTML_IMAGE):
        for match in pattern.finditer(body):
            found.append((body.count("\n", 0, match.start()), match.group(1)))
    return sorted(found)
