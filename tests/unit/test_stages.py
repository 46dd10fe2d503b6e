"""The stages of DESIGN.md ("How data flows"): validate, then resolve into a frozen Catalog.

Resolution is a pure function of what validation found: it can be run again without some
stories (media that could not be made) and gives a Catalog in which nothing points at what is
not published. Every reference is resolved once, into records: a story holds its village, a
talk its members, village and stories.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import storykit
import troupekit
from huatuopin.catalog import Catalog, build_catalog, resolve
from huatuopin.problems import Problem
from huatuopin.settings import CampaignSettings
from huatuopin.validate import Validated, validate_sources

SETTINGS = CampaignSettings()
GOOD = "2021-03-12-zhangzhuang"
OTHER = "2021-03-13-liulin"
SCHEDULE = "docs/troupe/schedule/kaifeng.yml"


def validated(root: Path, *, include_drafts: bool = False) -> Validated:
    return validate_sources(root, root / "docs", SETTINGS, include_drafts=include_drafts)


def catalog(root: Path, *, include_drafts: bool = False) -> Catalog:
    return build_catalog(root, root / "docs", SETTINGS, include_drafts=include_drafts)


def two_stories(root: Path) -> None:
    storykit.write_story(root, folder=GOOD)
    storykit.write_story(root, {"village": "柳林村"}, folder=OTHER)


def talks(root: Path, *items: dict[str, object]) -> troupekit.Written:
    return troupekit.write(root, {"kaifeng.yml": list(items)})


def problems_at(result: Catalog, path: str) -> list[Problem]:
    return [problem for problem in result.problems if problem.path == path]


# -- records and references ------------------------------------------------------------------


def test_each_story_holds_the_catalog_s_record_of_its_village(tmp_path: Path) -> None:
    two_stories(tmp_path)
    result = catalog(tmp_path)
    assert result.problems == ()
    for story in result.stories:
        assert result.villages[story.place.key] is story.village
        assert result.stories_of(story.village) == (story,)


def test_each_talk_holds_its_members_village_and_stories(tmp_path: Path) -> None:
    two_stories(tmp_path)
    talks(
        tmp_path,
        troupekit.talk(
            "a", status="已完成", stories=[GOOD], speakers=["wang-xiaohong", "zhao-tiezhu"]
        ),
    )
    result = catalog(tmp_path)
    assert result.problems == (), storykit.problems_text(list(result.problems))
    (talk,) = result.troupe.talks
    assert talk.speakers == result.troupe.members[0:1] + result.troupe.members[2:3]
    assert [m.id for m in talk.speakers] == ["wang-xiaohong", "zhao-tiezhu"]
    assert talk.village is result.villages[("开封市", "兰考县", "张庄村")]
    assert talk.stories == (result.story_for_src_uri(f"stories/{GOOD}/index.md"),)
    assert result.troupe.talks_at(talk.village.key) == [talk]


def test_the_catalog_and_its_records_are_frozen(tmp_path: Path) -> None:
    two_stories(tmp_path)
    talks(tmp_path, troupekit.talk("a"))
    result = catalog(tmp_path)
    story, talk = result.stories[0], result.troupe.talks[0]
    for record, name in [
        (result, "stories"),
        (story, "title"),
        (story.village, "slug"),
        (story.village.place, "village"),
        (talk, "venue"),
        (result.troupe, "talks"),
    ]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, name, None)
    for value in (result.stories, result.problems, result.rejected, story.authors, story.tags):
        assert isinstance(value, tuple)
    assert isinstance(result.troupe.talks, tuple) and isinstance(talk.speakers, tuple)


# -- resolve: a pure step, run again without stories -----------------------------------------


def test_resolve_is_pure_and_can_leave_stories_out(tmp_path: Path) -> None:
    two_stories(tmp_path)
    sources = validated(tmp_path)
    first = resolve(sources)
    failure = Problem(f"docs/stories/{OTHER}/index.md", 9, "cover", "“a.jpg”无法处理")
    again = resolve(sources, without={failure.path: [failure]})

    assert [s.folder for s in first.stories] == [OTHER, GOOD], "the first is left as it was"
    assert len(first.villages) == 2 and first.problems == ()
    assert [s.folder for s in again.stories] == [GOOD]
    assert [v.name for v in again.villages.values()] == ["张庄村"], "no village without a story"
    assert again.problems == (failure,) and again.rejected == (failure.path,)
    assert [s.folder for s in resolve(sources).stories] == [OTHER, GOOD]


def test_a_talk_naming_a_story_left_out_is_rejected_saying_why(tmp_path: Path) -> None:
    two_stories(tmp_path)
    written = talks(
        tmp_path,
        troupekit.talk("a", status="已完成", stories=[OTHER]),
        troupekit.talk("b", village="柳林村", date="2021-03-13"),
        troupekit.talk("c", date="2021-03-14"),
    )
    sources = validated(tmp_path)
    source = f"docs/stories/{OTHER}/index.md"
    failure = Problem(source, 9, "cover", "“a.jpg”无法处理")
    result = resolve(sources, without={source: [failure]})

    assert [t.id for t in result.troupe.talks] == ["c"]
    by_field = {p.field: p for p in problems_at(result, SCHEDULE)}
    assert set(by_field) == {"[0].stories[0]", "[1].village"}
    story_problem, village_problem = by_field["[0].stories[0]"], by_field["[1].village"]
    assert story_problem.line == written.line(SCHEDULE, f"- {OTHER}")
    assert f"第 1 场宣讲：稿件“{OTHER}”目前没有发布" in story_problem.message
    assert village_problem.message.startswith("第 2 场宣讲：“柳林村”只出现在还没有发布的稿件里")
    # Both are about the story too: `make check STORY=…` of it reports them.
    assert story_problem.involves == village_problem.involves == (source,)
    assert set(result.problems_involving(f"docs/stories/{OTHER}")) == {
        failure,
        story_problem,
        village_problem,
    }


def test_a_talk_naming_a_story_with_mistakes_is_rejected(tmp_path: Path) -> None:
    storykit.write_story(tmp_path, folder=GOOD)
    broken = storykit.write_story(tmp_path, {"activity": "回乡看"}, folder=OTHER)
    talks(tmp_path, troupekit.talk("a", status="已完成", stories=[OTHER]))
    result = catalog(tmp_path)
    assert result.troupe.talks == ()
    (problem,) = problems_at(result, SCHEDULE)
    assert "目前没有发布" in problem.message and problem.involves == (broken.rel,)


def test_a_talk_naming_a_member_with_mistakes_is_rejected(tmp_path: Path) -> None:
    storykit.write_story(tmp_path, folder=GOOD)
    members = [{**troupekit.MEMBERS[0], "category": "书记"}, *troupekit.MEMBERS[1:]]
    written = troupekit.write(tmp_path, {"kaifeng.yml": [troupekit.talk("a")]}, members=members)
    result = catalog(tmp_path)
    assert result.troupe.talks == ()
    (problem,) = problems_at(result, SCHEDULE)
    assert (problem.line, problem.field) == (
        written.line(SCHEDULE, "- wang-xiaohong"),
        "[0].speakers[0]",
    )
    assert "“wang-xiaohong”的资料（docs/troupe/members.yml:" in problem.message
    assert problem.involves == ("docs/troupe/members.yml",)


def test_a_talk_may_name_no_draft_and_no_village_only_a_draft_names(tmp_path: Path) -> None:
    storykit.write_story(tmp_path, folder=GOOD)
    storykit.write_story(tmp_path, {"village": "柳林村", "draft": True}, folder=OTHER)
    talks(
        tmp_path,
        troupekit.talk("a", status="已完成", stories=[OTHER]),
        troupekit.talk("b", village="柳林村", date="2021-03-13"),
    )
    # A build skips drafts; `make serve` and `make check` take them in: both reject the talks.
    for include_drafts in (False, True):
        result = catalog(tmp_path, include_drafts=include_drafts)
        assert result.troupe.talks == ()
        assert {p.field for p in problems_at(result, SCHEDULE)} == {"[0].stories[0]", "[1].village"}
    served = catalog(tmp_path, include_drafts=True)
    assert OTHER in [s.folder for s in served.stories], "serve still shows the draft"


def test_a_story_left_out_by_its_village_takes_its_talks_with_it(tmp_path: Path) -> None:
    """Two story-only villages that would share a URL reject both stories, and then the
    talks that name them or their villages."""
    storykit.write_story(tmp_path, folder=GOOD)
    storykit.write_story(tmp_path, {"village": "张庄"}, folder=OTHER)
    talks(
        tmp_path,
        troupekit.talk("a", status="已完成", stories=[GOOD]),
        troupekit.talk("b", date="2021-03-13"),
    )
    result = catalog(tmp_path)
    assert result.stories == () and len(result.villages) == 0
    assert result.troupe.talks == ()
    assert {p.field for p in problems_at(result, SCHEDULE)} == {
        "[0].stories[0]",
        "[0].village",
        "[1].village",
    }


# -- problems about more than one source -----------------------------------------------------


def test_a_problem_concerns_its_file_its_folder_and_what_it_involves() -> None:
    problem = Problem(
        "docs/stories/a/index.md", 3, "village", "重复", involves=("docs/stories/b/index.md",)
    )
    assert problem.concerns("docs/stories/a")
    assert problem.concerns("docs/stories/a/index.md")
    assert problem.concerns("docs/stories/b")
    assert not problem.concerns("docs/stories/ab")
    assert not problem.concerns("docs/stories/c")
    assert problem == Problem("docs/stories/a/index.md", 3, "village", "重复")
    assert str(problem) == "docs/stories/a/index.md:3: village: 重复"
