"""The search index: made from the searchable pages' records (search/records.py) into files a
reader's browser fetches piece by piece (docs/assets/search.js).

Why our own and how it is laid out:
- A first query must cost the same small amount on a site of 1,000 stories and of 50,000.
  Pagefind (tried first, in the province bench) fetches a metadata file that lists every page:
  366 KB gzip at 60,000 pages before the first word is looked up. Here nothing fetched grows
  with the number of pages except the postings of the words asked for, and those are capped.
- `manifest.json` (tiny, not cached for long) names the build and gives the counts a query
  needs. Everything else lives under `<build>/` (named by its content, cached for good):
  - `t<N>.json`, the shards: each token (search/tokens.py) is in shard `shard_of(token)`,
    as `[pages it is on, id, score, id, score, …]` with ids as gaps from the previous id and
    a score from 1 to 255 (its occurrences, each counted by the weight of where it stands:
    the title and a village's own name count more than a story's place line). A token on
    more than `CAP` pages keeps its `CAP` best pages: it is then too common to narrow a query
    (村, 脱贫), and ranking needs only its best;
  - `d<id>.json`, one per page: its address, title, label and shown text, fetched for the
    results on screen only.
- The shard count is chosen so a shard holds about `SHARD_BYTES` of postings.

Run as a process of its own (search/indexing.py starts it), so the preview's index is made
beside the server, a stopped preview ends it, and its memory is freed when it ends:
`python -m huatuopin.search.indexer RECORDS OUTPUT`.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lxml_html

from .records import PAGE_FILE
from .tokens import document_tokens, runs, shard_of

FORMAT = 1
CAP = 2000
SHARD_BYTES = 48_000  # raw JSON per shard, about 15 KB as nginx sends it
BYTES_PER_POSTING = 7  # a gap and a score as JSON, on average
MAX_SCORE = 255
SHOWN_CHARS = 400  # of a page's text, for the excerpt under its result
MANIFEST = "manifest.json"

# Attributes of the records (overrides/search-record.html, partials/search-scope.html).
BODY = "data-search-body"
IGNORE = "data-search-ignore"  # left out of the index, with everything inside
META = "data-search-meta"  # the result's title or label: shown, not searched
WEIGHT = "data-search-weight"  # how much a word here counts (default: 1, headings more)
UNSHOWN = "data-search-unshown"  # found by, never shown in an excerpt (a village's pinyin)
HEADING_WEIGHTS = {"h1": 7, "h2": 6, "h3": 5, "h4": 4, "h5": 3, "h6": 2}


@dataclass(frozen=True)
class Document:
    url: str
    title: str
    label: str
    shown: str  # the text an excerpt is cut from
    scores: Counter[str]  # token → score


# Elements that end a line of text: words either side of one are not neighbours. Any other
# element (a link, bold, a span) sits inside a sentence, and a Chinese name split by it
# (来到<strong>张庄</strong>村) must still give its bigrams (庄村) and read as one excerpt.
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
_BREAK = None  # between the pieces of text of two lines


@dataclass(frozen=True)
class _Piece:
    text: str
    weight: int
    visible: bool


def read_record(path: Path, url: str) -> Document:
    root = lxml_html.fromstring(path.read_text("utf-8", "replace"))
    bodies = root.xpath(f"//*[@{BODY}]")
    meta: dict[str, str] = {}
    pieces: list[_Piece | None] = []
    for body in bodies:
        _walk(body, 1, True, meta, pieces)
        pieces.append(_BREAK)
    scores: Counter[str] = Counter()
    shown: list[str] = []
    line: list[_Piece] = []
    for piece in pieces:
        if piece is not _BREAK:
            line.append(piece)
            continue
        _add_line(line, scores, shown)
        line = []
    text = " ".join(" ".join(shown).split())
    return Document(url, meta.get("title", ""), meta.get("label", ""), text, scores)


def _walk(
    element: lxml_html.HtmlElement,
    weight: int,
    visible: bool,
    meta: dict[str, str],
    pieces: list[_Piece | None],
) -> None:
    if element.get(META) is not None:
        meta[element.get(META)] = " ".join(element.text_content().split())
        return
    if element.get(IGNORE) is None:
        block = element.tag in BLOCK_TAGS
        if block:
            pieces.append(_BREAK)
        weight = _weight(element, weight)
        visible = visible and element.get(UNSHOWN) is None
        if element.text:
            pieces.append(_Piece(element.text, weight, visible))
        for child in element:
            if isinstance(child.tag, str):  # not a comment
                _walk(child, weight, visible, meta, pieces)
            # a child's tail is its parent's text
            if child.tail:
                pieces.append(_Piece(child.tail, weight, visible))
        if block:
            pieces.append(_BREAK)


def _weight(element: lxml_html.HtmlElement, inherited: int) -> int:
    given = element.get(WEIGHT)
    if given is not None and given.isdigit():
        return max(1, min(int(given), 10))
    return HEADING_WEIGHTS.get(element.tag, inherited)


def _add_line(line: list[_Piece], scores: Counter[str], shown: list[str]) -> None:
    """One line's pieces: each scored by its own weight, the pair of Chinese characters either
    side of an inline element's edge by the lesser, the shown ones read as one text."""
    for number, piece in enumerate(line):
        for token in document_tokens(piece.text):
            scores[token] += piece.weight
        if number:
            before = line[number - 1]
            for han, run in runs(before.text[-1] + piece.text[0]):
                if han and len(run) == 2:
                    scores[run] += min(before.weight, piece.weight)
    shown.append("".join(piece.text for piece in line if piece.visible))


def records_of(folder: Path) -> Iterator[tuple[Path, str]]:
    """Each record with its page's site-relative URL, in URL order (the ids' order)."""
    found = []
    for directory, _folders, names in os.walk(folder):
        if PAGE_FILE in names:
            relative = Path(directory).relative_to(folder).as_posix()
            found.append(("" if relative == "." else relative + "/", Path(directory) / PAGE_FILE))
    for url, path in sorted(found):
        yield path, url


@dataclass(frozen=True)
class IndexSummary:
    documents: int
    shards: int
    build: str


def write_index(records: Path, output: Path) -> IndexSummary:
    """Read every record in `records` and write the index into the empty folder `output`."""
    postings: dict[str, array[int]] = {}
    staging = output / ".building"
    staging.mkdir(parents=True)
    digest = hashlib.blake2b(digest_size=8)
    documents = 0
    for path, url in records_of(records):
        try:
            document = read_record(path, url)
        except FileNotFoundError:
            # Taken out by a preview's rebuild since the folder was listed: no longer
            # searchable, and the rebuild asks for another index anyway.
            continue
        doc_id = documents
        shown = {"u": url, "t": document.title, "l": document.label}
        shown["x"] = document.shown[:SHOWN_CHARS]
        data = _json(shown)
        (staging / f"d{doc_id}.json").write_bytes(data)
        digest.update(data)
        for token, score in document.scores.items():
            entry = postings.get(token)
            if entry is None:
                entry = postings[token] = array("I")
            entry.append(doc_id << 8 | min(score, MAX_SCORE))
        documents += 1
    total = sum(len(entry) for entry in postings.values())
    shards = max(1, math.ceil(total * BYTES_PER_POSTING / SHARD_BYTES))
    by_shard: list[list[str]] = [[] for _ in range(shards)]
    for token in postings:
        by_shard[shard_of(token, shards)].append(token)
    # One shard at a time: millions of postings as Python lists at once would not fit.
    for number, tokens in enumerate(by_shard):
        data = _json({token: _encode(postings.pop(token)) for token in sorted(tokens)})
        (staging / f"t{number}.json").write_bytes(data)
        digest.update(data)
    build = digest.hexdigest()
    staging.rename(output / build)
    manifest = {"format": FORMAT, "build": build, "documents": documents}
    manifest |= {"shards": shards, "cap": CAP}
    (output / MANIFEST).write_bytes(_json(manifest))
    return IndexSummary(documents, shards, build)


def _encode(entry: array[int]) -> list[int]:
    """[pages, id, score, gap, score, …]: the best CAP pages when there are more."""
    pages = len(entry)
    kept = sorted(entry)
    if pages > CAP:
        best = sorted(kept, key=lambda packed: (-(packed & MAX_SCORE), packed >> 8))[:CAP]
        kept = sorted(best)
    encoded = [pages]
    previous = 0
    for packed in kept:
        doc_id = packed >> 8
        encoded += (doc_id - previous, packed & MAX_SCORE)
        previous = doc_id
    return encoded


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("用法：python -m huatuopin.search.indexer 记录文件夹 输出文件夹", file=sys.stderr)
        return 2
    summary = write_index(Path(argv[0]), Path(argv[1]))
    # search/indexing.py reads this line.
    print(f"Indexed {summary.documents} pages in {summary.shards} shards")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
