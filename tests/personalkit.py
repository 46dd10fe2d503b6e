"""Personal numbers for the tests, built the way real ones are (check digits, Luhn), so no
test needs a real person's data; and the ways people write them down."""

from __future__ import annotations

from huatuopin.personaldata import passes_luhn


def id_check_digit(first17: str) -> str:
    """GB 11643-1999 (ISO 7064 MOD 11-2): weight 2^(17-i) mod 11 for the i-th digit."""
    total = sum(int(digit) * pow(2, 17 - i, 11) for i, digit in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def identity_number(birth: str = "19850312", sequence: str = "123", region: str = "410102") -> str:
    first17 = region + birth + sequence  # 410102: 郑州市中原区
    return first17 + id_check_digit(first17)


def luhn_complete(partial: str) -> str:
    """`partial` followed by the digit that makes the whole pass Luhn."""
    return next(partial + d for d in "0123456789" if passes_luhn(partial + d))


def luhn_failing(partial: str) -> str:
    return next(partial + d for d in "0123456789" if not passes_luhn(partial + d))


def grouped(number: str, sizes: tuple[int, ...], separator: str = " ") -> str:
    parts, start = [], 0
    for size in sizes:
        parts.append(number[start : start + size])
        start += size
    assert start == len(number)
    return separator.join(parts)


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


ID = identity_number()
# A wrong check digit that also fails Luhn, so it cannot pass as a bank card either.
WRONG_ID = next(ID[:17] + d for d in "0123456789" if d != ID[17] and not passes_luhn(ID[:17] + d))
ID_X = next(
    n for n in (identity_number(sequence=f"{s:03d}") for s in range(1000)) if n.endswith("X")
)
MOBILE = "13812345678"
UNIONPAY_19 = luhn_complete("621700123456789012")
CARD_16 = luhn_complete("622848001234567")
# Issuer prefixes the old check did not know (it accepted only cards starting with 3–6).
CARD_PREFIX_1 = luhn_complete("100012345678901")
CARD_PREFIX_8 = luhn_complete("812345678901234567")
CARD_PREFIX_9 = luhn_complete("95588001234567890")
