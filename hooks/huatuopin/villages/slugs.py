"""Village slugs: the last part of a village page's URL.

A slug depends only on the village's own profile file or name, never on other villages or on
the order of stories, so adding content never moves an existing village page.
"""

from __future__ import annotations

import functools
import re

from pypinyin import Style, lazy_pinyin

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# MkDocs turns `index.md` and `README.md` into the folder's own page: never a village slug.
RESERVED_SLUGS = {"index", "readme"}
VILLAGE_SUFFIX = "村"
# Separators a village name may contain; they become hyphens in its slug.
_SLUG_SEPARATORS = re.compile(r"[\s\-_·•.,，。、/()（）]+")


def base_name(name: str) -> str:
    """The name without a final 村, as slugs read it (东村 keeps its 村: it is the name)."""
    name = name.strip()
    if name.endswith(VILLAGE_SUFFIX) and len(name) > 2:
        return name[: -len(VILLAGE_SUFFIX)]
    return name


# Called for every village on every build and preview rebuild; a name reads the same each time.
@functools.cache
def pinyin_slug(name: str) -> str | None:
    """The slug of a village without a profile: the pinyin of its name, without a final 村.

    张庄村 → zhangzhuang, 田铺大塆 → tianpudawan. None when the name has a character pypinyin
    cannot read (such a village needs a profile, whose file name is its slug).
    """
    base = base_name(name)
    pieces: list[str] = []
    for piece in lazy_pinyin(base, style=Style.NORMAL, errors="default", v_to_u=False):
        piece = piece.lower()
        if re.fullmatch(r"[a-z0-9]+", piece):
            pieces.append(piece)
            continue
        for part in _SLUG_SEPARATORS.split(piece):
            if not part:
                pieces.append("-")
            elif re.fullmatch(r"[a-z0-9]+", part):
                pieces.append(f"-{part}-")
            else:
                return None
    slug = re.sub(r"-+", "-", "".join(pieces)).strip("-")
    return slug if SLUG.match(slug) and slug not in RESERVED_SLUGS else None
