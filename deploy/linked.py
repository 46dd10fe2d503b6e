"""The files a page of a release links, and bringing those a kept release lacks over from the
new release, so a page the deploy puts into an older release keeps its style sheet, scripts
and images there (hashed and content-addressed names: a file copied never clashes)."""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from pathlib import Path

from deploy.precompress import GZIP_SUFFIX

# Every address a page links or loads, relative to the page (srcset lists several).
LINKED = re.compile(r'\b(?:href|src|srcset)="([^"]*)"')


def linked_files(html: str, page_url: str) -> set[str]:
    """Site paths of the files a page links (pages and other sites left out)."""
    found = set()
    for value in LINKED.findall(html):
        for candidate in value.split(","):
            address = candidate.strip().split(" ")[0].split("#")[0].split("?")[0]
            if not address or ":" in address or address.startswith("/") or address.endswith("/"):
                continue
            path = posixpath.normpath(posixpath.join(page_url, address))
            if not path.startswith(".."):
                found.add(path)
    return found


def copy_missing_linked(new_release: Path, release: Path, html: str, page_url: str) -> list[str]:
    """Copy each file the page links (with its `.gz`) that `release` lacks and the new release
    has; the site paths copied."""
    copied = []
    for linked in sorted(linked_files(html, page_url)):
        for path in (linked, linked + GZIP_SUFFIX):
            if (new_release / path).is_file() and not (release / path).exists():
                target = release / path
                target.parent.mkdir(parents=True, exist_ok=True)
                # By a rename: a copy stopped halfway must not count as there next run (a
                # hashed file is cached a year).
                temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
                shutil.copy2(new_release / path, temporary)
                os.replace(temporary, target)
                copied.append(path)
    return copied
