"""The media benchmark's pieces: its photos are phone-like, its story is valid, and both
pipelines run. The full run (50 photos, Chromium, nginx) is `make bench`."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import mediakit
from huatuopin.catalog import build_catalog
from huatuopin.settings import CampaignSettings
from PIL import Image

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT / "scripts"))

from benchmarks import media as bench  # noqa: E402


def test_generated_photos_look_like_a_phone_wrote_them() -> None:
    data = bench.camera_photo(7, (800, 600))
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (600, 800)  # stored sideways
        exif = image.getexif()
        assert exif[mediakit.ORIENTATION] == 6
        assert exif.get_ifd(mediakit.GPS_IFD)
    assert bench.camera_photo(7, (800, 600))[:2000] == data[:2000]


def test_the_three_pair_story_is_valid(tmp_path: Path) -> None:
    photos = bench.generate_photos(tmp_path / "photos", 0)
    assert photos == []
    folder = tmp_path / "docs" / "stories" / bench.STORY_FOLDER
    folder.mkdir(parents=True)
    names = []
    for index in range(6):
        path = folder / f"photo-{index:03d}.jpg"
        path.write_bytes(mediakit.small_jpeg((400, 300)))
        names.append(path)
    (folder / "index.md").write_text(bench.story_markdown(names), encoding="utf-8")
    catalog = build_catalog(tmp_path, tmp_path / "docs", CampaignSettings(), include_drafts=False)
    assert catalog.problems == ()
    assert len(catalog.stories[0].pairs) == 3


def test_both_pipelines_run(tmp_path: Path) -> None:
    photos = []
    for index in range(2):
        path = tmp_path / f"p{index}.jpg"
        path.write_bytes(bench.camera_photo(index, (1200, 900)))
        photos.append(path)
    bench.naive_pipeline(photos, tmp_path / "naive")
    assert len(list((tmp_path / "naive").glob("*.webp"))) == 2 * 5  # 160, 320, 480, 720, 900 wide
    project = tmp_path / "project"
    project.mkdir()
    cold = bench.our_pipeline(photos, project)
    warm = bench.our_pipeline(photos, project)
    assert (cold.read, cold.encoded, cold.problems) == (2, 2, [])
    assert (warm.read, warm.encoded, warm.reused) == (0, 0, 2)
