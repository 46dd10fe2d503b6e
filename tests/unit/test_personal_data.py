"""The personal-number detector on its own: every way people write an ID number, a mobile
number or a bank card is found, at the line where it starts, and ordinary long numbers
(years, dates, amounts, landlines, timestamps, order numbers) are left alone."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from huatuopin.personaldata import find_personal_data, is_identity_card, passes_luhn
from personalkit import (
    CARD_16,
    CARD_PREFIX_1,
    CARD_PREFIX_8,
    CARD_PREFIX_9,
    ID,
    ID_X,
    MOBILE,
    UNIONPAY_19,
    WRONG_ID,
    full_width,
    grouped,
    identity_number,
    luhn_complete,
    luhn_failing,
)


def kinds(text: str) -> list[str]:
    """The kind of number named by each finding (身份证号码, 手机号码, 银行卡号)."""
    found = []
    for finding in find_personal_data(text):
        noun = finding.message.split("“", 1)[0].removeprefix("含有")
        found.append(noun)
    return found


def test_generated_numbers_are_what_they_claim() -> None:
    assert is_identity_card(ID) and is_identity_card(ID_X) and is_identity_card(ID_X.lower())
    for card in (UNIONPAY_19, CARD_16, CARD_PREFIX_1, CARD_PREFIX_8, CARD_PREFIX_9):
        assert passes_luhn(card)
    assert not is_identity_card(WRONG_ID)


# -- every written form is found ------------------------------------------------------------

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
SPACES = ["\u3000", "\u00a0", "\u202f", "\u2002", "\t", "  "]
DOTS = [".", "·", "•", "。", "｡", "．"]
DASHES = ["-", "－", "‐", "‑", "‒", "–", "—", "―", "−", "/", "／"]
MOBILE_PREFIXES = [f"13{n}" for n in "09"] + ["145", "149", "150", "153", "155", "162", "165"]
MOBILE_PREFIXES += ["166", "167", "170", "178", "180", "189", "190", "199"]

WRITTEN_FORMS = [
    # ID numbers
    pytest.param(ID, "身份证号码", id="id-plain"),
    pytest.param(grouped(ID, (6, 8, 4)), "身份证号码", id="id-6-8-4"),
    pytest.param(grouped(ID_X, (6, 8, 4)), "身份证号码", id="id-6-8-4-x"),
    pytest.param(grouped(ID_X.lower(), (6, 4, 4, 4)), "身份证号码", id="id-lower-x-6-4-4-4"),
    pytest.param(grouped(ID, (3, 3, 4, 4, 4), "-"), "身份证号码", id="id-hyphens"),
    pytest.param(full_width(ID_X), "身份证号码", id="id-full-width"),
    pytest.param(grouped(ID, (6, 8, 4), "\u3000"), "身份证号码", id="id-ideographic-space"),
    pytest.param("\u200b".join(ID), "身份证号码", id="id-zero-width-between-digits"),
    pytest.param(grouped(ID, (6, 8, 4), "\n"), "身份证号码", id="id-over-three-lines"),
    pytest.param(
        identity_number(region="941840", birth="19900101"),
        "身份证号码",
        id="id-foreigner-permanent-residence",
    ),
    # mobile numbers
    pytest.param(MOBILE, "手机号码", id="mobile-plain"),
    pytest.param(full_width(MOBILE), "手机号码", id="mobile-full-width"),
    pytest.param("138.1234.5678", "手机号码", id="mobile-dots"),
    pytest.param("138 1234 5678", "手机号码", id="mobile-spaces"),
    pytest.param("138-1234-5678", "手机号码", id="mobile-hyphens"),
    pytest.param("138 12345678", "手机号码", id="mobile-3-8"),
    pytest.param("1381234 5678", "手机号码", id="mobile-7-4"),
    pytest.param("1381 2345 678", "手机号码", id="mobile-4-4-3"),
    pytest.param("+86 13812345678", "手机号码", id="mobile-plus-86"),
    pytest.param("+8613812345678", "手机号码", id="mobile-plus-86-joined"),
    pytest.param("8613812345678", "手机号码", id="mobile-86-joined"),
    pytest.param("86 138 1234 5678", "手机号码", id="mobile-86-grouped"),
    pytest.param("0086 138 1234 5678", "手机号码", id="mobile-0086"),
    pytest.param("008613812345678", "手机号码", id="mobile-0086-joined"),
    pytest.param("+86-138-1234-5678", "手机号码", id="mobile-plus-86-hyphens"),
    pytest.param("(+86) 138 1234 5678", "手机号码", id="mobile-86-in-brackets"),
    pytest.param("（＋８６）１３８－１２３４－５６７８", "手机号码", id="mobile-all-full-width"),
    pytest.param("【138】1234 5678", "手机号码", id="mobile-lenticular-brackets"),
    pytest.param("(138)1234-5678", "手机号码", id="mobile-brackets"),
    pytest.param("[138] 1234 5678", "手机号码", id="mobile-square-brackets"),
    pytest.param("138 - 1234 - 5678", "手机号码", id="mobile-spaced-hyphens"),
    pytest.param("电话 138 1234\n5678", "手机号码", id="mobile-over-two-lines"),
    pytest.param("- 电话 138 1234\n  5678", "手机号码", id="mobile-over-list-continuation"),
    pytest.param("电话 138-1234-\n5678", "手机号码", id="mobile-wrapped-after-a-hyphen"),
    pytest.param("电话 138-1234\n-5678", "手机号码", id="mobile-wrapped-before-a-hyphen"),
    pytest.param("&#49;&#51;&#56;&#x31;&#x32;34 5678", "手机号码", id="mobile-html-references"),
    pytest.param("tel:+8613812345678", "手机号码", id="mobile-tel-link"),
    pytest.param("٠١٣٨١٢٣٤٥٦٧٨"[1:], "手机号码", id="mobile-arabic-indic-digits"),
    pytest.param("zhang-13812345678", "手机号码", id="mobile-in-a-file-name"),
    pytest.param("2021-03-12-138-1234-5678", "手机号码", id="mobile-in-a-folder-name"),
    *[
        pytest.param(f"{prefix}12345678", "手机号码", id=f"mobile-prefix-{prefix}")
        for prefix in MOBILE_PREFIXES
    ],
    *[
        pytest.param(f"138{s}1234{s}5678", "手机号码", id=f"mobile-space-U+{ord(s[0]):04X}")
        for s in SPACES
    ],
    *[
        pytest.param(f"138{z}1234{z}5678", "手机号码", id=f"mobile-invisible-U+{ord(z):04X}")
        for z in ZERO_WIDTH
    ],
    *[
        pytest.param(f"138{d}1234{d}5678", "手机号码", id=f"mobile-separator-U+{ord(d):04X}")
        for d in DOTS + DASHES
    ],
    # bank cards
    pytest.param(UNIONPAY_19, "银行卡号", id="card-19"),
    pytest.param(CARD_16, "银行卡号", id="card-16"),
    pytest.param(grouped(UNIONPAY_19, (4, 4, 4, 4, 3)), "银行卡号", id="card-4-4-4-4-3"),
    pytest.param(grouped(UNIONPAY_19, (4, 4, 4, 4, 3), "."), "银行卡号", id="card-dotted"),
    pytest.param(grouped(UNIONPAY_19, (4, 4, 4, 4, 3), "·"), "银行卡号", id="card-middle-dots"),
    pytest.param(grouped(CARD_16, (4, 4, 4, 4), "-"), "银行卡号", id="card-hyphens"),
    pytest.param(grouped(UNIONPAY_19, (6, 13)), "银行卡号", id="card-6-13"),
    pytest.param(full_width(grouped(CARD_16, (4, 4, 4, 4))), "银行卡号", id="card-full-width"),
    pytest.param(grouped(CARD_16, (4, 4, 4, 4), "\u00a0"), "银行卡号", id="card-no-break-spaces"),
    pytest.param(grouped(UNIONPAY_19, (8, 11), "\n"), "银行卡号", id="card-over-two-lines"),
    pytest.param(CARD_PREFIX_1, "银行卡号", id="card-prefix-1"),
    pytest.param(CARD_PREFIX_8, "银行卡号", id="card-prefix-8"),
    pytest.param(grouped(CARD_PREFIX_9, (4, 4, 4, 4, 2)), "银行卡号", id="card-prefix-9-grouped"),
]


@pytest.mark.parametrize(("text", "kind"), WRITTEN_FORMS)
def test_every_written_form_is_found(text: str, kind: str) -> None:
    sentence = f"有事找老李，{text}，记下了吗？"

    findings = find_personal_data(sentence)

    assert kinds(sentence) == [kind], findings
    (finding,) = findings
    assert finding.line_offset == 0
    assert "请删除" in finding.message
    digits = "".join(c for c in text if c.isdigit())
    assert digits[-11:] not in finding.message  # masked: never the whole number
    assert "***" in finding.message


def test_the_masked_number_keeps_its_ends() -> None:
    (mobile,) = find_personal_data("+86 138 1234 5678")
    (card,) = find_personal_data(UNIONPAY_19)
    (identity,) = find_personal_data(ID_X)

    assert "“138****5678”" in mobile.message
    assert f"“{UNIONPAY_19[:3]}{'*' * 12}{UNIONPAY_19[-4:]}”" in card.message
    assert f"“{ID_X[:3]}{'*' * 11}{ID_X[-4:]}”" in identity.message


def test_each_finding_is_at_the_line_where_its_number_starts() -> None:
    text = "\n".join(
        [
            "第一行没有号码。",
            "手机 138 1234",  # continues on the next line
            "5678，身份证",
            grouped(ID, (6, 8, 4)),
            "",
            f"卡号 {grouped(UNIONPAY_19, (4, 4, 4, 4, 3), '.')}",
        ]
    )

    assert [(f.line_offset, f.message[:6]) for f in find_personal_data(text)] == [
        (1, "含有手机号码"),
        (3, "含有身份证号"),
        (5, "含有银行卡号"),
    ]


def test_line_is_right_after_full_width_text_and_references() -> None:
    text = "ｆｕｌｌ　ｗｉｄｔｈ &amp; 全角\n&#49;&#50;\n１３８ １２３４ ５６７８"

    assert [f.line_offset for f in find_personal_data(text)] == [2]


def test_several_numbers_in_one_chain_are_each_reported() -> None:
    text = f"{MOBILE} {UNIONPAY_19} {grouped(ID, (6, 8, 4))} 139 1234 5678"

    assert sorted(kinds(text)) == ["手机号码", "手机号码", "身份证号码", "银行卡号"]


def test_an_identity_number_is_not_also_a_card() -> None:
    luhn_passing = next(
        n
        for n in (identity_number(sequence=f"{s:03d}") for s in range(1000))
        if n.isdigit() and passes_luhn(n)
    )

    assert kinds(luhn_passing) == ["身份证号码"]
    assert kinds(grouped(luhn_passing, (6, 8, 4))) == ["身份证号码"]


FIRST_16 = luhn_complete("621700123456789")


def test_a_nineteen_digit_card_is_one_finding() -> None:
    """Its first sixteen digits pass Luhn too; the whole card is reported, once."""
    card = next(FIRST_16 + f"{n:03d}" for n in range(1000) if passes_luhn(FIRST_16 + f"{n:03d}"))

    for text in (card, grouped(card, (4, 4, 4, 4, 3))):
        (finding,) = find_personal_data(text)
        assert card[-4:] in finding.message


# -- ordinary numbers stay quiet ------------------------------------------------------------


def years_passing_luhn(count: int) -> list[int]:
    """Years of the campaign's decade whose digits, run together, pass Luhn."""
    for years in itertools.combinations(range(2010, 2026), count):
        if passes_luhn("".join(map(str, years))):
            return list(years)
    raise AssertionError("unreachable")


LUHN_YEARS_4 = " ".join(map(str, years_passing_luhn(4)))
LUHN_YEARS_4_HYPHENS = "-".join(map(str, years_passing_luhn(4)))
ORDER_16 = luhn_failing("202103120000123")
ORDER_19 = luhn_failing("202103120000123456")
# Twenty digits in groups of four whose first sixteen pass Luhn: part of a longer number.
SERIAL_20 = luhn_complete("621700123456789") + "1234"

ORDINARY = [
    # years and lists of years
    "二〇一六年到二〇一九年：2016 2017 2018 2019",
    "2016 2017 2018 2019 2020 2021",
    f"这几年：{LUHN_YEARS_4}",
    f"这几年：{LUHN_YEARS_4_HYPHENS}",
    "2016—2021 年",
    "2016-2017-2018-2019 四年",
    "2013 2014 2015 2016 2017 2018 2019 2020 2021",
    "2016.2017.2018.2019.2020",
    # dates and times
    "2021.03.12",
    "2021-03-12 10:30",
    "2021-03-12 13:00 至 2021-03-15 17:30",
    "2021/03/12—2021/07/31",
    "2021.03.12 2021.03.15 2021.04.01",
    "20210312",
    "2021年3月12日上午10时",
    # amounts, areas, populations
    "1,234,567.89 元",
    "年收入 38000 元",
    "12345678 元",
    "人均纯收入从 2800 元增加到 11000 元。",
    "村集体经济收入 1 234 567 元",
    "耕地 2345.6 亩，林地 12,345 平方米",
    "全村 1234 户 5678 人",
    "人口 12345678",
    "总面积 138.5 平方公里，人口 12.34 万",
    # subtitles and times
    "00:00:01.000 --> 00:00:04.000",
    "01:02:03.456 --> 01:02:05.000 line:0 position:10%",
    # phone-like numbers that fail the rules
    "12345678901",
    "订单号 213812345678 前面还有数字。",
    "编号 1381234567 只有十位。",
    "13812345678901 是十四位的流水号",
    "12012345678",
    "14012345678",
    "15412345678",
    "16012345678",
    "17912345678",
    f"订单号 {ORDER_16}",
    f"订单号 {grouped(ORDER_16, (4, 4, 4, 4))}",
    f"流水号 {ORDER_19}",
    f"序列号 {grouped(SERIAL_20, (4, 4, 4, 4, 4))}",
    f"序列号 {SERIAL_20}",
    # landlines: office numbers are public
    "0371-65912345",
    "(0371) 6591 2345",
    "0371 6591 2345",
    "010-8888 8888",
    "+86 371 6591 2345",
    "0086-371-65912345",
    "电话：0378-2345678，传真：0378-2345679",
    # ISBNs and serial numbers
    "ISBN 978-7-5366-1234-5",
    "ISBN 978-7-111-54321-0",
    "ISBN 7-5366-1234-X",
    "编号 HT-2021-0312-0001",
    "证书编号：豫扶字〔2021〕138 号",
    "IMG_20210312_103045.jpg",
    "mmexport1615532345678.jpg",
    "Screenshot_2021-03-12-10-30-45-123_com.tencent.mm.jpg",
    # ID-like numbers that fail the rules
    f"编号{WRONG_ID}",
    grouped(WRONG_ID, (6, 8, 4)),
    luhn_failing(identity_number(region="990102")[:17]),  # no province 99
    luhn_failing("410102" + "19850230" + "123"),  # no 30 February
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_numbers_are_not_flagged(text: str) -> None:
    assert find_personal_data(text) == []


def test_an_identity_number_in_the_future_is_not_one() -> None:
    today = dt.date(2021, 3, 12)
    assert is_identity_card(identity_number(birth="20210312"), today)
    assert not is_identity_card(identity_number(birth="20210313"), today)
    assert not is_identity_card(identity_number(birth="18991231"), today)


def test_an_identity_number_needs_a_province() -> None:
    assert not is_identity_card(identity_number(region="990102"))
    assert not is_identity_card(identity_number(region="000000"))
    assert is_identity_card(identity_number(region="650102"))


def test_a_card_number_is_never_cut_out_of_a_longer_run() -> None:
    """19 digits failing Luhn whose first 16 pass: nothing, in one run or in groups."""
    longer = next(
        FIRST_16 + tail
        for tail in (f"{n:03d}" for n in range(1000))
        if not any(passes_luhn((FIRST_16 + tail)[:k]) for k in (17, 18, 19))
    )

    assert find_personal_data(longer) == []
    assert find_personal_data(grouped(longer, (4, 4, 4, 4, 3))) == []


def test_a_blank_line_ends_a_number() -> None:
    assert find_personal_data("138 1234\n\n5678") == []
    for marker in ("- ", "* ", "+ "):
        assert find_personal_data(f"电话 138\n{marker}1234 5678") == []  # a new list item
