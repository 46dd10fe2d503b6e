"""The troupe's pages as views: what a reader sees on each (counts, order, dates and times as
text, filter choices) and where every link goes, from a real Catalog."""

from __future__ import annotations

from pathlib import Path

import pytest
from huatuopin.catalog import build_catalog
from huatuopin.gazetteer import load_gazetteer
from huatuopin.media.pipeline import MediaPublication
from huatuopin.settings import CampaignSettings
from huatuopin.views import View
from huatuopin.views.troupe import (
    CityEntry,
    CityView,
    Link,
    MemberView,
    ScheduleView,
    TalkListView,
    TroupeView,
    troupe_views,
)
from storykit import write_story
from troupekit import MEMBERS, STORY_FOLDER, talk, write

SITE_URL = "https://huatuopin.example.org/"
PEIZHAI_FOLDER = "2021-04-01-peizhai"
SILENT_MEMBER = {
    "id": "sun-xiaomei",
    "name": "孙晓梅",
    "category": "脱贫励志典型",
    "unit": "兰考县东坝头镇",
    "city": "开封市",
    "bio": "养羊脱贫。",
}
TALKS = [
    talk("kf-a", speakers=["wang-xiaohong", "zhao-tiezhu"]),
    talk(
        "kf-b",
        date="2021-03-13",
        start='"14:00"',
        end='"15:30"',
        form="歌曲",
        status="已完成",
        stories=[STORY_FOLDER],
        title="光伏板晒出好日子",
    ),
    talk(
        "xx-c",
        date="2021-04-02",
        city="新乡市",
        county="辉县市",
        village="裴寨村",
        venue="文化广场",
        speakers=["li-jianguo"],
        status="取消",
        title="山里修路",
    ),
]


@pytest.fixture(scope="module")
def views(tmp_path_factory: pytest.TempPathFactory) -> dict[str, View]:
    root = tmp_path_factory.mktemp("troupe-views")
    write_story(root, {"title": "张庄的光伏板"}, folder=STORY_FOLDER)
    write_story(
        root,
        {"title": "裴寨的新路", "city": "新乡市", "county": "辉县市", "village": "裴寨村"},
        folder=PEIZHAI_FOLDER,
    )
    write(root, {"kaifeng.yml": TALKS}, members=[*MEMBERS, SILENT_MEMBER])
    catalog = build_catalog(root, root / "docs", CampaignSettings(), include_drafts=False)
    assert catalog.problems == (), "\n".join(map(str, catalog.problems))
    media = MediaPublication(member_photos={"wang-xiaohong": "troupe/members/wang-xiaohong.jpg"})
    pages, _files = troupe_views(catalog, media, load_gazetteer(), SITE_URL)
    return {view.url: view for view in pages}


def page(views: dict[str, View], url: str, kind: type[View]) -> View:
    view = views[url]
    assert type(view) is kind
    return view


# -- /troupe/ ---------------------------------------------------------------------------------


def test_the_troupe_page_counts_talks_and_lists_cities_with_talks(views: dict[str, View]) -> None:
    index = page(views, "troupe/", TroupeView)
    assert isinstance(index, TroupeView)

    assert (index.title, index.template) == ("脱贫故事宣讲团", "troupe.html")
    assert (index.schedule_url, index.talk_count) == ("troupe/schedule/", 3)
    assert index.cities == (
        CityEntry("开封市", "troupe/cities/kaifeng/", 2),
        CityEntry("新乡市", "troupe/cities/xinxiang/", 1),
    )


def test_members_are_grouped_by_category_in_the_contract_s_order(views: dict[str, View]) -> None:
    index = page(views, "troupe/", TroupeView)
    assert isinstance(index, TroupeView)

    groups = [(category, [m.name for m in members]) for category, members in index.categories]
    assert groups == [
        ("优秀扶贫干部", ["李建国"]),
        ("驻村第一书记", ["王小红"]),
        ("脱贫励志典型", ["孙晓梅"]),
        ("文艺工作者", ["赵铁柱"]),
    ]
    cards = {m.name: m for _, members in index.categories for m in members}
    assert {name: card.talk_count for name, card in cards.items()} == {
        "李建国": 1,
        "王小红": 2,
        "孙晓梅": 0,
        "赵铁柱": 1,
    }
    assert cards["王小红"].url == "troupe/members/wang-xiaohong/"
    assert cards["王小红"].photo_url == "troupe/members/wang-xiaohong.jpg"
    assert cards["李建国"].photo_url is None


def test_the_whole_schedule_s_calendar_and_app_files_are_linked(views: dict[str, View]) -> None:
    index = page(views, "troupe/", TroupeView)
    assert isinstance(index, TroupeView)

    calendar = index.files.calendar
    assert calendar.path == "troupe/schedule.ics"
    assert calendar.url == "https://huatuopin.example.org/troupe/schedule.ics"
    assert calendar.webcal == "webcal://huatuopin.example.org/troupe/schedule.ics"
    assert index.files.apps == (
        Link("schedule.xml", "troupe/schedule.xml"),
        Link("schedule.json", "troupe/schedule.json"),
    )


# -- /troupe/schedule/ ------------------------------------------------------------------------


def test_the_schedule_groups_talks_by_day_and_month_as_text(views: dict[str, View]) -> None:
    schedule = page(views, "troupe/schedule/", ScheduleView)
    assert isinstance(schedule, ScheduleView)

    assert (schedule.talk_count, schedule.day_count) == (3, 3)
    assert [(d.date_text, d.weekday, d.anchor) for d in schedule.days] == [
        ("2021年3月12日", "星期五", "d-2021-03-12"),
        ("2021年3月13日", "星期六", "d-2021-03-13"),
        ("2021年4月2日", "星期五", "d-2021-04-02"),
    ]
    months = [(m.label, [d.day_text for d in m.days]) for m in schedule.months]
    assert months == [("3月", ["12日", "13日"]), ("4月", ["2日"])]
    assert schedule.last_day_anchor == "d-2021-04-02"
    assert schedule.schedule_url is None, "no link back to the page itself"


def test_a_talk_is_shown_with_times_place_and_links(views: dict[str, View]) -> None:
    schedule = page(views, "troupe/schedule/", ScheduleView)
    assert isinstance(schedule, TalkListView)
    talks = {t.anchor: t for day in schedule.days for t in day.talks}

    first = talks["t-kf-a"]
    assert (first.start_text, first.end_text) == ("09:30", "10:30")
    assert (first.starts_at, first.ends_at) == (
        "2021-03-12T09:30:00+08:00",
        "2021-03-12T10:30:00+08:00",
    )
    assert first.place == "开封市 › 兰考县 › 张庄村"
    assert first.village_url == "villages/kaifeng/lankao/zhangzhuang/"
    assert first.speakers == (
        Link("王小红", "troupe/members/wang-xiaohong/"),
        Link("赵铁柱", "troupe/members/zhao-tiezhu/"),
    )
    assert first.member_ids == " wang-xiaohong zhao-tiezhu "
    assert first.stories == ()
    held = talks["t-kf-b"]
    assert (held.start_text, held.end_text, held.status) == ("14:00", "15:30", "已完成")
    assert held.stories == (Link("张庄的光伏板", f"stories/{STORY_FOLDER}/"),)
    cancelled = talks["t-xx-c"]
    assert (cancelled.status_slug, cancelled.city_slug) == ("cancelled", "xinxiang")
    assert cancelled.village_url == "villages/xinxiang/huixian/peizhai/"


def test_the_filters_offer_only_what_the_schedule_holds(views: dict[str, View]) -> None:
    schedule = page(views, "troupe/schedule/", ScheduleView)
    assert isinstance(schedule, TalkListView) and schedule.filters is not None
    filters = schedule.filters

    assert [(c.value, c.text) for c in filters.cities] == [
        ("kaifeng", "开封市（2）"),
        ("xinxiang", "新乡市（1）"),
    ]
    assert [c.text for c in filters.members] == ["王小红", "李建国", "赵铁柱"]  # 孙晓梅 has none
    assert [(c.value, c.text) for c in filters.forms] == [
        ("weixuanjiang", "微宣讲"),
        ("gequ", "歌曲"),
    ]


# -- one member, one city ---------------------------------------------------------------------


def test_a_member_s_page_shows_them_their_talks_and_their_calendar(
    views: dict[str, View],
) -> None:
    member = page(views, "troupe/members/wang-xiaohong/", MemberView)
    assert isinstance(member, TalkListView) and member.member is not None

    assert (member.title, member.heading) == ("王小红 · 宣讲日程", "王小红")
    assert (member.member.category, member.member.unit) == ("驻村第一书记", "兰考县农业农村局")
    assert member.member.photo_url == "troupe/members/wang-xiaohong.jpg"
    assert [t.anchor for day in member.days for t in day.talks] == ["t-kf-a", "t-kf-b"]
    assert member.files.calendar.url == (
        "https://huatuopin.example.org/troupe/members/wang-xiaohong.ics"
    )
    assert member.files.apps == (), "schedule apps read the whole schedule only"
    assert (member.troupe_url, member.schedule_url) == ("troupe/", "troupe/schedule/")
    assert member.filters is None


def test_every_city_has_a_page_and_a_calendar_even_without_talks(views: dict[str, View]) -> None:
    cities = [view for view in views.values() if isinstance(view, CityView)]
    assert len(cities) == len(load_gazetteer().cities)

    anyang = page(views, "troupe/cities/anyang/", CityView)
    assert isinstance(anyang, TalkListView)
    assert (anyang.heading, anyang.talk_count, anyang.days) == ("宣讲团在安阳市", 0, ())
    assert anyang.files.calendar.path == "troupe/cities/anyang.ics"
    xinxiang = page(views, "troupe/cities/xinxiang/", CityView)
    assert isinstance(xinxiang, TalkListView)
    assert [t.title for day in xinxiang.days for t in day.talks] == ["山里修路"]


def test_every_page_links_to_a_file_that_is_published(tmp_path: Path) -> None:
    write(tmp_path, {"kaifeng.yml": []})
    catalog = build_catalog(tmp_path, tmp_path / "docs", CampaignSettings(), include_drafts=False)

    pages, files = troupe_views(catalog, MediaPublication(), load_gazetteer(), None)

    published = {path for path, _ in files}
    for view in pages:
        assert isinstance(view, TroupeView | TalkListView)
        assert view.files.calendar.path in published
        assert view.files.calendar.url.startswith("http://127.0.0.1:8000/troupe/")
        assert {link.url for link in view.files.apps} <= published
