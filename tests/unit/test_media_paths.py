"""What a contributor is told about a media file name that does not lead to a file in the folder:
a path on their own computer, a name that differs only in case, links that leave the folder or
lead back to themselves."""

from __future__ import annotations

from pathlib import Path

import pytest
from huatuopin.mediapaths import media_message
from storykit import only_problem, write_story

FOLDER = "2021-03-12-zhangzhuang"


def cover_problem(root: Path, reference: str, files: dict[str, bytes]) -> str:
    story = write_story(root, {"cover": reference, "consent": True}, files=files)
    problem = only_problem(story.load())
    assert (problem.path, problem.line, problem.field) == (
        story.rel,
        story.line("cover:"),
        "cover",
    )
    return problem.message


# -- a path on the contributor's own computer ---------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "name"),
    [
        pytest.param(r"C:\Users\wang\Desktop\house.jpg", "house.jpg", id="backslashes"),
        pytest.param("D:/照片/a.jpg", "a.jpg", id="forward-slashes"),
        pytest.param(r"d:\a.jpg", "a.jpg", id="lower-case-drive"),
        pytest.param(r"\\server\share\村口.jpg", "村口.jpg", id="network-share"),
        pytest.param("file:///C:/Users/wang/house.jpg", "house.jpg", id="file-url"),
    ],
)
def test_windows_path_is_called_a_path_on_the_contributors_computer(
    tmp_path: Path, reference: str, name: str
) -> None:
    message = cover_problem(tmp_path, reference, {"cover.jpg": b"jpg"})

    assert "网络地址" not in message
    assert f"“{reference}”是你自己电脑上的路径" in message
    assert f"请把这个文件复制到 {FOLDER}/ 文件夹里，这里只写文件名“{name}”" in message


def test_web_address_is_still_a_web_address(tmp_path: Path) -> None:
    message = cover_problem(tmp_path, "https://example.com/a.jpg", {"cover.jpg": b"jpg"})

    assert "是网络地址" in message


# -- names that differ only in case -------------------------------------------------------------


def test_name_differing_only_in_case_beats_a_similar_looking_file(tmp_path: Path) -> None:
    files = {"After-2021.JPG": b"jpg", "after-2020.jpg": b"jpg"}

    message = cover_problem(tmp_path, "after-2021.jpg", files)

    assert "文件夹里有“After-2021.JPG”，两个名字只差大小写" in message
    assert "请改成“After-2021.JPG”" in message
    assert "after-2020.jpg" not in message


def test_case_match_is_looked_for_in_the_referenced_subfolder(tmp_path: Path) -> None:
    files = {"photos/Road.JPG": b"jpg", "road.jpeg": b"jpg"}

    message = cover_problem(tmp_path, "photos/road.jpg", files)

    assert "文件夹里有“Road.JPG”，两个名字只差大小写" in message
    assert "请改成“photos/Road.JPG”" in message


def test_similar_name_is_still_suggested_without_a_case_match(tmp_path: Path) -> None:
    message = cover_problem(tmp_path, "house-2012.jpg", {"house-2016.jpg": b"jpg"})

    assert "是不是“house-2016.jpg”？" in message
    assert "大小写。" not in message


# -- links --------------------------------------------------------------------------------------


def other_story(root: Path) -> Path:
    other = root / "docs" / "stories" / "2021-01-01-other"
    (other / "photos").mkdir(parents=True)
    (other / "photos" / "a.jpg").write_bytes(b"jpg")
    return other


def test_link_to_a_file_of_another_story_is_refused(tmp_path: Path) -> None:
    story = write_story(tmp_path)
    (story.folder / "a.jpg").symlink_to(other_story(tmp_path) / "photos" / "a.jpg")

    assert "是指向稿件文件夹之外的链接" in (media_message(story.folder, "a.jpg") or "")


def test_linked_folder_of_another_story_is_refused(tmp_path: Path) -> None:
    story = write_story(tmp_path)
    (story.folder / "more").symlink_to(Path("..") / "2021-01-01-other" / "photos")
    other_story(tmp_path)

    assert "是指向稿件文件夹之外的链接" in (media_message(story.folder, "more/a.jpg") or "")


def test_link_to_itself_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    story = write_story(tmp_path)
    (story.folder / "loop.jpg").symlink_to("loop.jpg")

    message = cover_problem(tmp_path, "loop.jpg", {})
    assert "“loop.jpg”是一个绕回自己的链接" in message
    assert media_message(story.folder, "loop.jpg") == message


def test_two_folders_linking_to_each_other_are_a_problem_not_a_crash(tmp_path: Path) -> None:
    story = write_story(tmp_path)
    (story.folder / "a").symlink_to("b")
    (story.folder / "b").symlink_to("a")

    assert "绕回自己的链接" in (media_message(story.folder, "a/x.jpg") or "")
