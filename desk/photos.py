"""Photos as phones send them: HEIC/HEIF (iPhone) turned into JPEG beside the upload, so the
site's own photo pipeline (which takes JPEG, PNG and WebP) handles them like any other photo.

The type is sniffed from the bytes (huatuopin.media.sniff): an upload's name says nothing.
The size and pixel count are checked against the site's limits (mkdocs.yml `extra.media`)
before a single pixel is decoded, as the build does.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

import pillow_heif
from huatuopin.media.images import ORIENTATION_TAG, pixel_limit
from huatuopin.media.settings import MediaSettings
from huatuopin.media.sniff import sniff
from PIL import Image

JPEG_QUALITY = 90
JPEG_SUFFIX = ".jpg"
# Only this process (the desk) reads HEIF; the build never registers it and still refuses it.
pillow_heif.register_heif_opener()


class ConversionError(Exception):
    """Why an upload could not be converted, in one Chinese sentence for the contributor."""


def normalise_upload(path: Path, *, settings: MediaSettings | None = None) -> Path:
    """The photo to reference in index.md for the upload at `path`.

    A HEIC/HEIF photo becomes a JPEG beside it (quality 90, its EXIF kept: the build applies
    the orientation and strips GPS with everything else) and the original is removed; any
    other file is returned as it is, for the story's checks to judge. A broken or oversized
    HEIC raises ConversionError and is left where it is.
    """
    limits = settings or MediaSettings()
    if sniff(path) != "heif":
        return path
    size = path.stat().st_size
    if size > limits.max_image_bytes:
        raise ConversionError(
            f"这张 HEIC 照片有 {size / 1024 / 1024:.1f} MB，超过照片上限 "
            f"{limits.max_image_mb:g} MB；请在手机上把它导出为较小的 JPEG 后再上传"
        )
    jpeg = _jpeg_bytes(path, limits.max_image_pixels)
    target = _free_name(path)
    _write_atomically(target, jpeg)
    if target != path:
        path.unlink()
    return target


def _jpeg_bytes(path: Path, max_pixels: int) -> bytes:
    try:
        with pixel_limit(max_pixels):
            image = _open_header(path)
            with image:
                width, height = image.size
                if width * height > max_pixels:
                    raise ConversionError(
                        f"这张 HEIC 照片有 {width}×{height} 像素，超过上限 "
                        f"{max_pixels / 1e6:.0f} 百万像素；请在手机上把它导出为较小的 JPEG 后再上传"
                    )
                image.load()
                # libheif turns the pixels upright while decoding (the HEIF transforms) and
                # pillow-heif sets the EXIF orientation to 1 to match; written as it is,
                # the build does not turn the photo a second time.
                exif = image.getexif()
                if exif.get(ORIENTATION_TAG, 1) != 1:
                    exif[ORIENTATION_TAG] = 1
                options: dict[str, object] = {"quality": JPEG_QUALITY}
                if exif:
                    options["exif"] = exif.tobytes()
                icc = image.info.get("icc_profile")
                if icc:  # Display P3 from iPhones: the build converts it to sRGB
                    options["icc_profile"] = icc
                rgb = image if image.mode in ("RGB", "L") else image.convert("RGB")
                buffer = io.BytesIO()
                rgb.save(buffer, "JPEG", **options)
                return buffer.getvalue()
    except ConversionError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ConversionError(
            "这张 HEIC 照片的像素数超过上限，无法处理；请在手机上把它导出为 JPEG 后再上传"
        ) from error
    except MemoryError as error:
        raise ConversionError(
            "这张 HEIC 照片太大，处理时内存不足；请导出为 JPEG 后再上传"
        ) from error
    except Exception as error:  # libheif's and Pillow's failures on a damaged file
        raise ConversionError(
            "这张 HEIC 照片已损坏或没有传完整，无法读取；请在手机相册里重新选择这张照片，"
            "或先导出为 JPEG 再上传"
        ) from error


def _open_header(path: Path) -> Image.Image:
    """The HEIF container read, nothing decoded; Pillow's own guard (which would refuse
    without saying the size) is off for this one call: the caller checks the pixel count."""
    guard, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        return Image.open(path, formats=["HEIF"])
    finally:
        Image.MAX_IMAGE_PIXELS = guard


def _free_name(path: Path) -> Path:
    """`photo.jpg` beside `photo.heic`, or `photo-2.jpg` … when another upload has that name;
    the upload's own path when it already ends in .jpg (a HEIC sent as .jpg)."""
    if path.suffix.lower() == JPEG_SUFFIX:
        return path
    candidate = path.with_suffix(JPEG_SUFFIX)
    number = 2
    while candidate.exists() or candidate.is_symlink():
        candidate = path.with_name(f"{path.stem}-{number}{JPEG_SUFFIX}")
        number += 1
    return candidate


def _write_atomically(target: Path, data: bytes) -> None:
    """A reader never sees half a JPEG: written under a temporary name, then renamed."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".convert-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
