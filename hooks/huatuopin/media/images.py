"""Photos: probing, and the responsive variants a phone downloads (Pillow).

Order matters for hostile files and for speed:

1. the pixel count is read from the header and checked before anything is decoded;
2. a JPEG is decoded with `Image.draft()` straight to the smallest DCT scale that is still at
   least as large as the biggest variant (a 4000×3000 photo decodes at 2000×1500);
3. the EXIF orientation is applied to the pixels after decoding;
4. colour is converted to sRGB with the embedded ICC profile (phones often use Display P3);
5. the variants are saved from a fresh image without any metadata: no EXIF, GPS, XMP, ICC,
   comments or maker notes can reach `site/`.
"""

from __future__ import annotations

import io
import math
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageCms, UnidentifiedImageError
from PIL import __version__ as PILLOW_VERSION

from .cache import atomic_write_bytes
from .records import MediaError
from .sniff import ACCEPTED_IMAGES, FORMAT_NAMES, STILL_IMAGES, sniff

PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
ORIENTATION_TAG = 0x0112
TRANSPOSED = {5, 6, 7, 8}  # orientations that swap width and height
# What turns each EXIF orientation upright (the table of ImageOps.exif_transpose, which also
# rewrites the EXIF block and can fail on a broken one: we drop that block anyway).
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
ACCEPTED_NAMES = "、".join(FORMAT_NAMES[f] for f in ACCEPTED_IMAGES)
# The largest side each encoder can write; every variant is written in both formats.
ENCODER_MAX_SIDE = {"WebP": 16383, "JPEG": 65535}
# What Pillow's decoders raise on broken input besides OSError: a damaged chunk or marker can
# surface as any of these, and none of them may end a build.
DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    TypeError,
    IndexError,
    KeyError,
    ZeroDivisionError,
    struct.error,
)


@dataclass(frozen=True)
class ImagePipeline:
    """The settings every derived image depends on; part of the cache key."""

    # 160 and 320: story cards' thumbnails at DPR 1 and 2 (a 480 variant would cost a
    # listing page several times the bytes for the same pixels on screen).
    widths: tuple[int, ...] = (160, 320, 480, 720, 1080, 1600)
    webp_quality: int = 72
    webp_method: int = 4
    jpeg_quality: int = 78
    # Skip a width this close to the original's: a 1000 px photo gets 480, 720 and 1000.
    min_step: float = 0.85
    # 2: variant heights from the original's size, as the check computes them.
    # 3: thumbnail widths 160 and 320.
    version: int = 3

    @property
    def signature(self) -> str:
        return (
            f"image v{self.version} widths={self.widths} webp={self.webp_quality}/"
            f"{self.webp_method} jpeg={self.jpeg_quality} step={self.min_step} "
            f"pillow={PILLOW_VERSION}"
        )

    def widths_for(self, width: int) -> list[int]:
        """The variant widths of an image `width` pixels wide: never wider than it."""
        largest = min(width, self.widths[-1])
        chosen = [w for w in self.widths if w < largest and w <= largest * self.min_step]
        return [*chosen, largest]

    def sizes_for(self, width: int, height: int) -> list[tuple[int, int]]:
        """The size of every variant of an upright `width`×`height` image, smallest first.

        A very wide strip gets variants 1 px tall (a 100000×200 panorama is 480×1 at 480);
        a very tall one keeps its height up to the largest width (200×20000 stays 200×20000).
        """
        return [(w, max(1, round(height * w / width))) for w in self.widths_for(width)]


DEFAULT_PIPELINE = ImagePipeline()


@contextmanager
def pixel_limit(max_pixels: int) -> Iterator[None]:
    """Pillow's own decompression-bomb guard at our limit, as an error, for this block.

    Pillow's notes on damaged metadata ("Corrupt EXIF data", "Tag data larger than file") are
    dropped: MkDocs would print them in the build's log with a stack, as if it had crashed,
    and the metadata is thrown away anyway.
    """
    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS = previous


def too_large_to_write(
    width: int, height: int, pipeline: ImagePipeline | None = None
) -> MediaError | None:
    """Why the variants of an upright `width`×`height` image cannot be written, if they cannot.

    Judged on the sizes the encoder will be given, not on the original's: a 20000×100 panorama
    is published 1600×8 and is fine; a 200×20000 strip is not made any smaller.
    """
    pipeline = pipeline or DEFAULT_PIPELINE
    sizes = pipeline.sizes_for(width, height)
    widest = max(w for w, _ in sizes)
    tallest = max(h for _, h in sizes)
    for fmt, limit in sorted(ENCODER_MAX_SIDE.items(), key=lambda item: item[1]):
        if widest > limit or tallest > limit:
            return MediaError(
                f"有 {width}×{height} 像素，形状太细长：网页上最大的一张是 {widest}×{tallest} "
                f"像素，超过 {fmt} 格式每边最多 {limit} 像素的限制；请把长图裁成几张，"
                f"或等比缩小到每边不超过 {limit} 像素后再放入"
            )
    return None


def not_an_image(kind: str) -> MediaError:
    if kind == "empty":
        return MediaError("是空文件（0 字节）；请重新复制照片原图")
    if kind == "text":
        return MediaError(f"不是图片，而是一个文本文件；请换成照片原图（{ACCEPTED_NAMES}）")
    if kind in STILL_IMAGES:
        return MediaError(
            f"是 {FORMAT_NAMES[kind]} 格式，网站只接受 {ACCEPTED_NAMES} 照片；"
            "请用手机或电脑把它另存为 JPEG 后再放进文件夹"
        )
    if kind == "isobmff":
        return MediaError("是视频或音频文件，不是照片；视频请写在 videos: 下，音频写在 audios: 下")
    if kind in FORMAT_NAMES:
        return MediaError(f"是{FORMAT_NAMES[kind]}，不是照片；请换成 {ACCEPTED_NAMES} 照片")
    return MediaError(f"无法识别为图片（文件可能已损坏）；请换成照片原图（{ACCEPTED_NAMES}）")


def _open(path: Path, max_pixels: int) -> Image.Image:
    kind = sniff(path)
    if kind not in ACCEPTED_IMAGES:
        raise not_an_image(kind)
    # Opening reads the header only; the caller checks the pixel count before decoding,
    # so Pillow's own check (which knows no sizes to report) is off for this one call.
    guard, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        image = Image.open(path, formats=[PIL_FORMATS[kind]])
    except (UnidentifiedImageError, *DECODE_ERRORS) as error:
        raise MediaError(
            f"看起来是 {FORMAT_NAMES[kind]}，但文件头已损坏，无法读取（{error}）；请重新导出照片"
        ) from error
    finally:
        Image.MAX_IMAGE_PIXELS = guard
    return image


def too_many_pixels(width: int, height: int, max_pixels: int) -> MediaError:
    return MediaError(
        f"有 {width}×{height} 像素（{width * height / 1e6:.0f} 百万像素），超过上限 "
        f"{max_pixels / 1e6:.0f} 百万像素；请缩小（例如长边 6000 像素）后再放入。"
        "像素数异常大的文件也可能是恶意的“解压炸弹”"
    )


def probe_image(path: Path, max_pixels: int) -> dict[str, Any]:
    """What the file is, read without decoding more than a 1/8-scale preview.

    A file over the pixel limit is not decoded at all (`verified` stays False); a truncated
    or corrupt one raises MediaError.
    """
    with pixel_limit(max_pixels):
        image = _open(path, max_pixels)
        with image:
            width, height = image.size
            orientation = _orientation(image)
            facts: dict[str, Any] = {
                "format": image.format,
                "stored": [width, height],
                "orientation": orientation,
                "width": height if orientation in TRANSPOSED else width,
                "height": width if orientation in TRANSPOSED else height,
                "verified": False,
            }
            if width * height > max_pixels:
                return facts
            try:
                if image.format == "JPEG":
                    image.draft(None, (max(1, width // 8), max(1, height // 8)))
                image.load()
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise too_many_pixels(width, height, max_pixels) from None
            except DECODE_ERRORS as error:
                raise broken(image.format or "", error) from error
    facts["verified"] = True
    return facts


def broken(fmt: str, error: BaseException) -> MediaError:
    detail = str(error)
    if "truncated" in detail:
        return MediaError(
            f"图片文件不完整（{fmt} 数据被截断，可能没有复制完）；请重新复制或导出照片原图"
        )
    return MediaError(f"图片数据已损坏，无法解码（{detail}）；请重新复制或导出照片原图")


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(ORIENTATION_TAG, 1)
    except Exception:  # a broken EXIF block is ignored, as browsers do
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


# -- variants ------------------------------------------------------------------------------


def decode_for_web(path: Path, max_pixels: int, target_width: int) -> Image.Image:
    """The image upright, in sRGB, without metadata, at least `target_width` wide if it
    can be (JPEGs are DCT-scaled while decoding)."""
    return _decode(path, max_pixels, target_width)[0]


def _decode(path: Path, max_pixels: int, target_width: int) -> tuple[Image.Image, tuple[int, int]]:
    """`decode_for_web`, and the upright size of the original (before any DCT scaling)."""
    with pixel_limit(max_pixels):
        image = _open(path, max_pixels)
        with image:
            width, height = image.size
            if width * height > max_pixels:
                raise too_many_pixels(width, height, max_pixels)
            orientation = _orientation(image)
            upright = (height, width) if orientation in TRANSPOSED else (width, height)
            scale = min(1.0, target_width / upright[0])
            try:
                if image.format == "JPEG" and scale < 1.0:
                    # The size wanted, in the stored (not yet rotated) orientation.
                    image.draft(None, (math.ceil(width * scale), math.ceil(height * scale)))
                image.load()
                icc = image.info.get("icc_profile")
                turned = image.transpose(UPRIGHT[orientation]) if orientation != 1 else image
                return _clean(_to_srgb(turned, icc)), upright
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise too_many_pixels(width, height, max_pixels) from None
            except DECODE_ERRORS as error:
                raise broken(image.format or "", error) from error


_SRGB = ImageCms.createProfile("sRGB")


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    if image.mode.startswith("I;16") or image.mode == "I":
        # 16-bit grey (scanners, some PNG exports): scaled to 8 bits, not clipped to white.
        image = image.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba).convert("RGB")
    # Grey stays grey: its profile would only shift the tone curve.
    if icc and image.mode in ("RGB", "CMYK"):
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            description = ImageCms.getProfileDescription(profile) or ""
            if "srgb" not in description.lower():
                converted = ImageCms.profileToProfile(image, profile, _SRGB, outputMode="RGB")
                if converted is not None:
                    return converted
        except (OSError, ImageCms.PyCMSError, TypeError, ValueError):
            pass  # an unreadable profile: fall back to a plain conversion
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    return image


def _clean(image: Image.Image) -> Image.Image:
    """A copy that carries pixels only: nothing in `info` can be written back out."""
    fresh = Image.new(image.mode, image.size)
    fresh.paste(image)
    fresh.info = {}
    return fresh


def encode(image: Image.Image, fmt: str, pipeline: ImagePipeline) -> bytes:
    buffer = io.BytesIO()
    image.info = {}  # nothing to write back: no EXIF, ICC, XMP or comment
    if fmt == "webp":
        image.save(buffer, "WEBP", quality=pipeline.webp_quality, method=pipeline.webp_method)
    else:
        image.save(buffer, "JPEG", quality=pipeline.jpeg_quality, optimize=True, progressive=True)
    return buffer.getvalue()


@dataclass(frozen=True)
class ImageJob:
    """Make every variant of one source; runs in a worker process."""

    src: str
    key: str
    files_dir: str
    max_pixels: int
    pipeline: ImagePipeline = DEFAULT_PIPELINE

    @property
    def digest(self) -> str:
        return self.key[:16]


def run_image_job(job: ImageJob) -> dict[str, Any]:
    """Writes the variants into the cache's files folder; returns the entry's manifest."""
    pipeline = job.pipeline
    image, (width, height) = _decode(Path(job.src), job.max_pixels, pipeline.widths[-1])
    # Checked when the story was loaded; again here, for a file replaced since.
    unwritable = too_large_to_write(width, height, pipeline)
    if unwritable:
        raise unwritable
    files_dir = Path(job.files_dir)
    variants = []
    current = image
    # Sizes from the original's, as the check computed them, not from a DCT-scaled decode.
    for target, target_height in reversed(pipeline.sizes_for(width, height)):
        if current.size != (target, target_height):
            current = current.resize((target, target_height), Image.Resampling.LANCZOS)
        for fmt, ext in (("webp", "webp"), ("jpeg", "jpg")):
            name = f"{job.digest}-{target}.{ext}"
            atomic_write_bytes(files_dir / name, encode(current, fmt, pipeline))
            variants.append({"name": name, "width": target, "height": target_height, "format": fmt})
    variants.sort(key=lambda v: (v["format"], v["width"]))
    return {
        "kind": "image",
        "variants": variants,
        "files": [v["name"] for v in variants],
    }
