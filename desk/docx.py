"""A Word document (.docx) as the body of a story: mammoth turns it into clean HTML (by the
document's structure, not its looks), markdownify turns that into Markdown.

Kept: paragraphs, headings (Word's 标题 1 becomes `##`: the page's own title is the only
`#`), lists, bold and italic, links, tables. Photos and embedded objects are dropped, with a
note at the end asking for them as photo uploads. The Markdown then goes through the story's
normal checks, and the build sanitizes it like any body.
"""

from __future__ import annotations

import io
import re
import zipfile

import mammoth
from huatuopin.media.sniff import sniff_bytes
from markdownify import markdownify

# One error for every conversion of an upload, so the form catches either module's.
from .photos import ConversionError

__all__ = ["ConversionError", "docx_to_markdown"]

# A long article is a few hundred KB; a document full of pasted photos can be tens of MB.
MAX_DOCX_BYTES = 20 * 1024 * 1024
# The XML parts unpacked (text, styles, lists): a zip bomb is refused before it is opened.
MAX_XML_BYTES = 30 * 1024 * 1024
DOCUMENT_PART = "word/document.xml"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .wps before 2007
# Word never writes a DTD; one in a .docx can only be there to expand entities.
XML_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
XML_HEAD_BYTES = 4096
OBJECT_MESSAGE = re.compile(r"unrecognised element was ignored: \{[^}]*\}OLEObject")
# Word's heading styles, one level down: `#` is the story's title on the page.
STYLE_MAP = "\n".join(
    [
        "p[style-name='Title'] => h2:fresh",
        *(
            f"p[style-name='heading {level}'] => h{min(level + 1, 6)}:fresh"
            for level in range(1, 7)
        ),
        *(f"p.Heading{level} => h{min(level + 1, 6)}:fresh" for level in range(1, 7)),
    ]
)


def docx_to_markdown(data: bytes) -> str:
    """The body of a story from the bytes of a .docx, with a closing note when photos or
    embedded objects were left out. Raises ConversionError for anything that is not a
    readable Word document, or is too large."""
    _check_container(data)
    images = 0

    def drop_image(image: mammoth.documents.Image) -> dict[str, str]:
        nonlocal images
        images += 1  # not read: its bytes never leave the zip
        return {}

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(drop_image),
        )
    except Exception as error:  # mammoth's failures on a damaged document
        raise ConversionError(
            "这个 Word 文件已损坏或不完整，无法读取；"
            "请在 Word 或 WPS 里打开后重新“另存为”.docx 再上传"
        ) from error
    objects = sum(1 for m in result.messages if OBJECT_MESSAGE.search(m.message))
    # An embedded object brings its preview picture along as an image: counted once, as an object.
    images = max(0, images - objects)
    markdown = _markdown(result.value)
    notes = []
    if images:
        notes.append(f"原文件里的 {images} 张图片没有导入：请作为照片上传")
    if objects:
        notes.append(
            f"原文件里的 {objects} 个嵌入对象（图表、表格文件等）没有导入："
            "请写成文字，或截图后作为照片上传"
        )
    if notes:
        note = "；".join(notes)
        markdown = f"{markdown}\n\n（{note}。这一段提示请在提交前删去。）".lstrip("\n")
    return markdown + "\n" if markdown else ""


def _markdown(html: str) -> str:
    # Text that reads like a tag (`<script>` typed in Word) stays text: markdownify would
    # write it back as raw HTML, and Python-Markdown has no escape for `<`.
    html = html.replace("&lt;", "&amp;lt;")
    text = markdownify(html, heading_style="ATX", bullets="-", strip=["img"])
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _check_container(data: bytes) -> None:
    if len(data) > MAX_DOCX_BYTES:
        raise ConversionError(
            f"这个 Word 文件有 {len(data) / 1024 / 1024:.1f} MB，超过上限 "
            f"{MAX_DOCX_BYTES // 1024 // 1024} MB；多半是文中贴了很多照片：请删去照片后再上传，"
            "照片请单独作为照片上传"
        )
    if data.startswith(OLE_MAGIC):
        raise ConversionError(
            "这是旧版 Word 文件（.doc）；请在 Word 或 WPS 里“另存为”.docx 格式后再上传"
        )
    kind = sniff_bytes(data[:XML_HEAD_BYTES])
    if kind != "zip":
        raise ConversionError(
            "这不是 Word 文档（.docx）；请上传用 Word 或 WPS 保存的 .docx 文件，"
            "或把正文直接粘贴到正文框里"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if DOCUMENT_PART not in names:
                raise ConversionError(
                    "这个文件是压缩包或其他 Office 文件（如 Excel、PowerPoint），不是 Word 文档；"
                    "请上传 .docx 文件，或把正文直接粘贴到正文框里"
                )
            xml_parts = [e for e in entries if e.filename.endswith((".xml", ".rels"))]
            if sum(entry.file_size for entry in xml_parts) > MAX_XML_BYTES:
                raise ConversionError(
                    "这个 Word 文件解压后太大，无法导入；请把正文直接粘贴到正文框里"
                )
            for entry in xml_parts:
                with archive.open(entry) as part:
                    head = part.read(XML_HEAD_BYTES)
                if any(declaration in head for declaration in XML_DECLARATIONS):
                    raise ConversionError(
                        "这个 Word 文件的内部结构不是 Word 或 WPS 保存的样子，为安全起见不导入；"
                        "请把正文直接粘贴到正文框里"
                    )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise ConversionError(
            "这个 Word 文件已损坏或没有传完整，无法读取；请重新保存后再上传"
        ) from error
