"""Word documents (.docx) made at run time, as small as Word would accept: a zip holding
document.xml and the parts it names. Paragraphs are written in a tiny notation:

- `("h1", "标题")` … `("h3", …)`: a heading (Word's built-in styles "heading 1" …);
- `("p", "文字", "**粗**", "*斜*")`: a paragraph of runs, `**…**` bold and `*…*` italic;
- `("ul", "项目")` / `("ol", "项目")`: an item of a bulleted / numbered list;
- `("img",)`: a photo pasted into the text; `("object",)`: an embedded OLE object (a chart
  or a spreadsheet pasted from Excel).
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

import mediakit

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
V = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
IMAGE_REL = f"{R}/image"
STYLES_REL = f"{R}/styles"
NUMBERING_REL = f"{R}/numbering"
BULLET, NUMBERED = 1, 2

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{R}/officeDocument" Target="word/document.xml"/>
</Relationships>"""


def _styles() -> str:
    headings = "".join(
        f'<w:style w:type="paragraph" w:styleId="Heading{n}"><w:name w:val="heading {n}"/>'
        "</w:style>"
        for n in range(1, 4)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W}">{headings}</w:styles>'


def _numbering() -> str:
    def abstract(number: int, fmt: str, text: str) -> str:
        return (
            f'<w:abstractNum w:abstractNumId="{number}"><w:lvl w:ilvl="0">'
            f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'
        )

    return (
        f'<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{W}">'
        + abstract(BULLET, "bullet", "•")
        + abstract(NUMBERED, "decimal", "%1.")
        + f'<w:num w:numId="{BULLET}"><w:abstractNumId w:val="{BULLET}"/></w:num>'
        + f'<w:num w:numId="{NUMBERED}"><w:abstractNumId w:val="{NUMBERED}"/></w:num>'
        + "</w:numbering>"
    )


def _run(text: str) -> str:
    props = ""
    if text.startswith("**") and text.endswith("**"):
        text, props = text[2:-2], "<w:rPr><w:b/></w:rPr>"
    elif text.startswith("*") and text.endswith("*"):
        text, props = text[1:-1], "<w:rPr><w:i/></w:rPr>"
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _drawing(number: int) -> str:
    return (
        f'<w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="685800"/>'
        f'<wp:docPr id="{number}" name="图片 {number}" descr="照片"/>'
        f'<a:graphic><a:graphicData uri="{PIC}"><pic:pic><pic:blipFill>'
        f'<a:blip r:embed="rImg{number}"/></pic:blipFill></pic:pic></a:graphicData>'
        "</a:graphic></wp:inline></w:drawing></w:r>"
    )


def _object(number: int) -> str:
    return (
        f'<w:r><w:object><v:shape id="obj{number}" style="width:100pt;height:80pt">'
        f'<v:imagedata r:id="rImg{number}" o:title=""/></v:shape>'
        f'<o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" ShapeID="obj{number}" '
        f'DrawAspect="Content" ObjectID="_{number}"/></w:object></w:r>'
    )


def docx_bytes(*paragraphs: tuple[str, ...]) -> bytes:
    """A .docx holding `paragraphs` (see the module's notation)."""
    body: list[str] = []
    media: list[int] = []
    for kind, *texts in paragraphs:
        if kind in ("img", "object"):
            number = len(media) + 1
            media.append(number)
            body.append(f"<w:p>{_drawing(number) if kind == 'img' else _object(number)}</w:p>")
            continue
        props = ""
        if kind.startswith("h"):
            props = f'<w:pPr><w:pStyle w:val="Heading{kind[1:]}"/></w:pPr>'
        elif kind in ("ul", "ol"):
            number_id = BULLET if kind == "ul" else NUMBERED
            props = (
                f'<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{number_id}"/>'
                "</w:numPr></w:pPr>"
            )
        body.append(f"<w:p>{props}{''.join(_run(text) for text in texts)}</w:p>")
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W}" xmlns:r="{R}" xmlns:wp="{WP}" xmlns:a="{A}" '
        f'xmlns:pic="{PIC}" xmlns:v="{V}" xmlns:o="{OFFICE}"><w:body>{"".join(body)}</w:body>'
        "</w:document>"
    )
    relations = [
        f'<Relationship Id="rStyles" Type="{STYLES_REL}" Target="styles.xml"/>',
        f'<Relationship Id="rNumbering" Type="{NUMBERING_REL}" Target="numbering.xml"/>',
        *(
            f'<Relationship Id="rImg{n}" Type="{IMAGE_REL}" Target="media/image{n}.png"/>'
            for n in media
        ),
    ]
    document_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{''.join(relations)}</Relationships>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("word/document.xml", document)
        archive.writestr("word/_rels/document.xml.rels", document_rels)
        archive.writestr("word/styles.xml", _styles())
        archive.writestr("word/numbering.xml", _numbering())
        for number in media:
            archive.writestr(f"word/media/image{number}.png", mediakit.image_bytes("PNG"))
    return buffer.getvalue()


def zip_with(entries: dict[str, bytes]) -> bytes:
    """Any zip: a .docx that is not one, or a hostile one."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()
