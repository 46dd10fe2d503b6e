"""No input ends in a traceback: the story, village-profile and troupe loaders, fed arbitrary
text and arbitrary YAML, return a record or problems.

The YAML comes two ways: as raw text assembled from the pieces that broke loaders before
(control characters, escapes of lone surrogates, odd indentation, numbers thousands of digits
long, deep nesting, anchors and aliases, tags, merge keys), and as structured values dumped
by PyYAML, merged into a valid source so that every field reader sees strange values.
Runs are derandomized, so CI sees the same examples every time.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import storykit
import troupekit
import yaml
from huatuopin.gazetteer import load_gazetteer
from huatuopin.plaintext import invalid_character_message
from huatuopin.problems import Problem
from huatuopin.stories import STORY_FIELDS
from huatuopin.villages.profiles import PROFILE_FIELDS, load_profile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)

TALK_FIELDS = tuple(troupekit.talk("x"))
MEMBER_FIELDS = (*troupekit.MEMBERS[0], "photo", "sample")
NESTED_FIELDS = ("name", "role", "org", "before", "after", "before_year", "after_year", "theme")
NESTED_FIELDS += ("caption", "file", "subtitles", "unit", "from", "to")

# Pieces of YAML that broke, or could break, a loader.
HOSTILE_SCALARS = [
    '"\\ud800"',
    '"a\\udfffb"',
    '"\\x01"',
    '"\\x00"',
    '"\\e[31m"',
    '"\\x85"',
    '"\\uffff"',
    "0x" + "f" * 5000,
    "9" * 5000,
    "-" + "9" * 4400,
    "1" * 30 + ".5",
    "1:" * 300 + "1",
    "0b" + "1" * 5000,
    "1_000",
    "010",
    "08",
    ".inf",
    "-.inf",
    ".nan",
    "1.0e+999",
    "12:30",
    "25:00",
    "2021-03-12",
    "2021-02-30",
    "2021-03-12 10:00:00+08:00",
    "2021-03-12T25:00:00Z",
    "9999-99-99",
    "yes",
    "off",
    "~",
    "null",
    "&a 值",
    "*a",
    "*nowhere",
    "!!python/object:os.system x",
    "!!python/name:os.system",
    "!!binary aGk=",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!timestamp 2021-03-12",
    "!!int 0x10",
    "!!float .nan",
    "!foo x",
    "!",
    "[a，b]",
    "[大棚、蜜瓜]",
    "[" * 60,
    "[" * 3000 + "]" * 3000,
    "{a: [b, {c: d}]}",
    '"unclosed',
    "'unclosed",
    '"C:\\Users\\x"',
    "<b>x</b>",
    "&lt;",
    "第 #1 户",
    "| \n  多行\n  文字",
    ">-\n  折叠",
    "@x",
    "`x",
    "%x",
    "? [a]",
    "<<: *a",
    "- a\n- b",
    "",
    " ",
    "\t",
    "x\x0cy",
    "x\u2028y",
    "x\x7fy",
    "x\x9by",
]
LINE_STARTS = ["", "", "  ", "    ", " ", "\t", "- ", "  - ", "? ", ": ", "# "]
SEPARATORS = [": ", ":", "：", " : ", ": |\n  ", ": >\n    ", ": &a ", ": *a\n", " "]
SPECIAL_LINES = ["---", "...", "%YAML 1.1", "%YAML 2.0", "%TAG ! x", "<<: *a", "a: &a {b: 1}"]


def yaml_lines(keys: tuple[str, ...]) -> st.SearchStrategy[str]:
    key = st.sampled_from([*keys, "<<", "yes", "010", "9" * 1500, '"\\x01"', ""]) | st.text(
        max_size=8
    )
    value = st.sampled_from(HOSTILE_SCALARS) | st.text(max_size=12)
    line = st.builds(
        lambda start, k, sep, v: f"{start}{k}{sep}{v}",
        st.sampled_from(LINE_STARTS),
        key,
        st.sampled_from(SEPARATORS),
        value,
    )
    return st.lists(line | st.sampled_from(SPECIAL_LINES), max_size=12).map("\n".join)


def scalars() -> st.SearchStrategy[Any]:
    return (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(10**30), max_value=10**30)
        | st.floats()
        | st.text(alphabet=st.characters(exclude_categories=()), max_size=20)
        | st.dates()
        | st.datetimes()
        | st.sampled_from(["010", "12:30", "2021-03-12", "开封市", "兰考县", "张庄村", "true"])
    )


def values(keys: tuple[str, ...]) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars(),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.sampled_from(keys) | st.text(max_size=6), children, max_size=4)
        ),
        max_leaves=12,
    )


def dump(data: Any, flow: bool | None) -> str:
    """PyYAML's rendering; lone surrogates only survive as escapes, so then ASCII-only."""
    try:
        text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow, sort_keys=False)
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = yaml.safe_dump(data, allow_unicode=False, default_flow_style=flow, sort_keys=False)
    return text


def changed(base: dict[str, Any], keys: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    """A valid source with some fields replaced by arbitrary values, and some nested ones."""
    return st.builds(
        lambda changes: {**base, **changes},
        st.dictionaries(st.sampled_from([*keys, "extra"]), values(NESTED_FIELDS), max_size=4),
    )


bodies = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)


def assert_clean(problems: list[Problem]) -> None:
    for problem in problems:
        assert isinstance(problem.line, int) and problem.line >= 1, problem
        assert problem.message and isinstance(problem.message, str), problem
        assert invalid_character_message(problem.message) is None, problem


# -- stories ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def story_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("fuzz-story")
    yield root
    shutil.rmtree(root, ignore_errors=True)


def load_story_text(root: Path, text: str) -> None:
    story = storykit.write_raw(root, text.encode("utf-8", "surrogatepass"))
    result = story.load()
    assert_clean(result.problems)
    assert (result.story is None) == bool(result.problems), result.problems


@FUZZ
@given(text=st.text(alphabet=st.characters(exclude_categories=("Cs",))))
def test_story_loader_survives_any_text(story_root: Path, text: str) -> None:
    load_story_text(story_root, text)
    load_story_text(story_root, f"---\n{text}\n---\n\n正文\n")


@FUZZ
@given(front=yaml_lines(STORY_FIELDS), body=bodies)
def test_story_loader_survives_hostile_yaml(story_root: Path, front: str, body: str) -> None:
    load_story_text(story_root, f"---\n{front}\n---\n\n{body}\n")


@FUZZ
@given(data=changed(storykit.front_matter(), STORY_FIELDS), flow=st.sampled_from([None, False]))
def test_story_loader_survives_any_values(
    story_root: Path, data: dict[str, Any], flow: Any
) -> None:
    load_story_text(story_root, f"---\n{dump(data, flow)}---\n\n{storykit.BASE_BODY}")


# -- village profiles -------------------------------------------------------------------------

PROFILE: dict[str, Any] = {
    "name": "张庄村",
    "township": "东坝头镇",
    "county": "兰考县",
    "city": "开封市",
    "exit_year": 2017,
    "households": 766,
    "population": 3012,
    "industries": ["光伏发电"],
    "support_units": ["兰考县农业农村局"],
    "first_secretaries": [{"name": "韩立群", "unit": "兰考县农业农村局", "from": "2017-09"}],
    "income": {2016: 0.5, 2020: 43.6},
}


@pytest.fixture(scope="module")
def profile_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("fuzz-profile")
    yield root
    shutil.rmtree(root, ignore_errors=True)


def load_profile_text(root: Path, text: str) -> None:
    path = root / "docs" / "villages" / "kaifeng" / "lankao" / "zhangzhuang.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    result = load_profile(root, path, root / "docs", load_gazetteer())
    assert_clean(result.problems)
    assert (result.profile is None) == bool(result.problems), result.problems


@FUZZ
@given(front=yaml_lines(PROFILE_FIELDS), body=bodies)
def test_profile_loader_survives_hostile_yaml(profile_root: Path, front: str, body: str) -> None:
    load_profile_text(profile_root, f"---\n{front}\n---\n\n{body}\n")


@FUZZ
@given(data=changed(PROFILE, PROFILE_FIELDS), flow=st.sampled_from([None, False, True]))
def test_profile_loader_survives_any_values(
    profile_root: Path, data: dict[str, Any], flow: Any
) -> None:
    load_profile_text(profile_root, f"---\n{dump(data, flow)}---\n\n## 村情\n")


# -- the troupe -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def troupe_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("fuzz-troupe")
    yield root
    shutil.rmtree(root, ignore_errors=True)


def load_troupe_texts(root: Path, members: str, schedule: str) -> None:
    written = troupekit.write(root, {"fuzz.yml": schedule}, members=members)
    result = troupekit.load(written)
    assert_clean(result.problems)


VALID_MEMBERS = troupekit.members_yaml(troupekit.MEMBERS)
VALID_SCHEDULE = troupekit.talks_yaml([troupekit.talk("a")])


@FUZZ
@given(text=st.text(alphabet=st.characters(exclude_categories=("Cs",))))
def test_troupe_loader_survives_any_text(troupe_root: Path, text: str) -> None:
    load_troupe_texts(troupe_root, VALID_MEMBERS, text)
    load_troupe_texts(troupe_root, text, VALID_SCHEDULE)


@FUZZ
@given(talks=yaml_lines(TALK_FIELDS), members=yaml_lines(MEMBER_FIELDS))
def test_troupe_loader_survives_hostile_yaml(troupe_root: Path, talks: str, members: str) -> None:
    load_troupe_texts(troupe_root, VALID_MEMBERS, talks)
    load_troupe_texts(troupe_root, members, VALID_SCHEDULE)


def plain_talk() -> dict[str, Any]:
    """The kit's talk as Python values rather than raw YAML."""
    talk = troupekit.talk("a", date=dt.date(2021, 3, 12), start="09:30", end="10:30")
    return talk


@FUZZ
@given(
    talks=st.lists(changed(plain_talk(), TALK_FIELDS), min_size=1, max_size=3),
    member=changed(dict(troupekit.MEMBERS[0]), MEMBER_FIELDS),
    flow=st.sampled_from([None, False]),
)
def test_troupe_loader_survives_any_values(
    troupe_root: Path, talks: list[dict[str, Any]], member: dict[str, Any], flow: Any
) -> None:
    members = [member, *troupekit.MEMBERS[1:]]
    load_troupe_texts(troupe_root, dump(members, flow), dump(talks, flow))
