"""Synthetic, valid, text-only stories for the benchmarks.

Deterministic: story i depends only on the seed and i, so the first 100 stories of a
1,000-story site are the 100-story site, and the story compared across sizes is the same.

The text comes from a small phrase grammar: sentences are put together from short pieces
picked independently, with fresh names and numbers. Whole template sentences repeated over
a thousand stories would compress several times better than real prose, making the search
index and page figures look cheaper than they will be; `compression_ratio` lets the
benchmark show how close the synthetic text is to the project's own sample stories.
"""

from __future__ import annotations

import datetime as dt
import gzip
import multiprocessing
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from huatuopin.gazetteer import City, County, load_gazetteer
from huatuopin.settings import CampaignSettings
from huatuopin.villages.slugs import pinyin_slug

SEED = 2021
BODY_MIN, BODY_MAX = 300, 900  # characters of Markdown body
MAX_TITLE, MAX_SUMMARY = 60, 120  # the story contract's limits
ANCHOR_SHARE = 0.15  # share of body sentences taken whole from the activity's own list

ACTIVITY_NAMES = ("入户访", "大家谈", "回村看", "亮成果", "话未来")
FORMS_BY_ACTIVITY: dict[str, tuple[str, ...]] = {
    "入户访": ("文章", "文章", "文章", "摄影", "视频"),
    "大家谈": ("文章", "文章", "摄影", "视频"),
    "回村看": ("文章", "摄影", "摄影", "视频"),
    "亮成果": ("微宣讲", "戏剧", "歌曲", "诗歌", "曲艺", "视频"),
    "话未来": ("文章", "文章", "微宣讲", "视频"),
}
ROLES_BY_FORM: dict[str, tuple[str, ...]] = {
    "文章": ("媒体记者", "媒体记者", "驻村工作队", "帮扶责任人", "乡村干部"),
    "摄影": ("媒体记者", "文艺工作者", "驻村工作队"),
    "视频": ("媒体记者", "乡村干部", "其他"),
}
ARTS_ROLES = ("文艺工作者", "文艺工作者", "脱贫群众", "乡村干部")
ORGS_BY_ROLE: dict[str, tuple[str, ...]] = {
    "媒体记者": ("{city_short}日报", "河南日报", "{county}融媒体中心", "河南广播电视台"),
    "文艺工作者": ("{city_short}市文联", "河南省文联", "{county}文化馆", "{city_short}市豫剧团"),
    "驻村工作队": ("{county}农业农村局驻村工作队", "{city_short}市财政局驻村工作队"),
    "帮扶责任人": ("{county}教育局", "{county}卫生健康委", "{county}自然资源局"),
    "乡村干部": ("{township}人民政府", ""),
    "脱贫群众": ("",),
    "其他": ("", "{county}电商服务中心"),
}

# (character, pinyin): village names are built from these, folder slugs from the pinyin.
SURNAMES = (
    ("张", "zhang"), ("李", "li"), ("王", "wang"), ("刘", "liu"), ("陈", "chen"),
    ("杨", "yang"), ("赵", "zhao"), ("黄", "huang"), ("周", "zhou"), ("吴", "wu"),
    ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"),
    ("何", "he"), ("高", "gao"), ("罗", "luo"), ("郑", "zheng"), ("梁", "liang"),
    ("宋", "song"), ("韩", "han"), ("冯", "feng"), ("曹", "cao"), ("彭", "peng"),
    ("田", "tian"), ("董", "dong"), ("潘", "pan"), ("蒋", "jiang"), ("蔡", "cai"),
    ("杜", "du"), ("程", "cheng"), ("魏", "wei"), ("苏", "su"), ("丁", "ding"),
    ("崔", "cui"), ("姚", "yao"), ("孟", "meng"), ("邢", "xing"), ("牛", "niu"),
    ("葛", "ge"), ("侯", "hou"), ("白", "bai"), ("石", "shi"), ("路", "lu"),
    ("常", "chang"), ("岳", "yue"), ("秦", "qin"),
)  # fmt: skip
VILLAGE_PREFIXES = (
    ("", ""), ("", ""), ("", ""), ("东", "dong"), ("西", "xi"), ("前", "qian"),
    ("后", "hou"), ("大", "da"), ("小", "xiao"), ("南", "nan"), ("北", "bei"),
)  # fmt: skip
VILLAGE_SUFFIXES = (
    ("庄", "zhuang"), ("寨", "zhai"), ("营", "ying"), ("楼", "lou"), ("岗", "gang"),
    ("沟", "gou"), ("洼", "wa"), ("湾", "wan"), ("店", "dian"), ("集", "ji"),
    ("屯", "tun"), ("坡", "po"), ("桥", "qiao"), ("铺", "pu"), ("窑", "yao"),
    ("庙", "miao"), ("园", "yuan"), ("河", "he"),
)  # fmt: skip
# Characters of given names: one or two of them make a name.
NAME_CHARACTERS = (
    "建国桂兰秀英志强红旗满仓金柱玉梅春生冬海军晓燕庆长新民德胜凤保振华丽娟卫东天铁锁改霞大"
    "设小芹根秋菊永刚青山福来喜留书勤花俊峰明亮雪立文博静敏磊伟涛芳云平安荣秀丰收顺利成"
)
TOWNSHIP_STEMS = (
    "城关", "柳林", "石桥", "杨集", "马庄", "高庙", "双河", "白沙", "龙泉", "青山", "清水",
    "李营", "三里河", "孙店", "红花", "桃园", "长岭", "梨园", "鸭河", "古城", "黄龙", "柏树",
)  # fmt: skip
# (name, folder-slug word, the verb that goes with it, what it sells)
INDUSTRIES = (
    ("光伏电站", "guangfu", "建", "花生"), ("香菇", "xianggu", "种", "香菇"),
    ("软籽石榴", "shiliu", "种", "石榴"), ("花生", "huasheng", "种", "花生"),
    ("艾草", "aicao", "种", "艾条"), ("红薯粉条", "fentiao", "做", "粉条"),
    ("乡村民宿", "minsu", "办", "土鸡蛋"), ("肉牛", "rouniu", "养", "牛肉"),
    ("大棚蔬菜", "shucai", "种", "黄瓜"), ("金银花", "jinyinhua", "种", "金银花"),
    ("怀山药", "shanyao", "种", "山药"), ("中药材", "yaocai", "种", "连翘"),
    ("信阳毛尖", "maojian", "种", "毛尖"), ("草莓", "caomei", "种", "草莓"),
    ("苹果", "pingguo", "种", "苹果"), ("辣椒", "lajiao", "种", "辣椒"),
    ("小杂粮", "zaliang", "种", "小米"), ("土蜂蜜", "fengmi", "养", "蜂蜜"),
    ("猕猴桃", "mihoutao", "种", "猕猴桃"), ("柳编", "liubian", "做", "柳编筐"),
    ("油茶", "youcha", "种", "茶油"), ("小龙虾", "longxia", "养", "小龙虾"),
    ("甜瓜", "tiangua", "种", "甜瓜"), ("大蒜", "dasuan", "种", "大蒜"),
    ("食用菌", "jun", "种", "平菇"), ("稻虾共养", "daoxia", "搞", "虾稻米"),
    ("黑山羊", "shanyang", "养", "羊肉"),
)  # fmt: skip
WORKS = (
    "脱贫路上", "好日子", "俺村的新变化", "小康路上", "村里来了工作队", "{industry}红了",
    "{village_short}新歌", "感党恩", "幸福路", "致富经", "一本账", "老书记回村",
)  # fmt: skip

CN_SMALL = "两三四五六七八"
NUMBERS: dict[str, Callable[[random.Random], str]] = {
    "n1": lambda rng: str(rng.randint(2, 9)),
    "n2": lambda rng: str(rng.randint(10, 99)),
    "n3": lambda rng: str(rng.randint(100, 999)),
    "n4": lambda rng: str(rng.randint(1000, 4999)),
    "cn": lambda rng: rng.choice(CN_SMALL),
    "year": lambda rng: str(rng.randint(2013, 2020)),
    "month": lambda rng: str(rng.randint(1, 12)),
    "day": lambda rng: str(rng.randint(1, 28)),
    "age": lambda rng: str(rng.randint(45, 80)),
}

# The phrase grammar: `{name}` is a story slot, a number, `{somebody}` (a fresh name),
# `{kin}` (a fresh name with {person}'s surname) or another entry here, chosen at random
# each time it is used.
GRAMMAR: dict[str, tuple[str, ...]] = {
    "sentence": (
        "{when}，{villager}{did}，{gain}。", "{villager}{when}{did}，{gain}。",
        "{when}{villager}{did}，{did}。", "{when}，{cadres}{helped}，{effect}。",
        "{cadres}{when}{helped}，{effect}。", "{speaker}说，{feeling}。",
        "“{feeling}。”{speaker}说。", "“{past}，{now}。”{person}说。",
        "{speaker}常说：“{feeling}。”", "{place}{scene}。", "{weather}，{place}{scene}。",
        "{when}，{policy}{policy_effect}。", "{policy}{policy_effect}。", "过去{hardship}，{now}。",
        "{count}", "{count}",
    ),
    "villager": (
        "{person}", "{person}", "{person}", "{person}的老伴", "{person}的儿子{kin}",
        "{person}的女儿{kin}", "返乡青年{somebody}", "种植大户{somebody}", "邻居{somebody}",
        "脱贫户{somebody}", "老党员{somebody}", "{age}岁的{somebody}", "{somebody}两口子",
    ),
    "speaker": (
        "{person}", "{person}", "{cadre}", "{villager}", "村支书{somebody}", "妇女主任{somebody}",
    ),
    "cadres": (
        "{cadre}", "第一书记{cadre}", "帮扶责任人{cadre}", "驻村工作队", "村“两委”",
        "{township}的干部", "村支书{somebody}", "村会计{somebody}", "妇女主任{somebody}",
        "{county}的技术员", "帮扶单位",
    ),
    "when": (
        "去年", "今年开春", "前些年", "{year}年", "{year}年冬天", "每到农闲", "这几年", "农忙时节",
        "腊月里", "开春以后", "{month}月份", "脱贫以后", "那年夏天", "麦收前后", "秋收以后",
        "过完年", "上个月", "前年", "{year}年{month}月", "{month}月{day}日那天",
    ),
    "did": (
        "流转了{n2}亩土地", "办起了{industry}合作社", "学会了{skill}", "盖起了{building}",
        "贷了{n1}万元小额信贷", "搞起了{industry}", "买回了{machine}",
        "种下了{n2}亩{quality}{crop}",
        "到{far}打工", "进了村里的扶贫车间", "在{facility}找了份活", "报名参加了{training}",
        "把{goods}卖到了{market}", "领到了{subsidy}", "拿到了{certificate}", "养了{n2}头{animal}",
        "开起了{shop}", "当上了{job}", "跟着{expert}学{skill}", "把老房子改成了{shop}",
        "把{goods}挂到了网上卖", "承包了{n2}亩{land}",
    ),
    "gain": (
        "一年能增收{n1}千多元", "日子越过越红火", "收入翻了一番", "再也不用外出打工了",
        "当年就见了效益", "第二年就还清了贷款", "家里添了{appliance}", "供出了{cn}个大学生",
        "年底分红{n3}元", "心里踏实多了", "腰杆也硬了起来", "吃上了{industry}饭",
        "成了远近闻名的{model}", "一个月能挣{n4}元", "还带着{n1}户邻居一起干",
    ),
    "helped": (
        "修通了{road}", "请来了{expert}", "建起了{facility}", "跑了{cn}趟{office}",
        "挨家挨户{visit}", "把{matter}{handled}", "算清了{account}", "帮{person}申请了{subsidy}",
        "联系上了{buyer}", "办起了{training}", "给村里引来了{project}",
        "帮{villager}找到了{job}的活",
    ),
    "effect": (
        "村里人都说好", "带动了{n2}户乡亲", "全村{n2}户受益", "{crop}亩产提高了{cn}成",
        "村集体一年多了{n2}万元收入", "{goods}再也不愁卖", "{n2}个贫困劳动力在家门口上了班",
        "乡亲们心里有了底",
    ),
    "feeling": (
        "日子有奔头了", "党的政策就是好", "多亏了工作队", "现在干活有劲", "过去想都不敢想",
        "得把日子过好，不能给干部们添麻烦", "再累也值", "孩子有出息比啥都强", "明年还要再扩大",
        "心里亮堂了", "{now}", "好日子是干出来的", "咱也得对得起这份帮扶",
    ),
    "past": ("那时候{hardship}", "以前{hardship}", "{year}年以前，{hardship}"),
    "hardship": (
        "一下雨路就没法走", "吃水要到{n1}里外去挑", "住的是漏雨的土坯房", "家里连台电视都没有",
        "看病得跑到县城", "孩子上学要走{n1}里山路", "地里只能种点玉米", "一年到头攒不下钱",
        "村里的年轻人都走了", "晚上村里黑灯瞎火", "{crop}烂在地里也卖不出去",
    ),
    "now": ("现在{better}", "如今{better}", "这几年{better}"),
    "better": (
        "水泥路修到了家门口", "自来水通到了灶台边", "住上了两层小楼", "家门口就能挣钱",
        "看病能报销一大半", "孩子在家门口上学", "{industry}一年能卖{n1}万多元", "村里装上了路灯",
        "手机上就能把{goods}卖出去", "家家户户都有了活干", "村里建起了{facility}",
    ),
    "place": (
        "村口的文化广场上", "合作社的院子里", "村委会门前", "新修的产业路两边", "晾晒场上",
        "村小学的操场上", "村头的老槐树下", "{person}家的院子里", "{facility}门口",
    ),
    "scene": (
        "堆满了刚收的{crop}", "几个老人坐着晒太阳", "孩子们追着跑", "{cn}辆收购车排着队",
        "晾着一排排{product}", "挂着“{banner}”的红色横幅", "村民们正忙着分拣{crop}",
        "摆着{n2}张桌子，坐满了人", "贴着每一户的增收计划", "停着{cn}辆小轿车",
    ),
    "weather": (
        "太阳刚出来", "细雨刚停", "天刚擦黑", "刚下过一场雪", "麦子正黄", "正是晌午", "风有点凉",
    ),
    "policy": (
        "危房改造", "健康扶贫", "教育扶贫", "小额信贷", "光伏扶贫", "易地扶贫搬迁", "产业奖补",
        "公益岗位", "雨露计划", "家庭医生签约", "残疾人两项补贴", "低保兜底",
    ),
    "policy_effect": (
        "让{person}家{benefit}", "帮{somebody}家{benefit}", "使全村{n2}户{benefit}",
        "让{cn}户老人{benefit}",
    ),
    "benefit": (
        "住上了安全房", "看病不再发愁", "每月多了{n3}元收入", "孩子读书不花钱", "有了稳定的分红",
        "在家门口有了工作", "搬进了新社区", "一年能领{n3}元补贴",
    ),
    "count": (
        "全村{n3}户{n4}口人，{year}年建档立卡的贫困户有{n2}户。",
        "去年村集体经济收入达到{n2}万元，比{year}年多了{cn}倍。",
        "合作社现在有社员{n2}户，{goods}一年能卖{n3}吨。",
        "{industry}基地占地{n3}亩，常年用工{n2}人。",
        "{year}年{person}家人均收入不到{n1}千元，去年已经超过{n2}千元。",
        "村里{n2}户脱贫户，户户都有{n1}项以上的增收门路。",
    ),
    "skill": (
        "嫁接", "修剪果树", "直播带货", "电焊", "香菇接种", "科学养殖", "大棚管理", "烹饪", "缝纫",
        "测土配方施肥", "病虫害防治", "开挖掘机",
    ),
    "building": ("两层小楼", "新厨房", "水冲厕所", "砖瓦房", "新院墙", "阳光房"),
    "road": ("通组路", "产业路", "进村的水泥路", "村后的生产路", "河上的小桥"),
    "machine": ("旋耕机", "三轮车", "播种机", "烘干机", "植保无人机", "冷柜", "电动车"),
    "goods": ("{produce}", "{produce}", "{crop}"),
    "crop": (
        "小麦", "玉米", "花生", "红薯", "辣椒", "大蒜", "艾草",
        "金银花", "山药", "芝麻", "谷子", "西瓜", "香菇", "茶叶", "石榴", "核桃", "桃",
    ),
    "quality": ("", "", "优质", "高产", "富硒", "有机", "新品种"),
    "land": ("荒坡", "河滩地", "撂荒地", "鱼塘", "果园"),
    "expert": (
        "省农科院的专家", "县里的技术员", "外地的老师傅", "农业大学的教授", "种植能手{somebody}",
    ),
    "facility": (
        "扶贫车间", "冷库", "光伏电站", "香菇大棚", "养殖小区", "晾晒场", "农家书屋", "电商服务站",
        "日间照料中心", "幸福院", "村卫生室",
    ),
    "project": ("一家服装厂", "一个{industry}加工项目", "{n3}万元产业资金", "一条电商专线"),
    "buyer": ("{far}的客商", "县里的龙头企业", "几家超市", "学校食堂", "电商平台"),
    "job": ("护林员", "保洁员", "电工", "车间组长", "快递员", "厨师"),
    "far": ("郑州", "深圳", "东莞", "上海", "北京", "昆山", "县城", "镇上的工厂", "义乌", "苏州"),
    "office": ("县城", "银行", "乡政府", "农业农村局", "县医院"),
    "visit": ("走访", "宣讲政策", "核对收入", "登记需求", "发放明白卡"),
    "matter": ("村里的账", "每一户的情况", "收购价格", "分红方案", "每一笔收支"),
    "handled": (
        "公开贴在墙上", "一笔一笔记清楚", "摸得清清楚楚", "写进了台账", "拿到群众会上商量",
    ),
    "training": ("技能培训班", "电商培训班", "厨师培训", "家政培训", "农民夜校"),
    "market": ("郑州的超市", "北京的新发地", "广州", "全国各地", "县城的菜市场", "网上"),
    "subsidy": ("产业奖补资金", "光伏分红", "公益岗位工资", "种粮补贴", "务工交通补贴"),
    "certificate": ("厨师证", "电工证", "驾驶证", "育婴师证", "职业技能证书"),
    "animal": ("黄牛", "黑山羊", "生猪", "肉兔", "奶山羊"),
    "shop": ("小超市", "农家乐", "网店", "修车铺", "豆腐坊", "理发店"),
    "account": ("收入账", "支出账", "分红账", "增收账"),
    "appliance": ("冰箱", "洗衣机", "空调", "电视", "小汽车", "电脑"),
    "model": ("致富能手", "养殖大户", "种植能手", "脱贫好榜样", "带头人"),
    "product": ("粉条", "柿饼", "辣椒", "玉米", "香菇", "红薯干", "艾草"),
    "banner": (
        "脱贫不忘党恩", "感党恩、听党话、跟党走", "奋进新时代", "乡村振兴", "话脱贫、感党恩",
    ),
}  # fmt: skip

TITLES: dict[str, tuple[tuple[str, str], ...]] = {  # (template, folder-slug word or "")
    "入户访": (
        ("{person}家的增收账：{verb}{industry}一年多挣{n1}万元", "zengshou"),
        ("走进{village}脱贫户{person}家", "ruhu"),
        ("{village}入户访：炕头上算清了{account}", "suanzhang"),
        ("{person}：{feeling}", ""),
    ),
    "大家谈": (
        ("{village}“大家谈”：{industry}的收益怎么分", "fenhong"),
        ("{village}群众会上选出三张红榜", "hongbang"),
        ("“扶贫好干部”{cadre}：大家一致推选的人", "haoganbu"),
        ("{village}大家谈：{better}", ""),
    ),
    "回村看": (
        ("老书记{cadre}回{village}：{industry}连成了片", "huicun"),
        ("离村{cn}年，工作队员又回{village}", "huicun"),
        ("回村看：{village}{better}", ""),
        ("当年的第一书记{cadre}，又坐在了老乡炕头", "shuji"),
    ),
    "亮成果": (
        ("《{work}》：写给{village}的{form}作品", "zuopin"),
        ("宣讲团走进{village}：{person}讲{industry}致富路", "xuanjiang"),
        ("采风手记：{village}{scene}", "caifeng"),
        ("{village}文艺队的新节目《{work}》", "wenyidui"),
    ),
    "话未来": (
        ("{village}的“十四五”：把{industry}做成品牌", "shisiwu"),
        ("{person}的家庭增收计划：明年再{verb}些{industry}", "jihua"),
        ("{village}谋划新五年：{industry}、道路和村容一起抓", "guihua"),
        ("话未来：{person}{did}", ""),
    ),
}
SUMMARY_LEADS: dict[str, tuple[str, ...]] = {
    "入户访": ("帮扶责任人{cadre}走进{village}脱贫户{person}家，拉家常、算{account}。",),
    "大家谈": ("{village}上百位村民聚在村委会大院，谈变化、说感受、选红榜。",),
    "回村看": ("曾在{village}驻村的第一书记{cadre}回到村里，看{industry}基地，也看老伙计。",),
    "亮成果": (
        "{village}的村民把自己的脱贫故事编成{form}《{work}》。",
        "脱贫故事宣讲团来到{village}，{person}讲自己{verb}{industry}的经历。",
    ),
    "话未来": ("{village}“两委”拿出“十四五”规划初稿，围绕{industry}请村民一起出主意。",),
}
HEADINGS: dict[str, tuple[str, ...]] = {
    "入户访": ("炕头上的收入账", "从前的日子", "一户一本账", "家里的新变化", "孩子们的书桌"),
    "大家谈": ("先说变化", "再选红榜", "大家的心里话", "散会以后", "账摆在桌面上"),
    "回村看": ("又回到村里", "当年的荒坡", "老伙计", "今昔对比", "临别的时候"),
    "亮成果": ("台上台下", "唱的是自己的事", "采风手记", "演出以后", "村里的文艺队"),
    "话未来": ("新五年的规划", "家家有本增收账", "年轻人回来了", "往后的日子", "产业怎么做大"),
}
# Whole sentences that set the scene of each activity; a few go into every story.
ANCHORS: dict[str, tuple[str, ...]] = {
    "入户访": (
        "{cadre}一进门就坐在小板凳上，和{person}拉起了家常。",
        "收入账一项一项地算：种植、务工、分红、补贴，{cadre}都记在了本子上。",
        "{person}拿出一张《明白卡》，上面写着家里享受的每一项政策。",
        "问到还有什么困难，{person}想了想说：“没啥困难了，就是想让孩子多念点书。”",
    ),
    "大家谈": (
        "群众会在村委会的院子里召开，来了一百多人，板凳不够，不少人站着听。",
        "推选扶贫好干部时，大家几乎都把票投给了{cadre}。",
        "脱贫好榜样推选的是{person}，他靠{verb}{industry}脱了贫，还带着邻居一起干。",
        "会开到天黑，村干部把大家的意见一条一条记下来，贴在了公开栏上。",
    ),
    "回村看": (
        "曾经的驻村第一书记{cadre}回到村里，一下车就被乡亲们围住了。",
        "“那时候这里还是一片荒坡。”{cadre}指着连片的{industry}基地说。",
        "站在村头的老槐树下，{cadre}拍了一张照片，和几年前的那张摆在一起看。",
        "老乡们拉着{cadre}的手不放，非要留他吃一碗手擀面。",
    ),
    "亮成果": (
        "文艺队把村里的变化编成了{form}《{work}》，在文化广场演了三场，场场爆满。",
        "宣讲团成员{person}讲的是自己家的故事，台下不少人听红了眼眶。",
        "采风的这几天，我们跟着村民下地、进棚、上夜校，记了满满一本笔记。",
        "节目的唱词都是村民自己写的，说的就是身边的人和事。",
    ),
    "话未来": (
        "村“两委”拿出了“十四五”规划的初稿，挂在墙上请大家提意见。",
        "规划里写着：扩大{industry}规模，建冷库，搞深加工，打出自己的品牌。",
        "{person}给自己家定了增收计划：再{verb}些{industry}，争取三年收入翻一番。",
        "年轻人{person2}从外地回来，办起了直播间，想把{industry}卖得更远。",
    ),
}

SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class SyntheticStory:
    folder: str  # YYYY-MM-DD-slug
    front_matter: dict[str, Any]
    body: str

    @property
    def header_text(self) -> str:
        """Title and summary: the hand-written text the search index holds."""
        return f"{self.front_matter['title']}{self.front_matter['summary']}"

    def markdown(self) -> str:
        # libyaml's emitter writes the same text as PyYAML's, ten times faster.
        meta = yaml.dump(self.front_matter, Dumper=DUMPER, allow_unicode=True, sort_keys=False)
        return f"---\n{meta}---\n\n{self.body}"


DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class SyntheticVillage:
    """A village of the province-size site: unique in its county by name and by URL slug."""

    name: str  # 张庄村
    county: County
    township: str | None  # None: the story leaves `township` out
    slug: str  # the URL slug the build gives it (pinyin of the name without 村)


def synthetic_stories(
    count: int,
    settings: CampaignSettings,
    seed: int = SEED,
    villages: Sequence[SyntheticVillage] | None = None,
    processes: int = 1,
) -> list[SyntheticStory]:
    """`count` valid stories; story i is the same whatever `count` is.

    Without `villages`, each story draws its own village in a county of city i mod 18. With
    them (`province_villages`), stories go to those villages, five in a row to one village (the
    five activities) and one in BUSY_SHARE to a busy village; story i then also depends on how
    many villages there are. `processes` > 1 generates in that many forked workers.
    """
    chunks = [range(start, min(start + CHUNK, count)) for start in range(0, count, CHUNK)]
    job = _Job(settings, seed, tuple(villages or ()))
    if processes > 1 and len(chunks) > 1:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            drafts = [story for part in pool.map(job, chunks) for story in part]
    else:
        drafts = [story for chunk in chunks for story in job(chunk)]
    stories: list[SyntheticStory] = []
    taken: set[str] = set()
    for story in drafts:
        folder = _unique(story.folder, taken)
        taken.add(folder)
        stories.append(SyntheticStory(folder, story.front_matter, story.body))
    return stories


CHUNK = 2000  # stories per task for the workers


@dataclass(frozen=True)
class _Job:
    """Generates a range of stories; a picklable callable for the worker pool."""

    settings: CampaignSettings
    seed: int
    villages: tuple[SyntheticVillage, ...]

    def __call__(self, indices: range) -> list[SyntheticStory]:
        cities = list(load_gazetteer().cities.values())
        return [
            _story(
                index,
                random.Random(f"{self.seed}:{index}"),
                cities,
                self.settings,
                _village_of(index, self.villages, self.seed),
            )
            for index in indices
        ]


def write_stories(
    stories: Sequence[SyntheticStory], docs_dir: Path, processes: int = 1, under: str = "stories"
) -> None:
    """Each story as `docs_dir/<under>/<folder>/index.md`; `processes` > 1 writes in parallel."""
    target = docs_dir / under
    if processes > 1 and len(stories) > CHUNK:
        global _TO_WRITE  # forked workers inherit it: the stories are not pickled to them
        _TO_WRITE = (stories, target)
        chunks = [range(at, min(at + CHUNK, len(stories))) for at in range(0, len(stories), CHUNK)]
        try:
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                pool.map(_write_chunk, chunks)
        finally:
            _TO_WRITE = None
        return
    _write(stories, target)


_TO_WRITE: tuple[Sequence[SyntheticStory], Path] | None = None


def _write_chunk(indices: range) -> None:
    assert _TO_WRITE is not None
    stories, target = _TO_WRITE
    _write([stories[i] for i in indices], target)


def _write(stories: Sequence[SyntheticStory], target: Path) -> None:
    for story in stories:
        folder = target / story.folder
        folder.mkdir(parents=True)
        (folder / "index.md").write_text(story.markdown(), encoding="utf-8")


# --- the province: every county, villages named as Henan names them -------------------------

STORIES_PER_VILLAGE = 5  # a story per village per activity, as the campaign planned
BUSY_SHARE = 0.05  # share of stories that go to the busiest 1% of villages
# How often each suffix and prefix is drawn: most villages are a surname plus 庄, 寨, 营 or
# 楼, so a county has 张庄村, 李庄村, 王庄村 side by side.
SUFFIX_WEIGHTS = (12, 4, 4, 4, 2, 2, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1)
DISTRICT_WEIGHT, COUNTY_WEIGHT = 1, 4  # a city district has fewer villages than a county
VILLAGES_PER_TOWNSHIP = 15


def province_villages(count: int, seed: int = SEED) -> list[SyntheticVillage]:
    """`count` villages over every county of Henan: the first village of every county, the
    second of every county, and so on.

    Names repeat across counties (every county has a 张庄村) but never within one, and no two
    in a county share a slug, so no story needs a village profile.
    """
    counties = [c for city in load_gazetteer().cities.values() for c in city.counties.values()]
    if count < len(counties):
        raise ValueError(f"a province needs at least {len(counties)} villages, one per county")
    weights = [DISTRICT_WEIGHT if c.name.endswith("区") else COUNTY_WEIGHT for c in counties]
    shares = [1 + (count - len(counties)) * w // sum(weights) for w in weights]
    for extra in range(count - sum(shares)):  # what integer division left over
        shares[extra % len(shares)] += 1
    by_county = [
        _county_villages(county, share, random.Random(f"{seed}:{county.city}{county.name}"))
        for county, share in zip(counties, shares, strict=True)
    ]
    # Round the counties: the first stories (five to a village) already cover the province.
    rounds = max(len(named) for named in by_county)
    return [named[at] for at in range(rounds) for named in by_county if at < len(named)]


def _county_villages(county: County, count: int, rng: random.Random) -> list[SyntheticVillage]:
    stems = rng.sample(TOWNSHIP_STEMS, min(len(TOWNSHIP_STEMS), 1 + count // VILLAGES_PER_TOWNSHIP))
    townships = [stem + rng.choice("镇乡") for stem in stems]
    names: set[str] = set()
    slugs: set[str] = set()
    villages = []
    attempts = 0
    while len(villages) < count:
        attempts += 1
        if attempts > 50 * count + 1000:
            raise ValueError(f"{county.name}: cannot name {count} distinct villages")
        prefix = rng.choice(VILLAGE_PREFIXES)[0]
        surname = rng.choice(SURNAMES)[0]
        suffix = rng.choices(VILLAGE_SUFFIXES, SUFFIX_WEIGHTS)[0][0]
        name = f"{prefix}{surname}{suffix}村"
        slug = pinyin_slug(name)
        if name in names or slug is None or slug in slugs:
            continue
        names.add(name)
        slugs.add(slug)
        township = rng.choice(townships) if rng.random() < 0.8 else None
        villages.append(SyntheticVillage(name, county, township, slug))
    return villages


def _village_of(
    index: int, villages: Sequence[SyntheticVillage], seed: int
) -> SyntheticVillage | None:
    if not villages:
        return None
    if random.Random(f"{seed}:busy:{index}").random() < BUSY_SHARE:
        busy = max(1, len(villages) // 100)  # every hundredth village, across the province
        return villages[index % busy * (len(villages) // busy)]
    return villages[index // STORIES_PER_VILLAGE % len(villages)]


def compression_ratio(bodies: list[str]) -> float:
    """Gzip bytes per character of the bodies, as one text (how a search index holds them)."""
    text = "\n".join(bodies)
    return len(gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)) / max(len(text), 1)


def expand(template: str, rng: random.Random, slots: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in slots:
            return slots[name]
        if name in NUMBERS:
            return NUMBERS[name](rng)
        if name == "somebody":
            return _name(rng)
        if name == "kin":
            return _name(rng, slots["surname"])
        return expand(rng.choice(GRAMMAR[name]), rng, slots)

    return SLOT.sub(fill, template)


def _unique(folder: str, taken: set[str]) -> str:
    candidate, number = folder, 2
    while candidate in taken:
        candidate, number = f"{folder}-{number}", number + 1
    return candidate


def _story(
    index: int,
    rng: random.Random,
    cities: list[City],
    settings: CampaignSettings,
    village: SyntheticVillage | None = None,
) -> SyntheticStory:
    activity = ACTIVITY_NAMES[index % len(ACTIVITY_NAMES)]
    city = cities[index % len(cities)]
    if village is not None:
        city = next(c for c in cities if c.name == village.county.city)
    slots, village_slug, industry_slug = _slots(rng, city, activity, village)
    title, topic = rng.choice(TITLES[activity])
    date = settings.start + dt.timedelta(days=rng.randint(0, (settings.end - settings.start).days))
    written = date + dt.timedelta(days=rng.randint(0, 6))  # the folder's date: day of writing
    front_matter: dict[str, Any] = {
        "title": _within(rng, title, slots, MAX_TITLE),
        "date": date,
        "activity": activity,
        "city": city.name,
        "county": slots["county"],
    }
    if slots["township"] != slots["county"]:
        front_matter["township"] = slots["township"]
    front_matter |= {
        "village": slots["village"],
        "form": slots["form"],
        "authors": _authors(rng, slots),
        "summary": _summary(rng, activity, slots),
    }
    tags = rng.sample(
        [slots["industry"], activity, "乡村振兴", "产业扶贫", "驻村工作队"], rng.randint(0, 3)
    )
    if tags:
        front_matter["tags"] = tags
    folder = f"{written.isoformat()}-{village_slug}-{topic or industry_slug}"
    return SyntheticStory(folder, front_matter, _body(rng, activity, slots))


def _name(rng: random.Random, surname: str | None = None) -> str:
    given = "".join(rng.choices(NAME_CHARACTERS, k=rng.choice((1, 2, 2, 2))))
    return (surname or rng.choice(SURNAMES)[0]) + given


def _slots(
    rng: random.Random, city: City, activity: str, village: SyntheticVillage | None = None
) -> tuple[dict[str, str], str, str]:
    """A story's cast and setting, its village slug and its industry slug.

    The village is drawn even when one is given, so the draws after it stay the same.
    """
    prefix, prefix_py = rng.choice(VILLAGE_PREFIXES)
    surname, surname_py = rng.choice(SURNAMES)
    suffix, suffix_py = rng.choice(VILLAGE_SUFFIXES)
    industry, industry_slug, verb, produce = rng.choice(INDUSTRIES)
    person_surname = surname if rng.random() < 0.5 else rng.choice(SURNAMES)[0]
    county = rng.choice(list(city.counties))
    township = county if rng.random() < 0.2 else rng.choice(TOWNSHIP_STEMS) + rng.choice("镇乡")
    slots = {
        "person": _name(rng, person_surname),
        "surname": person_surname,
        "person2": _name(rng),
        "cadre": _name(rng),
        "village": prefix + surname + suffix + "村",
        "village_short": prefix + surname + suffix,
        "county": county,
        "city_short": city.name.removesuffix("市").removesuffix("示范区"),
        "township": township,
        "industry": industry,
        "verb": verb,
        "produce": produce,
        "form": rng.choice(FORMS_BY_ACTIVITY[activity]),
    }
    if village is not None:
        slots |= {
            "village": village.name,
            "village_short": village.name.removesuffix("村"),
            "county": village.county.name,
            "township": village.township or village.county.name,
        }
        prefix_py, surname_py, suffix_py = village.slug, "", ""
    slots["work"] = expand(rng.choice(WORKS), rng, slots)
    return slots, prefix_py + surname_py + suffix_py, industry_slug


def _within(rng: random.Random, template: str, slots: dict[str, str], limit: int) -> str:
    """The template expanded; re-drawn until it fits the limit (the grammar rarely exceeds it)."""
    text = expand(template, rng, slots)
    while len(text) > limit:
        text = expand(template, rng, slots)
    return text


def _summary(rng: random.Random, activity: str, slots: dict[str, str]) -> str:
    summary = expand(rng.choice(SUMMARY_LEADS[activity]), rng, slots)
    for _ in range(rng.randint(1, 2)):
        sentence = expand("{sentence}", rng, slots)
        if len(summary) + len(sentence) <= MAX_SUMMARY:
            summary += sentence
    return summary


def _authors(rng: random.Random, slots: dict[str, str]) -> list[dict[str, str]]:
    roles = ROLES_BY_FORM.get(slots["form"], ARTS_ROLES)
    authors = []
    for _ in range(1 if rng.random() < 0.75 else 2):
        role = rng.choice(roles)
        author = {"name": _name(rng), "role": role}
        org = expand(rng.choice(ORGS_BY_ROLE[role]), rng, slots)
        if org:
            author["org"] = org
        authors.append(author)
    return authors


def _body(rng: random.Random, activity: str, slots: dict[str, str]) -> str:
    """An opening and two or three `##` sections, BODY_MIN to BODY_MAX characters in all."""
    headings = rng.sample(HEADINGS[activity], rng.randint(2, 3))
    anchors = [expand(a, rng, slots) for a in rng.sample(ANCHORS[activity], 3)]
    sections: list[list[list[str]]] = [[[]] for _ in range(len(headings) + 1)]
    room = [rng.randint(2, 4) for _ in sections]  # sentences left in each section's paragraph
    target = rng.randint(BODY_MIN, BODY_MAX - 60)
    # The length `_markdown` would give, kept as sentences go in: re-joining the body after
    # every sentence made generation quadratic, too slow for a province of 50,000 stories.
    blocks = len(headings)
    length = sum(len(f"## {h}") for h in headings) + 1
    number = 0
    while number < len(sections) or length + 2 * (blocks - 1) < target:
        use_anchor = anchors and (number == 0 or rng.random() < ANCHOR_SHARE)
        sentence = anchors.pop() if use_anchor else expand("{sentence}", rng, slots)
        at = number % len(sections)
        section = sections[at]
        if room[at] == 0:
            section.append([])
            room[at] = rng.randint(1, 4)
        if not section[-1]:
            blocks += 1
        section[-1].append(sentence)
        length += len(sentence)
        room[at] -= 1
        if length + 2 * (blocks - 1) > BODY_MAX:
            section[-1].pop()  # one sentence too many; the body is long enough without it
            break
        number += 1
    return _markdown(headings, sections)


def _markdown(headings: list[str], sections: list[list[list[str]]]) -> str:
    blocks = ["".join(p) for p in sections[0] if p]
    for heading, paragraphs in zip(headings, sections[1:], strict=True):
        blocks.append(f"## {heading}")
        blocks += ["".join(p) for p in paragraphs if p]
    return "\n\n".join(blocks) + "\n"
