"""Receiving the form: text fields in memory, files streamed to disk within their limits.

Each file part is written to a hidden staging folder under a name the desk chooses; the
sender's file name is never used as a path (only its extension, from a short list, when the
content does not say what it is). Every file field has a kind (photo, video, audio, Word
document) and a limit from mkdocs.yml's `extra.media`; the stream stops being read the
moment a part passes its limit, and the staging folder is deleted, so nothing of a refused
upload is kept. A finished upload moves into the story folder with one rename (`place`),
so an interrupted upload never leaves a partial file where the build would see it.
"""

from __future__ import annotations

import codecs
import re
import secrets
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal
from urllib.parse import parse_qsl

from huatuopin.media import ffmpeg
from huatuopin.media.records import MediaError
from huatuopin.media.settings import MB, MediaSettings
from huatuopin.media.sniff import sniff
from python_multipart.multipart import MultipartParser, parse_options_header

Kind = Literal["image", "video", "audio", "docx"]

MAX_TEXT_BYTES = 1 * MB  # one text field: a long story's body is a few hundred KB
MAX_FIELDS = 400
MAX_FILES = 40
MAX_DOCX_BYTES = 20 * MB
STAGING_PREFIX = ".upload-"

# Which form fields take files, and of what kind.
FILE_FIELDS: tuple[tuple[re.Pattern[str], Kind], ...] = (
    (re.compile(r"cover"), "image"),
    (re.compile(r"pairs\[\d{1,2}\]\.(before|after)"), "image"),
    (re.compile(r"videos\[\d{1,2}\]\.file"), "video"),
    (re.compile(r"audios\[\d{1,2}\]\.file"), "audio"),
    (re.compile(r"body_docx"), "docx"),
)
NOUNS: dict[Kind, str] = {"image": "照片", "video": "视频", "audio": "音频", "docx": "Word 文档"}
# Extensions from what the content is; the sender's extension only when sniffing cannot tell.
SNIFFED_EXTENSIONS = {"jpeg": ".jpg", "png": ".png", "webp": ".webp", "heif": ".heic"}
SENDER_EXTENSIONS = {
    "image": {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"},
    "video": {".mp4", ".mov", ".m4v", ".3gp"},
    "audio": {".m4a", ".mp3", ".aac", ".wav", ".amr"},
    "docx": {".docx"},
}
FALLBACK_EXTENSIONS: dict[Kind, str] = {
    "image": ".jpg",
    "video": ".mp4",
    "audio": ".m4a",
    "docx": ".docx",
}


class UploadRefused(Exception):
    """A request the desk will not take; `status` 413 (too large or too long) or 400."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class ReceivedFile:
    field: str
    kind: Kind
    path: Path  # in the staging folder
    extension: str
    size: int = 0


@dataclass
class Received:
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, ReceivedFile] = field(default_factory=dict)
    staging: Path | None = None

    def discard(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)


def file_kind(name: str) -> Kind | None:
    for pattern, kind in FILE_FIELDS:
        if pattern.fullmatch(name):
            return kind
    return None


def limit_of(kind: Kind, media: MediaSettings) -> int:
    return {
        "image": media.max_image_bytes,
        "video": media.max_video_bytes,
        "audio": media.max_audio_bytes,
        "docx": MAX_DOCX_BYTES,
    }[kind]


def size_text(size: int) -> str:
    return f"{size / MB:.0f} MB" if size >= MB else f"{max(1, size // 1024)} KB"


async def receive(
    content_type: str, stream: AsyncIterator[bytes], staging_parent: Path, media: MediaSettings
) -> Received:
    """Parse a multipart/form-data body; raises UploadRefused, leaving nothing behind."""
    received = Received()
    disposition, params = parse_options_header(content_type)
    if disposition == b"application/x-www-form-urlencoded":
        received.fields = await _urlencoded(stream)
        return received
    if disposition != b"multipart/form-data" or b"boundary" not in params:
        raise UploadRefused(400, "表单格式不对；请在投稿页面上重新提交")
    charset = params.get(b"charset", b"utf-8").decode("latin-1")
    try:
        charset = codecs.lookup(charset).name
    except LookupError:
        charset = "utf-8"
    reader = _PartReader(received, staging_parent, media, charset)
    parser = MultipartParser(params[b"boundary"], reader.callbacks())
    try:
        async for chunk in stream:
            parser.write(chunk)
            reader.check()
        parser.finalize()
        reader.check()
        reader.close()
    except UploadRefused:
        reader.close()
        received.discard()
        raise
    except Exception as error:  # a malformed body from a broken client or a hostile one
        reader.close()
        received.discard()
        raise UploadRefused(400, "表单数据不完整（上传可能中断了）；请重新提交") from error
    except BaseException:  # the connection dropped: keep nothing of it
        reader.close()
        received.discard()
        raise
    # Empty file inputs (nothing chosen) arrive as parts without content.
    for name, upload in list(received.files.items()):
        if upload.size == 0:
            upload.path.unlink(missing_ok=True)
            del received.files[name]
    return received


async def _urlencoded(stream: AsyncIterator[bytes]) -> dict[str, str]:
    """A form without files (sent so by a script, or a test): text only, within its limit."""
    body = bytearray()
    async for chunk in stream:
        body.extend(chunk)
        if len(body) > MAX_TEXT_BYTES * 2:
            raise UploadRefused(413, f"表单的文字超过 {size_text(MAX_TEXT_BYTES * 2)}")
    pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    if len(pairs) > MAX_FIELDS:
        raise UploadRefused(413, "表单里的项目太多；请在投稿页面上重新提交")
    return dict(pairs)


class _PartReader:
    """The parser's callbacks; a problem is kept and raised by `check` between chunks,
    since exceptions inside callbacks would surface as parse errors."""

    def __init__(
        self, received: Received, staging_parent: Path, media: MediaSettings, charset: str
    ) -> None:
        self.received = received
        self.staging_parent = staging_parent
        self.media = media
        self.charset = charset
        self.header_name = b""
        self.header_value = b""
        self.disposition = b""
        self.name = ""
        self.text = bytearray()
        self.upload: ReceivedFile | None = None
        self.out: BinaryIO | None = None
        self.skipping = False
        self.refusal: UploadRefused | None = None
        self.count = 0

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self.part_begin,
            "on_part_data": self.part_data,
            "on_part_end": self.part_end,
            "on_header_field": self.header_field,
            "on_header_value": self.header_value_data,
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
        }

    def check(self) -> None:
        if self.refusal is not None:
            raise self.refusal

    def refuse(self, status: int, message: str) -> None:
        if self.refusal is None:
            self.refusal = UploadRefused(status, message)
        self.skipping = True

    def close(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None

    def part_begin(self) -> None:
        self.disposition = b""
        self.text = bytearray()
        self.upload = None
        self.skipping = False
        self.count += 1
        if self.count > MAX_FIELDS:
            self.refuse(413, "表单里的项目太多；请在投稿页面上重新提交")

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def header_value_data(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def header_end(self) -> None:
        if self.header_name.lower() == b"content-disposition":
            self.disposition = self.header_value
        self.header_name = b""
        self.header_value = b""

    def headers_finished(self) -> None:
        if self.skipping:
            return
        _, options = parse_options_header(self.disposition)
        self.name = options.get(b"name", b"").decode(self.charset, "replace")
        if b"filename" not in options:
            return
        kind = file_kind(self.name)
        if kind is None:
            self.skipping = True  # a file in a field that takes none: not kept
            return
        if len(self.received.files) >= MAX_FILES:
            self.refuse(413, f"一次最多上传 {MAX_FILES} 个文件；请分几次保存")
            return
        sender = Path(options[b"filename"].decode(self.charset, "replace").replace("\\", "/"))
        extension = sender.suffix.lower()
        if self.received.staging is None:
            self.received.staging = self.staging_parent / f"{STAGING_PREFIX}{secrets.token_hex(6)}"
            self.received.staging.mkdir(parents=True)
        path = self.received.staging / secrets.token_hex(8)
        self.upload = ReceivedFile(self.name, kind, path, extension)
        self.out = path.open("xb")

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self.skipping:
            return
        chunk = data[start:end]
        if self.upload is None:
            if len(self.text) + len(chunk) > MAX_TEXT_BYTES:
                self.refuse(413, f"“{self.name}”一栏的文字超过 {size_text(MAX_TEXT_BYTES)}")
                return
            self.text.extend(chunk)
            return
        self.upload.size += len(chunk)
        limit = limit_of(self.upload.kind, self.media)
        if self.upload.size > limit:
            noun = NOUNS[self.upload.kind]
            self.refuse(
                413,
                f"{noun}文件超过上限 {size_text(limit)}（mkdocs.yml 的 extra.media），"
                f"没有保存；请压缩或剪短后再上传",
            )
            return
        assert self.out is not None
        self.out.write(chunk)

    def part_end(self) -> None:
        if self.skipping:
            return
        if self.upload is None:
            self.received.fields[self.name] = self.text.decode(self.charset, "replace")
            return
        self.close()
        self.received.files[self.name] = self.upload
        self.upload = None


def too_long(upload: ReceivedFile, media: MediaSettings) -> str | None:
    """Why a complete video or audio upload is refused for its length; None when it is not
    (a file ffmpeg cannot read is left for the story's check, which says so at its field)."""
    if upload.kind not in ("video", "audio"):
        return None
    try:
        facts = ffmpeg.probe(upload.path, media.ffmpeg_timeout_seconds, media.max_video_pixels)
    except MediaError:
        return None
    seconds = facts.get("duration") or 0
    limit = media.max_video_seconds if upload.kind == "video" else media.max_audio_seconds
    if seconds <= limit:
        return None
    noun = NOUNS[upload.kind]
    return (
        f"{noun}长 {_minutes(seconds)}，超过上限 {_minutes(limit)}（mkdocs.yml 的 extra.media），"
        "没有保存；请剪短后再上传"
    )


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60} 分 {whole % 60:02d} 秒"


def extension_for(upload: ReceivedFile) -> str:
    sniffed = SNIFFED_EXTENSIONS.get(sniff(upload.path))
    if sniffed and upload.kind == "image":
        return sniffed
    if upload.extension in SENDER_EXTENSIONS[upload.kind]:
        return upload.extension
    return FALLBACK_EXTENSIONS[upload.kind]


def place(upload: ReceivedFile, folder: Path, stem: str) -> Path:
    """Move a finished upload into the story folder under `<stem>-<random><extension>`."""
    target = folder / f"{stem}-{secrets.token_hex(4)}{extension_for(upload)}"
    upload.path.rename(target)
    return target
