"""Everything under docs/ outside the three content folders: what MkDocs may publish as it is.

Stories, village profiles and the troupe are read by their own loaders; MkDocs would publish
every other file under docs/ unchanged. So each Markdown page here (docs/index.md, or an
about.md someone adds) is scanned like a story body; other files are published only from
docs/assets/ and only of the types the site's pages load; links are refused (realfiles.py).
A page whose URL falls where the site generates pages (`urls.GENERATED_SPACES`: a hand-written
docs/gallery/index.md, docs/stories.md) is refused too: it would take a generated page's place.
Whatever is refused here is named as a problem and taken out of MkDocs' files (site.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from mkdocs.utils import is_markdown_file

from . import urls
from .mediapaths import body_image_references, is_external
from .personaldata import find_personal_data, front_matter_problems, text_values
from .plaintext import markup_message
from .problems import Problem
from .realfiles import FILE_FIELD, walk
from .sourcefile import SourceError, read_text, split_markdown
from .textscan import find_unsafe_html

# Read by their own loaders (catalog.py, villages.py, troupe/loading.py), links included.
CONTENT_FOLDERS = ("stories", "villages", "troupe")
ASSETS_DIR = "assets"
# What the site's pages load from docs/assets/: style sheets, our scripts, raster images and
# web fonts. Not SVG (it can carry script and runs it when opened on its own), not HTML.
ASSET_SUFFIXES = frozenset(
    {".css", ".js", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".ico", ".woff2", ".woff"}
)
BODY_FIELD = "正文"
NAME_FIELD = "文件名"


@dataclass
class SiteFiles:
    """The result of checking docs/ outside the content folders."""

    published: set[str] = field(default_factory=set)  # src_uris MkDocs may publish as they are
    problems: list[Problem] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # pages not published, with problems


def check_site_files(project_root: Path, docs_dir: Path) -> SiteFiles:
    """Every file under docs/ outside stories/, villages/ and troupe/, checked."""
    result = SiteFiles()
    if not docs_dir.is_dir():
        return result
    # The content folders are listed by their own loaders, links to them included.
    tree = walk(docs_dir, project_root, docs_dir, skip=CONTENT_FOLDERS)
    result.problems += tree.problems
    for path in tree.files:
        src_uri = path.relative_to(docs_dir).as_posix()
        rel_path = path.relative_to(project_root).as_posix()
        page = is_markdown_file(src_uri)  # exactly the files MkDocs renders as pages
        problems = _name_problems(rel_path, src_uri)
        if page:
            problems += _reserved_problems(rel_path, src_uri) + _page_problems(path, rel_path)
        else:
            problems += _static_problems(rel_path, src_uri)
        result.problems.extend(problems)
        if not problems:
            result.published.add(src_uri)
        elif page:
            result.rejected.append(rel_path)
    return result


def _name_problems(rel_path: str, src_uri: str) -> list[Problem]:
    """The file's path becomes its URL, and URLs land in the sitemap and in shared links."""
    return [
        Problem(rel_path, 1, NAME_FIELD, f"文件名或文件夹名{finding.message}")
        for finding in find_personal_data(src_uri)
    ]


def _reserved_problems(rel_path: str, src_uri: str) -> list[Problem]:
    """A page at a URL the site generates, or under one: `gallery/index.md`, `stories.md`."""
    url = page_url(src_uri)
    space = url.split("/", 1)[0]
    if space not in urls.GENERATED_SPACES:
        return []
    return [
        Problem(
            rel_path,
            1,
            FILE_FIELD,
            f"这个页面的网址是 /{url}，在网站自动生成的 /{space}/ 之下，会和生成的页面冲突；"
            "请给文件换个名字，或移到别的文件夹",
        )
    ]


def page_url(src_uri: str) -> str:
    """The URL MkDocs gives a Markdown page (directory URLs): `a/b.md` → `a/b/`,
    `a/index.md` and `a/README.md` → `a/`."""
    path = PurePosixPath(src_uri)
    parts = (
        path.parent.parts
        if path.stem.lower() in ("index", "readme")
        else path.with_suffix("").parts
    )
    return "".join(f"{part}/" for part in parts)


def _page_problems(path: Path, rel_path: str) -> list[Problem]:
    """A page published as it is: scanned like a story body, front-matter included."""
    try:
        text = read_text(path, rel_path)
    except SourceError as error:
        return error.problems
    problems: list[Problem] = []
    body, first_line = text, 1
    if text.startswith("---\n"):
        try:
            source = split_markdown(text, rel_path)
        except SourceError as error:
            problems += error.problems
        else:
            data = source.front_matter
            problems += front_matter_problems(data.value, data.lines, rel_path)
            # Material prints a page's title and description as they are: plain text only.
            problems += [
                Problem(rel_path, data.lines.get(where, 1), where, message)
                for where, value in text_values(data.value)
                if (message := markup_message(value))
            ]
            body, first_line = source.body, source.body_first_line
    for finding in find_unsafe_html(body) + find_personal_data(body):
        problems.append(
            Problem(rel_path, first_line + finding.line_offset, BODY_FIELD, finding.message)
        )
    for offset, target in body_image_references(body):
        if is_external(target):
            problems.append(
                Problem(
                    rel_path,
                    first_line + offset,
                    BODY_FIELD,
                    f"图片“{target}”是网络地址；网页不能从外部网站加载图片，"
                    "请把图片下载后放进 docs/assets/，再写它的路径",
                )
            )
    return problems


def _static_problems(rel_path: str, src_uri: str) -> list[Problem]:
    suffix = PurePosixPath(src_uri).suffix.lower()
    in_assets = src_uri.startswith(ASSETS_DIR + "/")
    if in_assets and suffix in ASSET_SUFFIXES:
        return []
    if suffix in (".html", ".htm", ".svg", ".xml", ".xhtml"):
        why = (
            "这种文件会被浏览器当作网页打开，可以带脚本，不会发布；"
            "网页请写成 Markdown（.md），图标和图片请用 PNG 或 JPEG"
        )
    elif not in_assets:
        why = (
            "docs/ 里只有 assets/ 文件夹中网站自己的样式、脚本、图片和字体会原样发布，"
            "这个文件不会发布；照片和视频请放进所属稿件的文件夹"
        )
    else:
        allowed = "、".join(sorted(ASSET_SUFFIXES))
        why = f"docs/assets/ 里只发布这些类型的文件：{allowed}；这个文件不会发布，请删除或移走"
    return [Problem(rel_path, 1, FILE_FIELD, why)]
