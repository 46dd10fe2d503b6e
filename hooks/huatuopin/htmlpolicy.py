"""Which HTML a rendered Markdown body may keep: one allowlist for the sanitizer and the scanner.

`safehtml` enforces it on every rendered body; `textscan` reads the same constants to tell a
contributor, at the line, about HTML that would otherwise vanish from the page without a word.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

# What Python-Markdown writes for our extensions (headings, lists, tables, admonitions, links,
# images, code) and the few inline tags contributors type by hand.
ALLOWED_TAGS: Final = frozenset(
    {
        *(f"h{level}" for level in range(1, 7)),
        "p",
        "div",
        "blockquote",
        "pre",
        "hr",
        "br",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "a",
        "img",
        "em",
        "strong",
        "b",
        "i",
        "u",
        "s",
        "del",
        "ins",
        "mark",
        "small",
        "sub",
        "sup",
        "code",
        "kbd",
        "span",
    }
)

# Tags whose content is not text for a reader (script, styles, embedded documents, forms):
# the sanitizer drops them together with everything inside, instead of showing it as text.
CONTENT_REMOVED_TAGS: Final = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "frame",
        "frameset",
        "noframes",
        "noembed",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "form",
        "textarea",
        "select",
        "title",
        "xmp",
        "plaintext",
    }
)

# Every tag may carry an `id` (attr_list's `{: #name }`, the heading anchors of `toc`);
# `class` is allowed only with the values in ALLOWED_CLASSES.
GLOBAL_ATTRIBUTES: Final = frozenset({"id"})
TAG_ATTRIBUTES: Final = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title", "width", "height"}),
    "ol": frozenset({"start"}),
    "th": frozenset({"colspan", "rowspan"}),
    "td": frozenset({"colspan", "rowspan"}),
}
# Markdown tables write the column alignment as `align` (mkdocs.yml: use_align_attribute),
# since `style` is never allowed.
ALIGNMENTS: Final = frozenset({"left", "center", "right"})
ATTRIBUTE_VALUES: Final = {"th": {"align": ALIGNMENTS}, "td": {"align": ALIGNMENTS}}

# Material's admonition types and their aliases: `!!! note "标题"` renders as
# <div class="admonition note"><p class="admonition-title">标题</p>…</div>.
ADMONITION_TYPES: Final = frozenset(
    {
        "note",
        "abstract",
        "summary",
        "tldr",
        "info",
        "todo",
        "tip",
        "hint",
        "important",
        "success",
        "check",
        "done",
        "question",
        "help",
        "faq",
        "warning",
        "caution",
        "attention",
        "failure",
        "fail",
        "missing",
        "danger",
        "error",
        "bug",
        "example",
        "quote",
        "cite",
    }
)
ALLOWED_CLASSES: Final = {
    "div": frozenset({"admonition", *ADMONITION_TYPES}),
    "p": frozenset({"admonition-title"}),
}

# href and src: these schemes, or a URL without one (a link inside the site).
URL_SCHEMES: Final = frozenset({"http", "https", "mailto"})

# Ids the page itself uses: Material's (`__search`, `__drawer`, `__md_scope` …), ours in the
# templates (`hp-income`, `tp-…`, a story's `pair-1`). A body id with one of these prefixes could
# take over a control of the page or the target of one of our links, so it is dropped.
RESERVED_ID_PREFIXES: Final = ("__", "md-", "hp-", "tp-", "pair-")


def loads_from_the_site(value: str) -> bool:
    """An image address inside the site: no scheme, no host. Nothing external at page load:
    readers are on slow networks where outside hosts are slow or blocked, and an outside image
    tells its host who reads what."""
    parts = urlsplit(value.strip())
    return not parts.scheme and not parts.netloc and not value.strip().startswith("//")


def is_free_id(value: str) -> bool:
    """An id a body may use: not empty and not in a namespace of the page around it."""
    return bool(value.strip()) and not value.lower().startswith(RESERVED_ID_PREFIXES)
