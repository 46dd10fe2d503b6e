"""gzip files written beside the text files of a release, for nginx's `gzip_static`.

Compressing once at deploy time at the highest level costs the server nothing per request and
gives slow phones the smallest files. The output is deterministic (no name, mtime 0 in the
gzip header), so the same release compresses to the same bytes. Brotli would save a little
more, but Debian's nginx has no brotli module: gzip is what it can serve.
"""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

# The text formats the site publishes; images, video and audio are compressed already.
# txt (robots.txt) and csv (the progress figures) are text too.
COMPRESSED_SUFFIXES = frozenset(
    {".html", ".css", ".js", ".json", ".xml", ".svg", ".ics", ".vtt", ".txt", ".csv"}
)
GZIP_SUFFIX = ".gz"
# zlib lets go of the GIL while it compresses, so threads use both cores.
WORKERS = min(4, os.cpu_count() or 1)


@dataclass(frozen=True)
class Compressed:
    """What `precompress` did: text files looked at, `.gz` files written, and their sizes."""

    candidates: int
    written: int
    original_bytes: int  # of the files that got a .gz
    gzip_bytes: int


def gzip_bytes(data: bytes) -> bytes:
    """`data` gzipped at level 9 with an empty name and mtime 0: the same bytes every time."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as out:
        out.write(data)
    return buffer.getvalue()


def text_files(root: Path) -> list[Path]:
    """The files under `root` that get a `.gz` beside them, in a stable order."""
    return sorted(
        path
        for path in root.rglob("*")
        if path.suffix.lower() in COMPRESSED_SUFFIXES and path.is_file() and not path.is_symlink()
    )


def compress_file(path: Path) -> tuple[int, int] | None:
    """Write `<path>.gz`; (original size, gzip size), or None when gzip would not make it
    smaller (tiny files), so nginx sends the original."""
    data = path.read_bytes()
    packed = gzip_bytes(data)
    if len(packed) >= len(data):
        return None
    target = path.with_name(path.name + GZIP_SUFFIX)
    target.write_bytes(packed)
    # nginx dates the .gz it sends by the .gz's own mtime: keep it the original's.
    stat = path.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return len(data), len(packed)


def precompress(root: Path) -> Compressed:
    """A `.gz` beside every text file under `root` that gzip makes smaller."""
    files = text_files(root)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results: Iterable[tuple[int, int] | None] = list(pool.map(compress_file, files))
    sizes = [result for result in results if result is not None]
    return Compressed(
        candidates=len(files),
        written=len(sizes),
        original_bytes=sum(original for original, _ in sizes),
        gzip_bytes=sum(packed for _, packed in sizes),
    )
