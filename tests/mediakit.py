"""Media files for the tests, made at run time: camera photos, hostile files, short clips.

Also readers that look inside what the site publishes: the metadata segments of a JPEG,
WebP or PNG, and the boxes of an MP4.
"""

from __future__ import annotations

import functools
import io
import math
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


# Each maker returns the same bytes for the same arguments; the expensive ones remember them
# for the rest of the test process (`functools.cache`), and so do the video and audio makers
# (`_generated`): tests ask for the same files again and again.


@functools.cache
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


@functools.cache
def camera_heic(
    size: tuple[int, int] = (1600, 1200), *, orientation: int = 6, gps: bool = True
) -> bytes:
    """A HEIC photo as an iPhone writes one: pixels stored sideways for orientation 6 with
    the orientation and GPS coordinates in EXIF (pillow-heif writes the turn as a HEIF
    transform too, as iPhones do)."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    image = upright_scene(size)
    stored = image.transpose(Image.Transpose.ROTATE_90) if orientation == 6 else image
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 12"
    if gps:
        exif.get_ifd(GPS_IFD).update(GPS)
    buffer = io.BytesIO()
    stored.save(buffer, "HEIF", quality=80, exif=exif.tobytes())
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


@functools.cache
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


def jpeg_with_shifted_exif() -> bytes:
    """A phone photo (orientation 6) whose EXIF block was damaged by a bad copy: bytes slipped
    in after the camera model, so the GPS directory is read from the wrong place. Pillow reads
    it, but cannot write such a block back out (`ImageOps.exif_transpose` raises TypeError)."""
    data = camera_jpeg((64, 48), orientation=6)
    model = data.index(b"TestPhone") + len(b"TestPhone")
    return data[:model] + b"junkjunkjunk" + data[model:]


def jpeg_with_oversized_exif_tag() -> bytes:
    """A photo (orientation 6) whose EXIF names a camera model stored past the block's end:
    Pillow skips the tag with a UserWarning while opening the file."""
    entries = [(0x0112, 3, 1, struct.pack(">HH", 6, 0)), (0x0110, 2, 40, struct.pack(">I", 0xFFF0))]
    ifd = struct.pack(">H", len(entries))
    ifd += b"".join(
        struct.pack(">HHI", tag, kind, count) + value for tag, kind, count, value in entries
    )
    exif = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08" + ifd + struct.pack(">I", 0)
    buffer = io.BytesIO()
    upright_scene((64, 48)).transpose(Image.Transpose.ROTATE_90).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def grey16_png(level: int, size: tuple[int, int] = (64, 48)) -> bytes:
    """A 16-bit greyscale PNG (as scanners write), every pixel at `level` of 65535."""
    buffer = io.BytesIO()
    Image.new("I;16", size, level).save(buffer, "PNG")
    return buffer.getvalue()


@functools.cache
def strip_png(size: tuple[int, int]) -> bytes:
    """A panorama or a long strip: a grey PNG of any shape, small on disk."""
    buffer = io.BytesIO()
    Image.new("L", size, 128).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


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
    return _generated(path, args)


def make_audio(path: Path, *, seconds: float = 2, video: bool = False) -> Path:
    """An M4A recording with a title and a location tag; `video` adds a picture stream."""
    args = ["-f", "lavfi", "-i", f"sine=frequency=660:duration={seconds}"]
    if video:
        args += ["-f", "lavfi", "-i", f"testsrc=size=320x240:rate=10:duration={seconds}"]
        args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    args += ["-c:a", "aac", "-metadata", "title=快板", "-metadata", "location=+34.75+113.65/"]
    return _generated(path, args)


_GENERATED: dict[tuple[str, ...], bytes] = {}


def _generated(path: Path, args: list[str]) -> Path:
    """`ffmpeg args path`, or the bytes it wrote last time for the same arguments and kind of
    file: ffmpeg's test sources and encoders make the same file every time."""
    key = (path.suffix.lower(), *args)
    if key in _GENERATED:
        path.write_bytes(_GENERATED[key])
    else:
        ffmpeg(*args, str(path))
        _GENERATED[key] = path.read_bytes()
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


# -- lying and broken video files ---------------------------------------------------------------

_CONTAINER_BOXES = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts"}


def mp4_box_tree(data: bytes, start: int = 0, end: int | None = None) -> list[tuple[bytes, int]]:
    """(kind, offset) of every box, depth first, descending into the boxes that hold boxes."""
    end = len(data) if end is None else end
    found = []
    position = start
    while position + 8 <= end:
        size, kind = struct.unpack(">I4s", data[position : position + 8])
        if size < 8:
            break
        found.append((kind, position))
        if kind in _CONTAINER_BOXES:
            found += mp4_box_tree(data, position + 8, position + size)
        position += size
    return found


def _tracks(data: bytes) -> list[tuple[bytes, list[tuple[bytes, int]]]]:
    """(handler type, boxes) of each `trak`, e.g. (b"vide", […])."""
    tracks: list[tuple[bytes, list[tuple[bytes, int]]]] = []
    for kind, position in mp4_box_tree(data):
        if kind == b"trak":
            tracks.append((b"", []))
        elif tracks:
            handler, boxes = tracks[-1]
            if kind == b"hdlr":
                handler = data[position + 16 : position + 20]
            tracks[-1] = (handler, [*boxes, (kind, position)])
    return tracks


def lie_about_duration(data: bytes, seconds: float) -> bytes:
    """The same MP4 with every duration field of its headers (`mvhd`, `tkhd`, `mdhd`) rewritten
    to `seconds`; the samples, and so what a player shows, are untouched. Version-0 boxes."""
    out = bytearray(data)
    boxes = mp4_box_tree(data)
    movie = next(position for kind, position in boxes if kind == b"mvhd")
    movie_scale = struct.unpack(">I", data[movie + 20 : movie + 24])[0]
    for kind, position in boxes:
        assert kind not in (b"mvhd", b"tkhd", b"mdhd") or data[position + 8] == 0, "version 1"
        if kind == b"mvhd":
            struct.pack_into(">I", out, position + 24, round(seconds * movie_scale))
        elif kind == b"tkhd":
            struct.pack_into(">I", out, position + 28, round(seconds * movie_scale))
        elif kind == b"mdhd":
            scale = struct.unpack(">I", data[position + 20 : position + 24])[0]
            struct.pack_into(">I", out, position + 24, round(seconds * scale))
    return bytes(out)


def trim_with_edit_list(data: bytes, seconds: float) -> bytes:
    """The same MP4 with every track's edit list cut to `seconds`: all the samples stay in
    the file, but a player shows only the first `seconds` (how some editors trim a clip
    without re-encoding it)."""
    out = bytearray(data)
    boxes = mp4_box_tree(data)
    movie = next(position for kind, position in boxes if kind == b"mvhd")
    movie_scale = struct.unpack(">I", data[movie + 20 : movie + 24])[0]
    edits = [position for kind, position in boxes if kind == b"elst"]
    assert edits, "no edit list to trim"
    for position in edits:
        assert data[position + 8] == 0, "version 1"
        struct.pack_into(">I", out, position + 16, round(seconds * movie_scale))
    return bytes(out)


def empty_track(data: bytes, handler: bytes = b"vide") -> bytes:
    """The same MP4 with the samples of its `handler` track taken out: the stream is
    declared (codec, size) but holds no frame."""
    out = bytearray(data)
    for kind_of_track, boxes in _tracks(data):
        if kind_of_track != handler:
            continue
        for kind, position in boxes:
            if kind in (b"stts", b"stsc", b"stco", b"co64", b"stss", b"ctts"):
                struct.pack_into(">I", out, position + 12, 0)  # entry count
            elif kind == b"stsz":
                struct.pack_into(">II", out, position + 12, 0, 0)  # sample size and count
        return bytes(out)
    raise ValueError(f"no {handler!r} track")


def rotate(data: bytes, degrees: int) -> bytes:
    """The same MP4 with a display rotation in its video track's matrix, as phones write
    it for a video filmed upright (the pixels stay stored sideways)."""
    radians = math.radians(-degrees)
    cos, sin = round(math.cos(radians)), round(math.sin(radians))
    fixed = [cos << 16, -sin << 16, 0, sin << 16, cos << 16, 0, 0, 0, 1 << 30]
    out = bytearray(data)
    for handler, boxes in _tracks(data):
        if handler == b"vide":
            tkhd = next(position for kind, position in boxes if kind == b"tkhd")
            struct.pack_into(">9i", out, tkhd + 48, *fixed)
            return bytes(out)
    raise ValueError("no video track")


def video_claiming_size(path: Path, width: int, height: int) -> Path:
    """A tiny AVI of raw 16×16 frames whose headers claim `width`×`height`: nothing to decode
    at that size, but a probe that trusts the header sees a huge picture."""
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=16x16:rate=5:duration=1",
        "-c:v", "rawvideo", "-pix_fmt", "bgr24", str(path),
    )  # fmt: skip
    data = bytearray(path.read_bytes())
    header = data.find(b"avih")
    struct.pack_into("<II", data, header + 8 + 32, width, height)
    stream_format = data.find(b"strf")
    struct.pack_into("<ii", data, stream_format + 12, width, height)
    path.write_bytes(bytes(data))
    return path


def video_with_fake_stream(path: Path) -> Path:
    """A Matroska video with a metadata key that holds a line break and, after it, text that
    looks like ffmpeg's line for a stream: `  Stream #0:0: Video: h264, 16x16` (the real
    stream is 320×240). ffmpeg prints keys as they are, so its report shows two streams #0:0."""
    placeholder = "__STREAM_#0:0:_VIDEO:_H264,_16X16"  # what the muxer makes of the text
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=320x240:rate=5:duration=1",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-metadata", f"comment\n{placeholder}=x", "-f", "matroska", str(path),
    )  # fmt: skip
    data = path.read_bytes()
    assert data.count(placeholder.encode()) == 1
    path.write_bytes(data.replace(placeholder.encode(), b"  Stream #0:0: Video: h264, 16x16"))
    return path
