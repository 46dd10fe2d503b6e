"""The build's media step: content-addressed cache, warm runs that encode nothing, parallel
jobs that cannot take the build down, settings, markup and the gallery's pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import mediakit
import pytest
from huatuopin.catalog import Catalog, build_catalog, resolve
from huatuopin.gazetteer import load_gazetteer
from huatuopin.media import pipeline as media_pipeline
from huatuopin.media.cache import MediaCache, atomic_write_bytes
from huatuopin.media.check import cache_for
from huatuopin.media.markup import LoadOrder, rewrite_body_markdown
from huatuopin.media.pipeline import publish_media
from huatuopin.media.records import ImageAsset, VideoAsset
from huatuopin.media.settings import MediaSettings
from huatuopin.settings import CampaignSettings, SettingsError
from huatuopin.views.gallery import gallery_views
from storykit import BASE_BODY, problems_text, write_story

SETTINGS = CampaignSettings()


def pair(before: str, after: str, theme: str = "住房") -> dict[str, Any]:
    return {
        "before": before,
        "after": after,
        "before_year": 2016,
        "after_year": 2021,
        "theme": theme,
        "caption": "危房改造前后",
    }


def site_with_media(root: Path) -> Catalog:
    files = {
        name: mediakit.small_jpeg((1200, 900), (i * 40, 90, 120)) for i, name in enumerate("abcd")
    }
    files["clip.mp4"] = mediakit.make_video(
        root / "clip.mp4", size="320x240", seconds=1
    ).read_bytes()
    write_story(
        root,
        {
            "cover": "a",
            "pairs": [pair("a", "b"), pair("c", "d", "道路")],
            "videos": [{"file": "clip.mp4", "caption": "片段"}],
            "consent": True,
        },
        f"{BASE_BODY}\n![路](c)\n",
        files=files,
    )
    catalog = build_catalog(root, root / "docs", SETTINGS, include_drafts=False)
    assert catalog.problems == (), problems_text(catalog.problems)
    return catalog


@pytest.mark.usefixtures("private_media_cache")
def test_cold_then_warm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = site_with_media(tmp_path)
    cache = cache_for(tmp_path, SETTINGS.media)
    cold = publish_media(catalog, tmp_path, SETTINGS.media, workers=2)
    assert cache.stats.encoded == 0, "counters start afresh after each build"
    uris = set(cold.outputs)
    assert any(uri.endswith(".mp4") for uri in uris)
    assert any(uri.endswith("-poster.jpg") for uri in uris)
    assert any(uri.endswith("-720.webp") for uri in uris)
    (story,) = catalog.stories
    assets = cold.of(story)
    assert isinstance(assets.get("cover"), ImageAsset)
    assert isinstance(assets.get("videos[0].file"), VideoAsset)
    # The cover and the first pair's `before` are one file: one set of variants.
    assert assets.get("cover") == assets.pair_images(0)[0]

    def no_encoding(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm build encoded a file")

    monkeypatch.setattr(media_pipeline, "_run_pool", no_encoding)
    monkeypatch.setattr(media_pipeline, "run_job", no_encoding)
    monkeypatch.setattr("huatuopin.media.check.sha256_of", no_encoding)
    again = build_catalog(tmp_path, tmp_path / "docs", SETTINGS, include_drafts=False)
    warm = publish_media(again, tmp_path, SETTINGS.media, workers=2)
    assert warm.outputs == cold.outputs
    assert warm.stats.read == 0 and warm.stats.encoded == 0 and warm.stats.reused == 5


@pytest.mark.usefixtures("private_media_cache")
def test_changed_settings_make_new_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = site_with_media(tmp_path)
    first = set(publish_media(catalog, tmp_path, SETTINGS.media, workers=1).outputs)
    from huatuopin.media import images

    monkeypatch.setattr(media_pipeline, "DEFAULT_PIPELINE", images.ImagePipeline(webp_quality=50))
    second = set(publish_media(catalog, tmp_path, SETTINGS.media, workers=1).outputs)
    webp = {uri for uri in first if uri.endswith(".webp")}
    assert webp and webp.isdisjoint(second), "new settings, new content-addressed names"


@pytest.mark.usefixtures("private_media_cache")  # the job must run, not be found
def test_a_failing_job_is_a_problem_and_resolving_without_it_rejects_its_story_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = site_with_media(tmp_path)

    def broken(job: Any) -> dict[str, Any]:
        raise RuntimeError("decoder fell over")

    monkeypatch.setattr(media_pipeline, "run_video_job", broken)
    publication = publish_media(catalog, tmp_path, SETTINGS.media, workers=1)
    source = "docs/stories/2021-03-12-zhangzhuang/index.md"
    ((failed, (problem,)),) = publication.failures.items()
    assert failed == source
    assert problem.field == "videos[0].file" and "decoder fell over" in problem.message
    assert publication.outputs == {}, "nothing of a story that will not be published"
    assert len(catalog.stories) == 1, "the Catalog is not changed"

    again = resolve(catalog.validated, without=publication.failures)
    assert again.stories == ()
    assert again.rejected == (source,)
    assert again.problems == (problem,)
    assert len(again.villages) == 0, "no village is left with only that story"


def test_cache_entries_need_their_files(tmp_path: Path) -> None:
    cache = MediaCache(tmp_path / "cache")
    atomic_write_bytes(cache.files_dir / "x-480.webp", b"webp")
    cache.save_entry("k", {"kind": "image", "files": ["x-480.webp", "x-480.jpg"]})
    assert cache.entry("k") is None, "an entry whose files are missing is not used"
    atomic_write_bytes(cache.files_dir / "x-480.jpg", b"jpeg")
    assert cache.entry("k") == {"kind": "image", "files": ["x-480.webp", "x-480.jpg"]}
    (cache.root / "entries" / "k.json").write_text("{not json")
    assert cache.entry("k") is None
    assert not list(cache.root.rglob("*.tmp")), "temporary files are renamed or removed"


@pytest.mark.usefixtures("private_media_cache")
def test_source_records_are_json_keyed_by_size_and_mtime(tmp_path: Path) -> None:
    site_with_media(tmp_path)
    records = list((tmp_path / ".cache" / "media" / "sources").rglob("*.json"))
    assert len(records) == 5
    data = json.loads(records[0].read_text())
    assert {"size", "mtime_ns", "sha256", "facts", "probe_version"} <= set(data)


# -- settings ---------------------------------------------------------------------------------


def test_media_settings_from_mkdocs_yml() -> None:
    settings = CampaignSettings.from_extra(
        {"media": {"max_video_minutes": 3, "gallery_per_page": 6}}
    )
    assert settings.media.max_video_seconds == 180
    assert settings.media.gallery_per_page == 6
    assert CampaignSettings.from_extra({}).media == MediaSettings()


@pytest.mark.parametrize(
    ("media", "phrase"),
    [
        ({"max_image_mb": -1}, "extra.media.max_image_mb 应为正数"),
        ({"gallery_per_page": 2.5}, "extra.media.gallery_per_page 应为正整数"),
        ({"max_video_minutes": True}, "应为正数"),
        ({"max_pixels": 10}, "不是可用的设置"),
        ("big", "映射"),
    ],
)
def test_bad_media_settings(media: Any, phrase: str) -> None:
    with pytest.raises(SettingsError) as caught:
        CampaignSettings.from_extra({"media": media})
    assert phrase in str(caught.value)


# -- markup and gallery -----------------------------------------------------------------------


def test_first_image_claims_priority_once() -> None:
    order = LoadOrder()
    images: list[Any] = ["one", "two", "three"]  # ImageAssets to LoadOrder: compared only
    assert [order.claim(image) for image in images] == [True, False, False]


def test_the_image_the_view_names_claims_priority_wherever_it_comes() -> None:
    """A pair's "before" photo comes first in the markup; its "after" photo is seen first."""
    before, after, later = "before", "after", "later"
    order = LoadOrder(first=after)  # type: ignore[arg-type]
    assert [order.claim(image) for image in (before, after, later, after)] == [
        False,
        True,
        False,
        False,
    ]


def test_body_images_point_at_the_derived_jpeg(tmp_path: Path) -> None:
    catalog = site_with_media(tmp_path)
    publication = publish_media(catalog, tmp_path, SETTINGS.media, workers=1)
    (story,) = catalog.stories
    markdown = 'Text ![路](c "标题") and <img src="c" alt="x"> and ![other](elsewhere.jpg)'
    rewritten = rewrite_body_markdown(markdown, publication.of(story))
    body_image = publication.of(story).body("c")
    assert body_image is not None
    fallback = body_image.fallback.url
    assert rewritten.count(f"../../{fallback}") == 2
    assert '"标题")' in rewritten and "elsewhere.jpg" in rewritten


def test_gallery_pages(tmp_path: Path) -> None:
    catalog = site_with_media(tmp_path)
    publication = publish_media(catalog, tmp_path, SETTINGS.media, workers=1)
    pages = {
        view.src_uri: view for view in gallery_views(catalog, publication, load_gazetteer(), 1)
    }
    assert "gallery/index.md" in pages and "gallery/page/2/index.md" in pages
    assert "gallery/page/3/index.md" not in pages
    for slug in ("zhufang", "daolu", "yinshui", "chanye", "jiaoyu", "yiliao", "cunrong", "qita"):
        assert f"gallery/{slug}/index.md" in pages, "every theme has a page, empty or not"
    assert "gallery/city/kaifeng/index.md" in pages
    assert "gallery/activity/huicunkan/index.md" in pages
    first = pages["gallery/index.md"].gallery
    assert first.total == 2 and first.pager.next_url == "gallery/page/2/"
    assert [f.count for f in first.facets.themes[:2]] == [1, 1]
    daolu = pages["gallery/daolu/index.md"].gallery
    assert [item.pair.pair.theme for item in daolu.items] == ["道路"]
