"""The campaign's fixed vocabularies: activities, forms, roles, photo themes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Activity:
    name: str
    slug: str
    purpose: str  # one or two sentences from the campaign plan, shown on its listing


ACTIVITIES: tuple[Activity, ...] = (
    Activity(
        "入户访",
        "ruhufang",
        "党员干部、驻村工作队和帮扶责任人走进脱贫户家中，拉家常、算收入账、讲政策变化，"
        "听群众说说脱贫前后的日子。",
    ),
    Activity(
        "大家谈",
        "dajiatan",
        "以村为单位召开群众会、座谈会，大家谈变化、说感受，"
        "评选扶贫好干部、脱贫好榜样、发展新变化。",
    ),
    Activity(
        "回村看",
        "huicunkan",
        "曾经的驻村第一书记、工作队员和帮扶企业回到村里看一看，叙旧情、看变化，"
        "用今昔对比讲好脱贫故事。",
    ),
    Activity(
        "亮成果",
        "liangchengguo",
        "用微宣讲、小戏小品、歌曲曲艺等群众喜闻乐见的形式展示脱贫成果；"
        "媒体和文艺工作者深入基层采风，脱贫故事宣讲团巡回宣讲。",
    ),
    Activity(
        "话未来",
        "huaweilai",
        "各村谋划“十四五”发展举措，脱贫户制定家庭增收计划，说说对今后日子的打算。",
    ),
)
ACTIVITY_BY_NAME = {a.name: a for a in ACTIVITIES}

FORMS: tuple[str, ...] = ("文章", "摄影", "视频", "微宣讲", "戏剧", "歌曲", "诗歌", "曲艺")

AUTHOR_ROLES: tuple[str, ...] = (
    "媒体记者",
    "文艺工作者",
    "驻村工作队",
    "乡村干部",
    "帮扶责任人",
    "脱贫群众",
    "其他",
)

# Gallery theme slugs are part of the public URLs (/gallery/<slug>/): never change one.
PAIR_THEMES: dict[str, str] = {
    "住房": "zhufang",
    "道路": "daolu",
    "饮水": "yinshui",
    "产业": "chanye",
    "教育": "jiaoyu",
    "医疗": "yiliao",
    "村容": "cunrong",
    "其他": "qita",
}
