"""The one place where HTML is marked safe, each time with its reason.

Templates under `overrides/` escape every value they print (`autoescape_overrides`); HTML
reaches a page unescaped only as a `Markup` made here:

- a rendered Markdown body, after the allowlist sanitizer (`sanitize_body`);
- the output of one of our own autoescaped templates, put into page content by the hooks
  (`render`), or swapped into a sanitized body (`replace_each`);
- a QR code drawn by segno as inline SVG (`qr_code`).

Material's own templates are left as they are: they expect autoescape off and print
`page.meta.title` unescaped, so the page's title is handed to them as escaped text
(`escape_page_meta`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from os import PathLike
from pathlib import Path
from typing import Any

import nh3
import segno
from jinja2 import Environment
from markupsafe import Markup, escape

from .htmlpolicy import (
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    ATTRIBUTE_VALUES,
    CONTENT_REMOVED_TAGS,
    GLOBAL_ATTRIBUTES,
    TAG_ATTRIBUTES,
    URL_SCHEMES,
    is_free_id,
    loads_from_the_site,
)

# Front-matter keys Material prints into the page as they are (base.html, header.html).
_META_TEXT_KEYS = ("title", "description", "author")


# -- escaping on output -----------------------------------------------------------------------


def autoescape_overrides(env: Environment, custom_dir: str | PathLike[str] | None) -> Environment:
    """Autoescape every template found in `custom_dir` (ours, `main.html` included), none of
    Material's, whose templates rely on autoescape being off.

    Jinja decides per template, by name, when it compiles it; a name that is not a file
    (`None`, for macros called without a context) keeps Jinja's default, off, so Material's
    macros behave as before.
    """
    ours: frozenset[str] = frozenset()
    if custom_dir is not None:
        root = Path(custom_dir)
        ours = frozenset(
            path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()
        )
    env.autoescape = lambda name: name is not None and name in ours
    return env


def _escapes(env: Environment, name: str) -> bool:
    return bool(env.autoescape(name) if callable(env.autoescape) else env.autoescape)


def render(env: Environment, name: str, **context: Any) -> Markup:
    """One of our templates rendered for page content.

    Safe because the template escapes every value it prints; a template that does not is
    refused rather than trusted.
    """
    if not _escapes(env, name):
        raise ValueError(f"{name} is not autoescaped: its output cannot be trusted as HTML")
    return Markup(env.get_template(name).render(**context))


def escape_page_meta(meta: dict[str, Any], title: str | None) -> None:
    """Title, description, author and tags as escaped text, for Material to print as they are.

    `title` is MkDocs' `page.title`, used when the front-matter has none: the first heading as
    HTML (entities kept, tags stripped) or the file name.
    """
    if "title" not in meta:
        meta["title"] = Markup(title or "").striptags()
    for key in _META_TEXT_KEYS:
        if key in meta and meta[key] is not None:
            meta[key] = escape(meta[key])  # text already escaped (Markup) stays as it is
    tags = meta.get("tags")
    if isinstance(tags, list):
        meta["tags"] = [escape(tag) for tag in tags if tag is not None]


# -- bodies -----------------------------------------------------------------------------------


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "id" and not is_free_id(value):
        return None
    if tag == "img" and name == "src" and not loads_from_the_site(value):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(CONTENT_REMOVED_TAGS),
    attributes={
        "*": set(GLOBAL_ATTRIBUTES),
        **{tag: set(names) for tag, names in TAG_ATTRIBUTES.items()},
    },
    tag_attribute_values={
        tag: {name: set(values) for name, values in allowed.items()}
        for tag, allowed in ATTRIBUTE_VALUES.items()
    },
    allowed_classes={tag: set(classes) for tag, classes in ALLOWED_CLASSES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel="noopener noreferrer",
    strip_comments=True,
    attribute_filter=_keep_attribute,
)


def sanitize_body(html: str) -> Markup:
    """A rendered Markdown body, keeping only the tags, attributes and URLs of `htmlpolicy`.

    Safe because nh3 (ammonia) parses it as a browser would and writes back only what the
    allowlist names: no script, no event handler, no `style`, no script URL.
    """
    return Markup(_CLEANER.clean(html))


def replace_each(
    html: Markup, pattern: re.Pattern[str], replace: Callable[[Markup], Markup | None]
) -> Markup:
    """`html` with each match of `pattern` swapped for what `replace` returns (None: kept).

    Safe HTML stays safe: the pieces between matches are slices of `html`, and a replacement
    that is not `Markup` is escaped by the join, never trusted.
    """
    pieces: list[Markup] = []
    last = 0
    for match in pattern.finditer(html):
        replacement = replace(html[match.start() : match.end()])
        if replacement is None:
            continue
        pieces += [html[last : match.start()], replacement]
        last = match.end()
    pieces.append(html[last:])
    return Markup("").join(pieces)


QR_MASK = 0  # see _qr_svg


def qr_code(text: str, *, css_class: str) -> Markup:
    """A QR code of `text` as inline SVG, for a poster to print.

    Safe because segno writes only its own `<svg>` and one `<path>` of numbers: `text` is
    encoded in the modules and never written out, and `css_class` is ours.
    """
    return Markup(_qr_svg(text, css_class))


# A site has a poster per village (~10,000 in the province) and a preview makes them all again
# after every edit: each code is made once per process.
@functools.cache
def _qr_svg(text: str, css_class: str) -> str:
    # Any of the eight masks makes a valid code that every reader decodes; scoring all eight
    # to pick the "best" one took four fifths of the time.
    code = segno.make(text, error="m", mask=QR_MASK)
    return code.svg_inline(scale=1, border=4, svgclass=css_class, lineclass=None, omitsize=True)
