"""Photo variants: upright, without metadata, sRGB, never upscaled, decoded at reduced size."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import mediakit
import pytest
from huatuopin.media.check import facts_message
from huatuopin.media.images import (
    DEFAULT_PIPELINE,
    ImageJob,
    decode_for_web,
    probe_image,
    run_image_job,
)
from huatuopin.media.records import MediaError
from huatuopin.media.settings import MediaSettings
from PIL import Image, ImageCms

LIMIT = 60_000_000


def variants(tmp_path: Path, data: bytes, name: str = "photo.jpg") -> tuple[dict, Path]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / name
    source.write_bytes(data)
    out = tmp_path / "files"
    manifest = run_image_job(ImageJob(str(source), "ab" * 32, str(out), LIMIT))
    return manifest, out


def is_marker(pixel: tuple[int, ...]) -> bool:
    red, green, blue = pixel[:3]
    return red > 180 and green < 90 and blue < 90


@pytest.fixture(scope="module")
def camera_variants(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    """A 4000×3000 phone photo stored sideways (orientation 6) with GPS in its EXIF."""
    tmp = tmp_path_factory.mktemp("camera")
    return variants(tmp, mediakit.camera_jpeg((4000, 3000), orientation=6, gps=True))


def test_every_variant_is_upright_and_without_metadata(camera_variants: tuple[dict, Path]) -> None:
    manifest, out = camera_variants
    names = [v["name"] for v in manifest["variants"]]
    assert len(names) == 2 * len(DEFAULT_PIPELINE.widths)  # every width, WebP and JPEG
    for variant in manifest["variants"]:
        path = out / variant["name"]
        assert mediakit.image_metadata(path) == [], f"{path.name} carries metadata"
        with Image.open(path) as image:
            assert image.getexif().get_ifd(mediakit.GPS_IFD) == {}
            assert "exif" not in image.info and "icc_profile" not in image.info
            assert "xmp" not in image.info and "comment" not in image.info
            # The stored pixels were sideways: the variant is landscape, marker top-left.
            assert image.size == (variant["width"], variant["height"])
            assert image.width > image.height
            rgb = image.convert("RGB")
            assert is_marker(rgb.getpixel((image.width // 20, image.height // 20)))
            assert not is_marker(rgb.getpixel((image.width - 5, image.height - 5)))
        assert image.format == ("WEBP" if variant["format"] == "webp" else "JPEG")


def test_widths_follow_the_pipeline(camera_variants: tuple[dict, Path]) -> None:
    manifest, _ = camera_variants
    widths = sorted({v["width"] for v in manifest["variants"]})
    assert widths == list(DEFAULT_PIPELINE.widths)
    for variant in manifest["variants"]:
        assert variant["height"] == round(variant["width"] * 3 / 4)


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (64, [64]),
        (300, [160, 300]),  # 320 is too close to 300 to be worth a file
        (480, [160, 320, 480]),
        (1000, [160, 320, 480, 720, 1000]),
        (1100, [160, 320, 480, 720, 1100]),  # 1080 is too close to 1100 to be worth a file
        (1600, [160, 320, 480, 720, 1080, 1600]),
        (6000, [160, 320, 480, 720, 1080, 1600]),
    ],
)
def test_never_upscaled(width: int, expected: list[int]) -> None:
    assert DEFAULT_PIPELINE.widths_for(width) == expected


def test_small_image_keeps_its_size(tmp_path: Path) -> None:
    manifest, _ = variants(tmp_path, mediakit.small_jpeg((64, 48)))
    assert {(v["width"], v["height"]) for v in manifest["variants"]} == {(64, 48)}


def test_jpeg_is_decoded_at_reduced_scale(tmp_path: Path) -> None:
    """Image.draft: a 4000×3000 JPEG for 1600-wide variants decodes at 2000×1500."""
    source = tmp_path / "big.jpg"
    source.write_bytes(mediakit.camera_jpeg((4000, 3000), orientation=1, gps=False))
    assert decode_for_web(source, LIMIT, 1600).size == (2000, 1500)
    rotated = tmp_path / "rotated.jpg"
    rotated.write_bytes(mediakit.camera_jpeg((4000, 3000), orientation=6, gps=False))
    assert decode_for_web(rotated, LIMIT, 1600).size == (2000, 1500)


def test_colour_profile_is_applied_and_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A photo with a wide-gamut profile is converted to sRGB; no profile is published."""
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    wide = srgb.replace("sRGB".encode("utf-16-be"), "wide".encode("utf-16-be"))
    converted: list[str] = []
    original = ImageCms.profileToProfile

    def spy(image: Image.Image, *args: object, **kwargs: object) -> Image.Image | None:
        converted.append(image.mode)
        return original(image, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ImageCms, "profileToProfile", spy)
    for name, profile in (("srgb", srgb), ("wide", wide)):
        data = mediakit.camera_jpeg((800, 600), orientation=1, gps=False, icc_profile=profile)
        manifest, out = variants(tmp_path / name, data)
        for variant in manifest["variants"]:
            assert mediakit.image_metadata(out / variant["name"]) == []
    assert converted == ["RGB"], "only the wide-gamut photo is converted"


def test_cmyk_and_transparent_images_become_rgb(tmp_path: Path) -> None:
    cmyk = io.BytesIO()
    Image.new("CMYK", (300, 200), (0, 200, 200, 0)).save(cmyk, "JPEG")
    manifest, out = variants(tmp_path / "cmyk", cmyk.getvalue())
    with Image.open(out / manifest["variants"][0]["name"]) as image:
        assert image.mode == "RGB"
    png = io.BytesIO()
    Image.new("RGBA", (300, 200), (255, 0, 0, 0)).save(png, "PNG")
    manifest, out = variants(tmp_path / "png", png.getvalue(), "clear.png")
    with Image.open(out / manifest["variants"][0]["name"]) as image:
        assert image.mode == "RGB"
        assert image.getpixel((10, 10))[:3] == pytest.approx((255, 255, 255), abs=3)


def test_probe_reads_size_upright_without_decoding_a_bomb(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(mediakit.camera_jpeg((1200, 900), orientation=6, gps=True))
    facts = probe_image(photo, LIMIT)
    assert (facts["width"], facts["height"], facts["orientation"]) == (1200, 900, 6)
    assert facts["verified"] is True
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(mediakit.png_bomb())
    facts = probe_image(bomb, LIMIT)
    assert facts["width"] * facts["height"] > LIMIT
    assert facts["verified"] is False  # refused from its header, never decoded


@pytest.mark.parametrize(
    ("data", "phrase"),
    [
        pytest.param(mediakit.truncated_jpeg(), "不完整", id="truncated"),
        pytest.param(mediakit.text_as_jpeg(), "文本文件", id="text"),
        pytest.param(b"", "空文件", id="empty"),
        pytest.param(mediakit.image_bytes("BMP"), "BMP 格式", id="bmp"),
        pytest.param(mediakit.image_bytes("TIFF"), "TIFF 格式", id="tiff"),
        pytest.param(mediakit.image_bytes("GIF", mode="P"), "GIF 格式", id="gif"),
        pytest.param(mediakit.HEIC_HEAD, "HEIC", id="heic"),
        pytest.param(b"\x00\x01\x02garbage" * 50, "无法识别为图片", id="garbage"),
    ],
)
def test_unusable_images_raise_a_clear_error(tmp_path: Path, data: bytes, phrase: str) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    with pytest.raises(MediaError) as caught:
        probe_image(path, LIMIT)
    assert phrase in caught.value.message
    with pytest.raises(MediaError):
        run_image_job(ImageJob(str(path), "cd" * 32, str(tmp_path / "files"), LIMIT))
    assert not list(tmp_path.glob("files/*")), "a failed job left files behind"


def test_bomb_is_refused_before_decoding_when_encoding(tmp_path: Path) -> None:
    default_limit = Image.MAX_IMAGE_PIXELS
    path = tmp_path / "bomb.png"
    path.write_bytes(mediakit.png_bomb())
    with pytest.raises(MediaError) as caught:
        run_image_job(ImageJob(str(path), "ef" * 32, str(tmp_path / "files"), LIMIT))
    assert "30000×30000" in caught.value.message
    assert not list(tmp_path.glob("files/*"))
    assert default_limit == Image.MAX_IMAGE_PIXELS, "Pillow's global limit is restored"


# -- extreme shapes: the check says yes exactly when the variants can be written -----------------

# (upright size, the largest variant, whether it can be written as WebP and JPEG)
SHAPES = [
    pytest.param((20000, 100), (1600, 8), True, id="panorama"),
    pytest.param((100000, 200), (1600, 3), True, id="panorama-480-is-1px-tall"),
    pytest.param((60000, 1), (1600, 1), True, id="one-pixel-line"),
    pytest.param((100, 16383), (100, 16383), True, id="tall-strip-at-the-webp-limit"),
    pytest.param((100, 16384), (100, 16384), False, id="tall-strip-over-the-webp-limit"),
    pytest.param((200, 20000), (200, 20000), False, id="tall-strip"),
    pytest.param((1700, 17407), (1600, 16383), True, id="wide-tall-scaled-to-the-limit"),
    pytest.param((1700, 17408), (1600, 16384), False, id="wide-tall-scaled-over-the-limit"),
]


@pytest.mark.parametrize(("size", "largest", "writable"), SHAPES)
def test_check_passes_exactly_the_shapes_that_encode(
    tmp_path: Path, size: tuple[int, int], largest: tuple[int, int], writable: bool
) -> None:
    path = tmp_path / "strip.png"
    path.write_bytes(mediakit.strip_png(size))
    problem = facts_message("image", probe_image(path, LIMIT), MediaSettings())
    assert DEFAULT_PIPELINE.sizes_for(*size)[-1] == largest
    if writable:
        assert problem is None
        manifest, out = variants(tmp_path, path.read_bytes(), "strip.png")
        sizes = {(v["width"], v["height"]) for v in manifest["variants"]}
        assert largest in sizes and all(h >= 1 for _, h in sizes)
        for variant in manifest["variants"]:
            with Image.open(out / variant["name"]) as image:
                assert image.size == (variant["width"], variant["height"])
    else:
        assert problem is not None and "16383" in problem
        assert f"最大的一张是 {largest[0]}×{largest[1]} 像素" in problem
        with pytest.raises(MediaError) as caught:
            variants(tmp_path, path.read_bytes(), "strip.png")
        assert "16383" in caught.value.message  # the same explanation, not an encoder's error


def test_variant_heights_come_from_the_original_not_the_reduced_decode(tmp_path: Path) -> None:
    """A JPEG is decoded at 1/2 scale here (3201×2000 → 1601×1000, whose own ratio would make
    the 1600 variant 999 tall); the heights are the ones the check computed from 3201×2000."""
    manifest, _ = variants(tmp_path, mediakit.camera_jpeg((3201, 2000), orientation=1, gps=False))
    sizes = sorted({(v["width"], v["height"]) for v in manifest["variants"]})
    assert sizes == DEFAULT_PIPELINE.sizes_for(3201, 2000)
    assert sizes[-1] == (1600, 1000)


def test_damaged_exif_does_not_stop_the_photo(tmp_path: Path) -> None:
    """Pillow cannot write this EXIF block back (ImageOps.exif_transpose raised TypeError);
    we turn the pixels ourselves and drop the block, as we do with every EXIF block."""
    manifest, out = variants(tmp_path, mediakit.jpeg_with_shifted_exif())
    (jpeg,) = [v for v in manifest["variants"] if v["format"] == "jpeg"]
    assert (jpeg["width"], jpeg["height"]) == (64, 48)  # stored sideways, published upright
    assert mediakit.image_metadata(out / jpeg["name"]) == []


def test_damaged_exif_makes_no_warning_in_the_log(tmp_path: Path) -> None:
    """MkDocs prints a Python warning with a stack into the build's log: it reads as a crash."""
    path = tmp_path / "photo.jpg"
    path.write_bytes(mediakit.jpeg_with_oversized_exif_tag())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        facts = probe_image(path, LIMIT)
        manifest = run_image_job(ImageJob(str(path), "ee" * 32, str(tmp_path / "files"), LIMIT))
    assert (facts["width"], facts["height"]) == (64, 48)
    assert {(v["width"], v["height"]) for v in manifest["variants"]} == {(64, 48)}


def test_16_bit_grey_keeps_its_tone(tmp_path: Path) -> None:
    manifest, out = variants(tmp_path, mediakit.grey16_png(40000), "scan.png")
    with Image.open(out / manifest["variants"][0]["name"]) as image:
        grey = image.convert("L").getpixel((10, 10))
    assert grey == pytest.approx(40000 / 257, abs=3), "not clipped to white"


def test_a_photo_replaced_after_the_check_fails_with_an_explanation(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(mediakit.strip_png((640, 480)))
    assert facts_message("image", probe_image(path, LIMIT), MediaSettings()) is None
    path.write_bytes(mediakit.strip_png((200, 20000)))
    with pytest.raises(MediaError) as caught:
        run_image_job(ImageJob(str(path), "aa" * 32, str(tmp_path / "files"), LIMIT))
    assert "16383" in caught.value.message
    assert not list(tmp_path.glob("files/*"))
