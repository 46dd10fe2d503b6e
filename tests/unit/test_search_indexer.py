"""The index as the reader's browser reads it: every token in the shard its hash names, a
page's score weighted by where the word stands, a common token capped to its best pages and
still counted whole, and nothing fetched that lists every page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from huatuopin.search import indexer
from huatuopin.search.tokens import shard_of


def write_record(records: Path, url: str, title: str, body: str) -> None:
    folder = records / url
    folder.mkdir(parents=True, exist_ok=True)
    html = (
        f'<html><body><div data-search-body><span data-search-meta="title">{title}</span>'
        f'<span data-search-meta="label">稿件</span><h1>{title}</h1><p>{body}</p>'
        "<p data-search-ignore>不收录的话</p></div></body></html>"
    )
    (folder / "index.html").write_text(html, encoding="utf-8")


def read_index(output: Path) -> tuple[dict, Path]:
    manifest = json.loads((output / indexer.MANIFEST).read_text("utf-8"))
    return manifest, output / manifest["build"]


def postings(folder: Path, token: str, shards: int) -> list[int]:
    shard = json.loads((folder / f"t{shard_of(token, shards)}.json").read_text("utf-8"))
    return shard[token]


def test_each_token_is_in_the_shard_its_hash_names_with_weighted_scores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexer, "SHARD_BYTES", 200)  # many shards from a few pages
    records = tmp_path / "records"
    write_record(records, "stories/a/", "光伏板上的新日子", "张庄村的光伏")
    write_record(records, "stories/b/", "合作社里的新工人", "光伏板")
    summary = indexer.write_index(records, tmp_path / "index")
    manifest, folder = read_index(tmp_path / "index")

    assert summary.documents == manifest["documents"] == 2 and manifest["shards"] > 1
    # Ids in URL order; [pages, id, score, gap, score]: a heading counts 7, text 1.
    assert postings(folder, "光伏", manifest["shards"]) == [2, 0, 7 + 1, 1, 1]
    assert postings(folder, "张庄", manifest["shards"]) == [1, 0, 1]
    assert json.loads((folder / "d1.json").read_text("utf-8")) == {
        "u": "stories/b/",
        "t": "合作社里的新工人",
        "l": "稿件",
        "x": "合作社里的新工人 光伏板",
    }
    # What the record marks data-search-ignore is in no shard.
    for shard in folder.glob("t*.json"):
        assert "不收" not in shard.read_text("utf-8")


def test_a_common_token_keeps_its_best_pages_and_its_whole_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexer, "CAP", 3)
    records = tmp_path / "records"
    for number in range(6):
        title = "村里的光伏" if number in (1, 4) else f"第{number}篇"
        write_record(records, f"stories/{number}/", title, "村口")
    indexer.write_index(records, tmp_path / "index")
    manifest, folder = read_index(tmp_path / "index")

    entry = postings(folder, "村", manifest["shards"])
    assert entry[0] == 6 and len(entry) == 1 + 2 * 3  # on 6 pages, 3 kept
    ids = [sum(entry[1 : index + 1 : 2]) for index in range(1, len(entry), 2)]
    assert {1, 4} <= set(ids)  # the pages with 村 in their heading scored highest


def test_scores_saturate_instead_of_overflowing(tmp_path: Path) -> None:
    records = tmp_path / "records"
    write_record(records, "stories/a/", "光伏", "光伏 " * 400)
    indexer.write_index(records, tmp_path / "index")
    manifest, folder = read_index(tmp_path / "index")
    assert postings(folder, "光伏", manifest["shards"]) == [1, 0, indexer.MAX_SCORE]


def test_a_record_taken_out_while_the_index_is_made_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A preview's rebuild may take a record out (a story deleted) while the background
    indexer is reading the folder: the others are indexed, with ids that follow on."""
    records = tmp_path / "records"
    write_record(records, "stories/a/", "光伏板上的新日子", "张庄村")
    write_record(records, "stories/c/", "合作社里的新工人", "李庄村")
    listed = list(indexer.records_of(records))
    gone = (records / "stories/b/index.html", "stories/b/")
    monkeypatch.setattr(indexer, "records_of", lambda folder: iter([listed[0], gone, listed[1]]))

    summary = indexer.write_index(records, tmp_path / "index")

    manifest, folder = read_index(tmp_path / "index")
    assert summary.documents == manifest["documents"] == 2
    assert json.loads((folder / "d1.json").read_text("utf-8"))["u"] == "stories/c/"
    assert postings(folder, "李庄", manifest["shards"]) == [1, 1, 1]


def test_a_name_split_by_bold_or_a_link_is_still_found_and_shown_whole() -> None:
    from searchkit import indexed

    page = indexed(
        '<p>我们来到<strong>张庄</strong>村，见到<a href="/x/">李</a>书记。</p>'
        "<h2>标题</h2><p>正文</p>"
    )
    assert page.found_by("张庄村") and page.found_by("李书记")
    assert page.text == "我们来到张庄村，见到李书记。 标题 正文"
    # Two paragraphs are not one sentence: no pair across them.
    assert not page.found_by("题正")
