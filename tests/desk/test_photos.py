"""Photos from a phone's album: HEIC becomes a JPEG the build publishes upright, the rest is
left for the story's checks."""

from __future__ import annotations

from pathlib import Path

import mediakit
import pytest
from huatuopin.media.images import decode_for_web, probe_image
from huatuopin.media.settings import MediaSettings
from huatuopin.media.sniff import sniff
from PIL import Image

from desk.photos import ConversionError, normalise_upload

RED_ENOUGH = 180


def top_left_is_marker(image: Image.Image) -> bool:
    red, green, blue = image.convert("RGB").getpixel((5, 5))[:3]
    return red > RED_ENOUGH and green < 80 and blue < 80


def test_a_heic_becomes_a_jpeg_beside_it_and_the_build_shows_it_upright(tmp_path: Path) -> None:
    upload = tmp_path / "u-1.heic"
    upload.write_bytes(mediakit.camera_heic((1600, 1200), orientation=6))

    result = normalise_upload(upload)

    assert result == tmp_path / "u-1.jpg"
    assert not upload.exists()
    assert sniff(result) == "jpeg"
    # What the build does with it: probed as a 1600×1200 landscape, decoded upright.
    facts = probe_image(result, MediaSettings().max_image_pixels)
    assert (facts["width"], facts["height"], facts["verified"]) == (1600, 1200, True)
    web = decode_for_web(result, MediaSettings().max_image_pixels, 1600)
    assert web.size == (1600, 1200)
    assert top_left_is_marker(web)


def test_the_heics_exif_is_kept_for_the_build_to_strip(tmp_path: Path) -> None:
    upload = tmp_path / "u-2.heic"
    upload.write_bytes(mediakit.camera_heic((640, 480)))

    with Image.open(normalise_upload(upload)) as converted:
        exif = converted.getexif()
        assert exif.get(0x0110) == "iPhone 12"
        assert dict(exif.get_ifd(mediakit.GPS_IFD))  # GPS still there: the build strips it
        assert exif.get(mediakit.ORIENTATION, 1) == 1  # the pixels are upright already


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.jpg", mediakit.camera_jpeg((400, 300))),
        ("b.png", mediakit.image_bytes("PNG")),
        ("c.heic", mediakit.small_jpeg()),  # a JPEG with a HEIC name: judged by its bytes
        ("d.heic", mediakit.text_as_jpeg()),  # not a photo: the story's checks say so
    ],
)
def test_other_files_are_returned_untouched(tmp_path: Path, name: str, data: bytes) -> None:
    upload = tmp_path / name
    upload.write_bytes(data)

    assert normalise_upload(upload) == upload
    assert upload.read_bytes() == data


def test_a_heic_with_a_jpeg_name_is_converted_in_place(tmp_path: Path) -> None:
    upload = tmp_path / "u-3.jpg"
    upload.write_bytes(mediakit.camera_heic((640, 480)))

    assert normalise_upload(upload) == upload
    assert sniff(upload) == "jpeg"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["u-3.jpg"]


def test_a_jpeg_already_there_is_not_overwritten(tmp_path: Path) -> None:
    other = tmp_path / "u-4.jpg"
    other.write_bytes(mediakit.small_jpeg())
    upload = tmp_path / "u-4.heic"
    upload.write_bytes(mediakit.camera_heic((640, 480)))

    assert normalise_upload(upload) == tmp_path / "u-4-2.jpg"
    assert other.read_bytes() == mediakit.small_jpeg()


def test_a_truncated_heic_is_refused_in_chinese_and_left_alone(tmp_path: Path) -> None:
    data = mediakit.camera_heic((640, 480))
    upload = tmp_path / "u-5.heic"
    upload.write_bytes(data[: len(data) // 2])

    with pytest.raises(ConversionError, match="HEIC 照片已损坏或没有传完整"):
        normalise_upload(upload)

    assert upload.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["u-5.heic"]  # no partial JPEG


def test_too_many_pixels_are_refused_before_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload = tmp_path / "u-6.heic"
    upload.write_bytes(mediakit.camera_heic((1600, 1200)))

    def no_decoding(self: Image.Image) -> None:
        raise AssertionError("decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    with pytest.raises(ConversionError, match=r"1600×1200 像素，超过上限 1 百万像素"):
        normalise_upload(upload, settings=MediaSettings(max_image_megapixels=1))


def test_too_many_bytes_are_refused_before_reading(tmp_path: Path) -> None:
    upload = tmp_path / "u-7.heic"
    upload.write_bytes(mediakit.camera_heic((1600, 1200)))

    with pytest.raises(ConversionError, match="超过照片上限"):
        normalise_upload(upload, settings=MediaSettings(max_image_mb=0.001))


def test_a_heic_without_exif_becomes_a_jpeg_without_exif(tmp_path: Path) -> None:
    bare = tmp_path / "u-8.heic"
    mediakit.upright_scene((640, 480)).save(bare, "HEIF", quality=80)

    converted = normalise_upload(bare)

    assert mediakit.image_metadata(converted) == []
    with Image.open(converted) as image:
        assert image.size == (640, 480)
