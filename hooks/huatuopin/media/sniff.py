"""What a file really is, from its first bytes: names and extensions are not to be trusted."""

from __future__ import annotations

from pathlib import Path

HEAD_BYTES = 4096

# ISO base media (`ftyp`) brands that are still images, not video.
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}

# Formats we turn into web images.
ACCEPTED_IMAGES = ("jpeg", "png", "webp")
# What a contributor would call each format, for messages.
FORMAT_NAMES = {
    "jpeg": "JPEG",
    "png": "PNG",
    "webp": "WebP",
    "gif": "GIF",
    "bmp": "BMP",
    "tiff": "TIFF",
    "heif": "HEIC/HEIF（苹果手机照片）",
    "avif": "AVIF",
    "psd": "Photoshop PSD",
    "ico": "ICO 图标",
    "svg": "SVG",
    "pdf": "PDF",
    "zip": "压缩包（ZIP/Office 文档）",
    "isobmff": "MP4/MOV 视频或 M4A 音频",
}
STILL_IMAGES = {"jpeg", "png", "webp", "gif", "bmp", "tiff", "heif", "avif", "psd", "ico", "svg"}


def sniff(path: Path) -> str:
    """A short name for the content: `jpeg`, `png`, …, `text`, `empty` or `unknown`."""
    with path.open("rb") as stream:
        head = stream.read(HEAD_BYTES)
    return sniff_bytes(head)


def sniff_bytes(head: bytes) -> str:
    if not head:
        return "empty"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:2] == b"BM":
        return "bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:4] == b"8BPS":
        return "psd"
    if head[:4] == b"\x00\x00\x01\x00":
        return "ico"
    if head[:5] == b"%PDF-":
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        return "zip"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIF_BRANDS:
            return "heif"
        if brand in _AVIF_BRANDS:
            return "avif"
        return "isobmff"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:5].lower() == b"<?xml" or stripped[:4].lower() == b"<svg":
        return "svg" if b"<svg" in head.lower() else "text"
    if _looks_like_text(head):
        return "text"
    return "unknown"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The head may end in the middle of a character.
        if error.start < len(head) - 4:
            return False
        text = head[: error.start].decode("utf-8")
    printable = sum(1 for c in text if c.isprintable() or c in "\t\r\n")
    return printable >= 0.95 * max(len(text), 1)
