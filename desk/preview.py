"""The story as it will look on the site, before it is submitted.

A throwaway MkDocs project is made beside `out_dir`: a short mkdocs.yml that inherits the
real one (theme, Markdown, campaign settings and limits), the real overrides/ and hooks/,
the real docs/index.md and docs/assets/, the village's published profile when it has one,
and this one story under docs/stories/ — no other story. It is built with `mkdocs build` in
a process of its own, against the project's media cache, so photos come out exactly as the
build makes them and are encoded once for the preview and the publication together.

`out_dir` then holds a small site: the story's page links `../../media/…` and
`../../assets/…`, so `out_dir` is served as the root of the preview (`preview_file` finds the
file for a path under it) and the reader is sent to the returned folder (`stories/<folder>/`
under it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from huatuopin.media.cache import CACHE_ENV, cache_root
from huatuopin.newstory import slug_for
from huatuopin.project import Project, load_project
from huatuopin.sourcefile import SourceError, read_markdown
from huatuopin.villages.profiles import find_profile_sources
from mkdocs.utils.yaml import yaml_load

CONFIG_FILE = "mkdocs.yml"
STORIES = "stories"
INDEX = "index.md"
# What the site needs besides stories and villages (tests/sitekit.py makes projects alike).
SITE_PARTS = ("index.md", "assets")
# Long enough for a first preview that encodes a phone video; later ones reuse the cache.
PREVIEW_TIMEOUT_SECONDS = 600
# A story whose date or village cannot be read still gets a valid folder name; its problems
# are reported at those fields.
FALLBACK_FOLDER = "2021-01-01-yulan"
WARNING_PREFIX = "WARNING"


class PreviewError(Exception):
    """Why there is no preview, in Chinese; `problems` are the build's lines about the story."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems


def build_preview(project_root: Path, story_folder: Path, out_dir: Path) -> Path:
    """Build the story in `story_folder` (index.md and its media) with the site's own
    configuration into `out_dir`; the folder of its page (`out_dir/stories/<folder>/`).

    Raises PreviewError when the build makes no page for the story (it has problems, which
    the form shows at their fields anyway) or takes longer than PREVIEW_TIMEOUT_SECONDS.
    """
    project = load_project(project_root.resolve() / CONFIG_FILE)
    front = _front_matter(story_folder)
    folder = _folder_name(front)
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{out_dir.name}-", dir=out_dir.parent) as work:
        work_dir = Path(work)
        docs = work_dir / "docs"
        _copy_site_parts(project, docs)
        _copy_story(story_folder, docs / STORIES / folder)
        _copy_village_profiles(project, front, docs)
        config = _write_config(project, work_dir)
        site = work_dir / "site"
        output = _run_build(project, config, site)
        if not (site / STORIES / folder / "index.html").is_file():
            problems = tuple(_story_lines(output, folder))
            raise PreviewError(
                "这篇稿件还有问题，网站不会发布有问题的稿件，所以还不能预览；"
                "请先按表单上的提示改好，再点预览",
                problems,
            )
        _replace(out_dir, site, work_dir)
    return out_dir / STORIES / folder


def _front_matter(story_folder: Path) -> dict[str, Any]:
    """The story's fields as written, or nothing when they cannot be read (the build says
    why, at the line)."""
    try:
        source = read_markdown(story_folder / INDEX, f"{STORIES}/{INDEX}")
    except (SourceError, OSError):
        return {}
    value = source.front_matter.value
    return value if isinstance(value, dict) else {}


def _folder_name(front: dict[str, Any]) -> str:
    """`<date>-<village pinyin>`, the name accepting the story gives its folder."""
    date, village = front.get("date"), front.get("village")
    if not isinstance(date, dt.date) or not isinstance(village, str) or not village.strip():
        return FALLBACK_FOLDER
    return f"{date.isoformat()}-{slug_for(village.strip())}"


def _copy_site_parts(project: Project, docs: Path) -> None:
    for name in SITE_PARTS:
        source = project.docs_dir / name
        if source.is_dir():
            shutil.copytree(source, docs / name, symlinks=True)
        elif source.is_file():
            docs.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, docs / name)


def _link_or_copy(source: str, target: str) -> None:
    """A hard link where the disk allows it: a phone video is not copied for every preview."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _copy_story(story_folder: Path, target: Path) -> None:
    # Links inside the folder stay links, so the build refuses them as it would on the site;
    # index.md is copied, never linked, so nothing can write through to the submission.
    shutil.copytree(
        story_folder,
        target,
        symlinks=True,
        copy_function=_link_or_copy,
        ignore=shutil.ignore_patterns(".*", INDEX),
    )
    index = story_folder / INDEX
    if index.is_file() and not index.is_symlink():
        shutil.copyfile(index, target / INDEX)


def _copy_village_profiles(project: Project, front: dict[str, Any], docs: Path) -> None:
    """The published profile of the story's village, if there is one: the village link and
    its name on the preview are then the site's."""
    wanted = tuple(_text(front.get(key)) for key in ("city", "county", "village"))
    if not all(wanted):
        return
    paths, _ = find_profile_sources(project.root, project.docs_dir)
    for path in paths:
        try:
            source = read_markdown(path, path.relative_to(project.root).as_posix())
        except (SourceError, OSError):
            continue
        data = source.front_matter.value
        if not isinstance(data, dict):
            continue
        if tuple(_text(data.get(key)) for key in ("city", "county", "name")) == wanted:
            target = docs / path.relative_to(project.docs_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _write_config(project: Project, work_dir: Path) -> Path:
    """A mkdocs.yml inheriting the real one; only the folders differ, and the real hooks and
    templates are named by absolute path (a relative path would be read from here)."""
    real_config = project.root / CONFIG_FILE
    with real_config.open(encoding="utf-8") as stream:
        real = yaml_load(stream) or {}
    config: dict[str, Any] = {"INHERIT": str(real_config), "docs_dir": "docs"}
    hooks = real.get("hooks")
    if isinstance(hooks, list):
        config["hooks"] = [str(_absolute(project.root, hook)) for hook in hooks]
    theme = real.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        config["theme"] = {"custom_dir": str(_absolute(project.root, theme["custom_dir"]))}
    path = work_dir / CONFIG_FILE
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _absolute(root: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else root / path


def _run_build(project: Project, config: Path, site: Path) -> str:
    """`mkdocs build` (not strict: the story's problems are shown by the form) in its own
    process group, stopped whole (media workers included) after the time limit."""
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    # The project's own cache, wherever mkdocs.yml or the environment puts it.
    env[CACHE_ENV] = str(cache_root(project.root, project.settings.media.cache_dir).resolve())
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)]
    process = subprocess.Popen(
        command,
        cwd=config.parent,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=PREVIEW_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PreviewError(
            f"预览超过 {int(PREVIEW_TIMEOUT_SECONDS // 60)} 分钟还没有做好（多半是视频太长）；"
            "请稍后再点预览，已经处理好的照片和视频不会重做"
        ) from None
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    return output


def _story_lines(output: str, folder: str) -> list[str]:
    """The build's problems about the story, as `make check` words them."""
    marker = f"{STORIES}/{folder}/"
    lines = []
    for line in output.splitlines():
        if line.startswith(WARNING_PREFIX) and marker in line:
            lines.append(line.split("-", 1)[1].strip() if "-" in line else line)
    return lines


def _replace(out_dir: Path, site: Path, work_dir: Path) -> None:
    """`site` becomes `out_dir` in one rename; a reader of the old preview is never shown
    half of the new one."""
    for _ in range(3):  # another preview of the same story may swap in between
        if out_dir.exists():
            os.rename(out_dir, work_dir / f"old-{os.urandom(4).hex()}")
        try:
            os.rename(site, out_dir)
            return
        except OSError:
            continue
    os.rename(site, out_dir)


def preview_file(out_dir: Path, path: str) -> Path | None:
    """The file of the preview site in `out_dir` for the URL path `path` under the preview's
    root (`""` and folders give their index.html); None for anything outside `out_dir`,
    hidden, reached through a link, or missing."""
    if "\x00" in path:
        return None
    parts = [part for part in path.split("/") if part]
    if any(part in (".", "..") or part.startswith(".") or "\\" in part for part in parts):
        return None
    root = out_dir.resolve()
    target = root.joinpath(*parts)
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file() or target.resolve() != target:
        return None
    return target
