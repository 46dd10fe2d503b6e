"""A .docx as a story body: what the reader sees once the Markdown is rendered, and every
file that is not a Word document refused in Chinese."""

from __future__ import annotations

import docxkit
import markdown
import pytest

from desk import docx
from desk.docx import ConversionError, docx_to_markdown


def rendered(data: bytes) -> str:
    return markdown.markdown(docx_to_markdown(data))


def test_headings_paragraphs_lists_bold_and_italic_are_kept() -> None:
    html = rendered(
        docxkit.docx_bytes(
            ("h1", "一笔收入账"),
            ("p", "三月的张庄，", "**麦苗返青**", "，", "*光伏板*", "一排排立在屋顶上。"),
            ("ul", "光伏分红"),
            ("ul", "合作社务工"),
            ("h2", "往后的打算"),
            ("ol", "扩大香菇大棚"),
            ("ol", "修通产业路"),
        )
    )

    # Word's 标题 1 is one level under the page's own title.
    assert "<h2>一笔收入账</h2>" in html
    assert "<h3>往后的打算</h3>" in html
    assert "<p>三月的张庄，<strong>麦苗返青</strong>，<em>光伏板</em>一排排立在屋顶上。</p>" in html
    assert "<ul>\n<li>光伏分红</li>\n<li>合作社务工</li>\n</ul>" in html
    assert "<ol>\n<li>扩大香菇大棚</li>\n<li>修通产业路</li>\n</ol>" in html


def test_photos_and_objects_are_left_out_with_a_note_at_the_end() -> None:
    body = docx_to_markdown(
        docxkit.docx_bytes(("p", "合影如下。"), ("img",), ("img",), ("object",), ("p", "完。"))
    )

    assert "![" not in body and "data:" not in body and "<img" not in markdown.markdown(body)
    last = body.strip().splitlines()[-1]
    assert "原文件里的 2 张图片没有导入：请作为照片上传" in last
    assert "1 个嵌入对象" in last
    assert body.index("完。") < body.index("原文件里")


def test_a_document_without_photos_has_no_note() -> None:
    assert docx_to_markdown(docxkit.docx_bytes(("p", "只有文字。"))) == "只有文字。\n"


def test_text_that_looks_like_markup_stays_text() -> None:
    html = rendered(docxkit.docx_bytes(("p", "<script>alert(1)</script> a_b *c* 5<6")))

    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; a_b *c* 5&lt;6" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (docx.OLE_MAGIC + b"\x00" * 600, "旧版 Word 文件（.doc）"),
        (b"%PDF-1.7\n" + b"x" * 100, "这不是 Word 文档"),
        ("张庄的光伏板\n".encode(), "这不是 Word 文档"),
        (b"", "这不是 Word 文档"),
        (docxkit.zip_with({"xl/workbook.xml": b"<workbook/>"}), "不是 Word 文档"),
        (docxkit.docx_bytes(("p", "半截"))[:300], "损坏"),
    ],
    ids=["doc", "pdf", "text", "empty", "xlsx", "truncated"],
)
def test_what_is_not_a_docx_is_refused_in_chinese(data: bytes, message: str) -> None:
    with pytest.raises(ConversionError, match=message):
        docx_to_markdown(data)


def test_an_oversized_file_is_refused_before_unzipping(monkeypatch: pytest.MonkeyPatch) -> None:
    data = docxkit.docx_bytes(("p", "文字"))
    monkeypatch.setattr(docx, "MAX_DOCX_BYTES", len(data) - 1)

    with pytest.raises(ConversionError, match="超过上限"):
        docx_to_markdown(data)


def test_a_zip_bomb_is_refused_before_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    data = docxkit.zip_with(
        {"word/document.xml": b"<w:document>" + b" " * 5_000_000 + b"</w:document>"}
    )
    monkeypatch.setattr(docx, "MAX_XML_BYTES", 1_000_000)

    with pytest.raises(ConversionError, match="解压后太大"):
        docx_to_markdown(data)


def test_entities_declared_in_the_document_are_refused() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "hahahahahahahaha">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document>&b;</w:document>'
    )

    with pytest.raises(ConversionError, match="为安全起见不导入"):
        docx_to_markdown(docxkit.zip_with({"word/document.xml": laughs}))


def test_one_conversion_error_for_photos_and_documents() -> None:
    from desk import photos

    assert ConversionError is photos.ConversionError
