"""Files stay where they are: a link anywhere under docs/ is refused at its own path, and
nothing behind it is read. MkDocs would follow it: publish a linked story a second time, copy
a file from outside docs/ into site/, or walk round a loop."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import troupekit
import yaml
from huatuopin.catalog import Catalog
from huatuopin.realfiles import walk, walk_hazards
from storykit import catalog, only_one, problems_text, stories_dir, write_story

OTHER = "2021-03-20-peizhai"
TWICE = "两个网址"
OUTSIDE = "指向 docs/ 以外的地方"
LOOP = "绕回了自己"
NESTED = "一层套一层"


def problem_at(result: Catalog, rel_path: str) -> str:
    """The message of the one problem at `rel_path`, which must be `path:1: 文件`."""
    found = [p for p in result.problems if p.path == rel_path]
    assert len(found) == 1, problems_text(result.problems)
    assert (found[0].line, found[0].field) == (1, "文件")
    return found[0].message


def outside_file(root: Path, name: str = "secret.txt") -> Path:
    path = root / name
    path.write_text("root:x:0:0:root:/root:/bin/bash\n", "utf-8")
    return path


# -- stories ------------------------------------------------------------------------------------


def test_linked_story_folder_is_refused_and_the_story_published_once(tmp_path: Path) -> None:
    story = write_story(tmp_path)
    (stories_dir(tmp_path) / OTHER).symlink_to(story.folder.name)

    result = catalog(tmp_path)

    message = problem_at(result, f"docs/stories/{OTHER}")
    assert TWICE in message and "请删除这个链接" in message
    assert [s.folder for s in result.stories] == [story.folder.name]


def test_linked_index_md_is_refused_not_read(tmp_path: Path) -> None:
    story = write_story(tmp_path)
    folder = stories_dir(tmp_path) / OTHER
    folder.mkdir()
    (folder / "index.md").symlink_to(story.index)

    result = catalog(tmp_path)

    message = problem_at(result, f"docs/stories/{OTHER}/index.md")
    assert "不是真实的文件" in message and "把真实的文件复制到这里" in message
    assert [s.folder for s in result.stories] == [story.folder.name]
    # The folder is not also said to lack an index.md.
    assert not [p for p in result.problems if p.path == f"docs/stories/{OTHER}"]


def test_index_md_linked_outside_docs_is_refused(tmp_path: Path) -> None:
    folder = stories_dir(tmp_path) / OTHER
    folder.mkdir(parents=True)
    (folder / "index.md").symlink_to(outside_file(tmp_path, "story.md"))

    result = catalog(tmp_path)

    assert OUTSIDE in problem_at(result, f"docs/stories/{OTHER}/index.md")
    assert result.stories == ()


def test_story_folder_linking_to_itself_is_a_problem(tmp_path: Path) -> None:
    write_story(tmp_path)
    (stories_dir(tmp_path) / "a").symlink_to("a")

    result = catalog(tmp_path)

    assert LOOP in problem_at(result, "docs/stories/a")
    assert len(result.stories) == 1


def test_folder_holding_a_link_to_its_parent_is_a_problem(tmp_path: Path) -> None:
    story = write_story(tmp_path)
    (story.folder / "up").symlink_to("..")

    result = catalog(tmp_path)

    assert NESTED in problem_at(result, f"docs/stories/{story.folder.name}/up")


def test_file_linked_from_outside_docs_into_a_story_folder_is_refused(tmp_path: Path) -> None:
    story = write_story(tmp_path)
    (story.folder / "notes.txt").symlink_to(outside_file(tmp_path))

    result = catalog(tmp_path)

    assert OUTSIDE in problem_at(result, f"docs/stories/{story.folder.name}/notes.txt")


def test_linked_stories_folder_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere"
    write_story(real)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "stories").symlink_to(real / "docs" / "stories")

    result = catalog(tmp_path)

    assert OUTSIDE in problem_at(result, "docs/stories")
    assert result.stories == ()


def test_editor_lock_link_is_ignored_like_other_hidden_files(tmp_path: Path) -> None:
    story = write_story(tmp_path)
    # Emacs marks a file being edited with a dangling link named .#<file>.
    (story.folder / ".#index.md").symlink_to("wang@laptop.1234:1700000000")

    assert catalog(tmp_path).problems == ()


def test_hidden_link_to_a_folder_is_still_refused(tmp_path: Path) -> None:
    story = write_story(tmp_path)
    (story.folder / ".all").symlink_to("/")

    result = catalog(tmp_path)

    assert OUTSIDE in problem_at(result, f"docs/stories/{story.folder.name}/.all")


def test_pipe_in_a_story_folder_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    story = write_story(tmp_path)
    os.mkfifo(story.folder / "cover.jpg")

    result = catalog(tmp_path)

    assert "不是普通文件" in problem_at(result, f"docs/stories/{story.folder.name}/cover.jpg")


# -- village profiles ---------------------------------------------------------------------------

PROFILE = {"name": "张庄村", "township": "东坝头镇", "county": "兰考县", "city": "开封市"}


def write_profile(root: Path, relative: str = "kaifeng/lankao/zhangzhuang.md") -> Path:
    path = root / "docs" / "villages" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(PROFILE, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{text}---\n\n## 村情\n\n张庄村在黄河故道边。\n", "utf-8")
    return path


def profiles(result: Catalog) -> list[str]:
    return sorted(v.profile.source_path for v in result.villages.values() if v.profile)


def test_linked_profile_file_is_refused(tmp_path: Path) -> None:
    real = write_profile(tmp_path, "kaifeng/lankao/zhangzhuang.md")
    (real.parent / "peizhai.md").symlink_to(real.name)

    result = catalog(tmp_path)

    assert "不是真实的文件" in problem_at(result, "docs/villages/kaifeng/lankao/peizhai.md")
    assert profiles(result) == ["docs/villages/kaifeng/lankao/zhangzhuang.md"]


@pytest.mark.parametrize(
    ("link", "target"),
    [
        pytest.param("kaifeng/lankao", "../elsewhere/lankao", id="county-folder"),
        pytest.param("kaifeng", "elsewhere", id="city-folder"),
    ],
)
def test_linked_city_or_county_folder_is_refused(tmp_path: Path, link: str, target: str) -> None:
    write_profile(tmp_path, "elsewhere/lankao/zhangzhuang.md")
    villages = tmp_path / "docs" / "villages"
    (villages / link).parent.mkdir(parents=True, exist_ok=True)
    (villages / link).symlink_to(target)

    result = catalog(tmp_path)

    assert TWICE in problem_at(result, f"docs/villages/{link}")
    assert "docs/villages/kaifeng/lankao/zhangzhuang.md" not in profiles(result)


def test_linked_villages_folder_is_refused(tmp_path: Path) -> None:
    write_profile(tmp_path / "elsewhere")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "villages").symlink_to(tmp_path / "elsewhere" / "docs" / "villages")

    result = catalog(tmp_path)

    assert OUTSIDE in problem_at(result, "docs/villages")
    assert profiles(result) == []


# -- troupe -------------------------------------------------------------------------------------


def test_linked_members_file_is_refused_not_read(tmp_path: Path) -> None:
    written = troupekit.write(tmp_path, {})
    members = written.docs / "troupe" / "members.yml"
    members.rename(tmp_path / "members.yml")
    members.symlink_to(tmp_path / "members.yml")

    result = troupekit.load(written)

    only = only_one(result.problems)
    assert (only.path, only.line, only.field) == ("docs/troupe/members.yml", 1, "文件")
    assert OUTSIDE in only.message
    assert result.troupe.members == ()


def test_linked_schedule_file_is_refused_not_read(tmp_path: Path) -> None:
    written = troupekit.write(tmp_path, {"kaifeng.yml": [troupekit.talk("kf-1")]})
    (written.docs / "troupe" / "schedule" / "copy.yml").symlink_to("kaifeng.yml")

    result = troupekit.load(written)

    only = only_one(result.problems)
    assert (only.path, only.field) == ("docs/troupe/schedule/copy.yml", "文件")
    assert "不是真实的文件" in only.message
    assert troupekit.talk_ids(result) == ["kf-1"]


def test_linked_schedule_folder_is_refused(tmp_path: Path) -> None:
    elsewhere = troupekit.write(tmp_path / "elsewhere", {"kaifeng.yml": [troupekit.talk("kf-1")]})
    written = troupekit.write(tmp_path, {})
    schedule = written.docs / "troupe" / "schedule"
    schedule.rmdir()
    schedule.symlink_to(elsewhere.docs / "troupe" / "schedule")

    result = troupekit.load(written)

    only = only_one(result.problems)
    assert (only.path, only.field) == ("docs/troupe/schedule", "文件")
    assert troupekit.talk_ids(result) == []


def test_linked_member_photo_is_refused(tmp_path: Path) -> None:
    from PIL import Image

    member = dict(troupekit.MEMBERS[0], photo="wang.jpg")
    written = troupekit.write(tmp_path, {}, members=[member])
    Image.new("RGB", (40, 40), "red").save(tmp_path / "wang.jpg")
    (written.docs / "troupe" / "wang.jpg").symlink_to(tmp_path / "wang.jpg")

    result = troupekit.load(written)

    refused = [p for p in result.problems if p.path == "docs/troupe/wang.jpg"]
    assert len(refused) == 1, problems_text(result.problems)
    assert OUTSIDE in refused[0].message


# -- the walk itself ----------------------------------------------------------------------------


def test_walk_lists_real_files_and_reads_nothing_behind_a_link(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "a" / "b").mkdir(parents=True)
    (docs / "a" / "b" / "x.md").write_text("x", "utf-8")
    (docs / "a" / "link").symlink_to("b")
    (docs / "a" / ".hidden").write_text("x", "utf-8")

    tree = walk(docs, tmp_path, docs)

    assert tree.files == [docs / "a" / "b" / "x.md"]
    assert tree.folders == [docs / "a", docs / "a" / "b"]
    assert [p.path for p in tree.problems] == ["docs/a/link"]


def test_links_that_make_the_walk_run_away_are_hazards(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "assets").mkdir(parents=True)
    (docs / "stories" / OTHER / "photos").mkdir(parents=True)
    (docs / "assets" / "up").symlink_to("..")  # its own parent: walked again at every level
    (docs / "assets" / "disk").symlink_to("/usr")  # out of docs/: may be the whole disk
    (docs / "stories" / "same").symlink_to(OTHER)  # a folder without links: walked once
    (docs / "assets" / "gone").symlink_to("nowhere")  # not a folder: not walked at all

    hazards = walk_hazards(tmp_path, docs)

    assert [p.path for p in hazards] == ["docs/assets/disk", "docs/assets/up"]
    assert all((p.line, p.field) == (1, "文件") for p in hazards)


def test_two_links_into_each_other_are_hazards(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "a").mkdir(parents=True)
    (docs / "b").mkdir()
    (docs / "a" / "to-b").symlink_to("../b")
    (docs / "b" / "to-a").symlink_to("../a")

    assert [p.path for p in walk_hazards(tmp_path, docs)] == ["docs/a/to-b", "docs/b/to-a"]


def test_link_inside_a_hidden_folder_is_refused_as_mkdocs_walks_it(tmp_path: Path) -> None:
    story = write_story(tmp_path)
    (story.folder / ".backup").mkdir()
    (story.folder / ".backup" / "old.md").write_text("旧稿", "utf-8")
    (story.folder / ".backup" / "up").symlink_to("../..")

    result = catalog(tmp_path)

    assert NESTED in problem_at(result, f"docs/stories/{story.folder.name}/.backup/up")
    hazards = walk_hazards(tmp_path, tmp_path / "docs")
    assert [p.path for p in hazards] == [f"docs/stories/{story.folder.name}/.backup/up"]
