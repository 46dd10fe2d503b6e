"""Media files for the tests, made at run time: camera photos, hostile files, short clips.

Also readers that look inside what the site publishes: the metadata segments of a JPEG,
WebP or PNG, and the boxes of an MP4.
"""

from __future__ import annotations

import io
import random
import struct
import subprocess
import zlib
from pathlib import Path

from huatuopin.media import ffmpeg as media_ffmpeg
from PIL import Image, ImageDraw

GPS_IFD = 0x8825
ORIENTATION = 0x0112
# Made-up coordinates: 34°45'1.5"N 113°39'8.2"E.
GPS = {1: "N", 2: (34.0, 45.0, 1.5), 3: "E", 4: (113.0, 39.0, 8.2)}
MARKER = (230, 20, 20)  # a red square in the upright picture's top-left corner


def upright_scene(size: tuple[int, int] = (4000, 3000), seed: int = 1) -> Image.Image:
    """A landscape picture with a red square at the top left, so orientation can be checked."""
    width, height = size
    small = Image.new("RGB", (max(8, width // 10), max(6, height // 10)), (90, 140, 200))
    draw = ImageDraw.Draw(small)
    rng = random.Random(seed)
    sw, sh = small.size
    draw.rectangle([0, sh // 2, sw, sh], fill=(120, 110, 70))
    for _ in range(12):
        x, y = rng.randrange(sw), rng.randrange(sh // 3, sh)
        draw.rectangle([x, y, x + sw // 10, y + sh // 12], fill=(rng.randrange(256), 90, 60))
    image = small.resize(size, Image.Resampling.BICUBIC)
    ImageDraw.Draw(image).rectangle([0, 0, width // 5, height // 5], fill=MARKER)
    return image


def camera_jpeg(
    size: tuple[int, int] = (4000, 3000),
    *,
    orientation: int = 6,
    gps: bool = True,
    quality: int = 88,
    seed: int = 1,
    icc_profile: bytes | None = None,
) -> bytes:
    """A JPEG the way a phone writes one: pixels stored sideways for orientation 6, the
    orientation flag, a camera make and GPS coordinates in EXIF."""
    image = upright_scene(size, seed)
    stored = image.transpose(Image.Transpose.ROTATE_90) if orientation == 6 else image
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "TestCam"
    exif[0x0110] = "TestPhone 12"
    if gps:
        exif.get_ifd(GPS_IFD).update(GPS)
    buffer = io.BytesIO()
    options = {"quality": quality, "exif": exif.tobytes()}
    if icc_profile:
        options["icc_profile"] = icc_profile
    stored.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def small_jpeg(
    size: tuple[int, int] = (640, 480), color: tuple[int, int, int] = (40, 120, 200)
) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def image_bytes(fmt: str, size: tuple[int, int] = (320, 240), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (10, 200, 60) if mode == "RGB" else None).save(buffer, fmt)
    return buffer.getvalue()


# -- hostile files -------------------------------------------------------------------------------


def png_bomb(width: int = 30000, height: int = 30000) -> bytes:
    """A tiny PNG that decodes to `width`×`height` one-bit pixels: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    data = camera_jpeg((1200, 900), orientation=1, gps=False)
    return data[: len(data) * 2 // 3]


def text_as_jpeg() -> bytes:
    return "这不是照片，是一段文字。\nThis is not a photo.\n".encode()


HEIC_HEAD = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64


# -- video and audio -----------------------------------------------------------------------------


def ffmpeg(*args: str, timeout: float = 120) -> None:
    command = [media_ffmpeg.executable(), "-hide_banner", "-nostdin", "-v", "error", "-y", *args]
    subprocess.run(command, check=True, timeout=timeout)


def make_video(
    path: Path,
    *,
    size: str = "1280x720",
    seconds: float = 2,
    audio: bool = True,
    location: bool = True,
    rotate: int | None = None,
) -> Path:
    """A short H.264 clip (test pattern and a tone) with a location tag, as phones write."""
    args = ["-f", "lavfi", "-i", f"testsrc=size={size}:rate=15:duration={seconds}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    if audio:
        args += ["-c:a", "aac", "-shortest"]
    if location:
        args += ["-metadata", "location=+34.7504+113.6523/", "-metadata", "make=TestPhone"]
    if rotate is not None:
        args += ["-metadata:s:v:0", f"rotate={rotate}"]
    ffmpeg(*args, str(path))
    return path


def make_audio(path: Path, *, seconds: float = 2, video: bool = False) -> Path:
    """An M4A recording with a title and a location tag; `video` adds a picture stream."""
    args = ["-f", "lavfi", "-i", f"sine=frequency=660:duration={seconds}"]
    if video:
        args += ["-f", "lavfi", "-i", f"testsrc=size=320x240:rate=10:duration={seconds}"]
        args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    args += ["-c:a", "aac", "-metadata", "title=快板", "-metadata", "location=+34.75+113.65/"]
    ffmpeg(*args, str(path))
    return path


# -- looking inside published files -----------------------------------------------------------


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) of every segment before the image data."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    segments = []
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            raise AssertionError(f"bad JPEG marker at {position}")
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: metadata comes before it
            break
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        segments.append((marker, data[position + 4 : position + 2 + length]))
        position += 2 + length
    return segments


def riff_chunks(data: bytes) -> list[bytes]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP", "not a WebP"
    chunks = []
    position = 12
    while position + 8 <= len(data):
        kind = data[position : position + 4]
        size = struct.unpack("<I", data[position + 4 : position + 8])[0]
        chunks.append(kind)
        position += 8 + size + (size & 1)
    return chunks


def png_chunks(data: bytes) -> list[bytes]:
    chunks = []
    position = 8
    while position + 8 <= len(data):
        size = struct.unpack(">I", data[position : position + 4])[0]
        chunks.append(data[position + 4 : position + 8])
        position += 12 + size
    return chunks


def image_metadata(path: Path) -> list[str]:
    """Every metadata block in an image file (EXIF, XMP, ICC, comments, text); [] if clean."""
    data = path.read_bytes()
    found: list[str] = []
    if data[:2] == b"\xff\xd8":
        for marker, payload in jpeg_segments(data):
            if marker == 0xE1:
                found.append("EXIF" if payload.startswith(b"Exif") else "XMP/APP1")
            elif marker == 0xE2:
                found.append("ICC/APP2")
            elif marker == 0xFE:
                found.append("comment")
            elif 0xE3 <= marker <= 0xEF:
                found.append(f"APP{marker - 0xE0}")
    elif data[:4] == b"RIFF":
        found += [c.decode() for c in riff_chunks(data) if c in (b"EXIF", b"XMP ", b"ICCP")]
    elif data[:8] == b"\x89PNG\r\n\x1a\n":
        meta = {b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"iCCP"}
        found += [c.decode() for c in png_chunks(data) if c in meta]
    with Image.open(path) as image:
        if image.getexif():
            found.append("EXIF tags")
    return found


def mp4_boxes(data: bytes) -> list[bytes]:
    """The top-level boxes of an MP4/M4A file, in order."""
    boxes = []
    position = 0
    while position + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[position : position + 8])
        if size == 1:
            size = struct.unpack(">Q", data[position + 8 : position + 16])[0]
        elif size == 0:
            size = len(data) - position
        boxes.append(kind)
        position += size
    return boxes


LOCATION_MARKERS = (b"\xa9xyz", b"location", b"loci", b"+34.75")


def mp4_location(data: bytes) -> list[bytes]:
    """Location tags (QuickTime ©xyz, 3GPP loci, a `location` key) found anywhere."""
    return [marker for marker in LOCATION_MARKERS if marker in data]
