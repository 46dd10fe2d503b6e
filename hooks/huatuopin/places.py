"""City and county fields checked against the gazetteer."""

from __future__ import annotations

from .fields import FieldReader, closest, join_options
from .gazetteer import City, County, Gazetteer, OldName


def read_city(
    reader: FieldReader, gazetteer: Gazetteer, hints: list[str] | None = None
) -> City | None:
    """The `city` field as a gazetteer entry: one of the 17 省辖市 or 济源示范区.

    An old name (济源市) is accepted; its hint goes to `hints` when given.
    """
    name = reader.text("city")
    if name is None:
        return None
    match = gazetteer.city_match(name)
    if match is None:
        options = list(gazetteer.cities)
        hint = closest(name, options, cutoff=0.4) or closest(name + "市", options)
        guess = f"是不是想写“{hint}”？" if hint else ""
        reader.report("city", f"“{name}”不是河南省的省辖市；{guess}可选：{join_options(options)}")
        return None
    if match.old_name is not None and hints is not None:
        hints.append(_hint(reader, "city", match.old_name))
    return match.city


def read_city_county(
    reader: FieldReader, gazetteer: Gazetteer, hints: list[str]
) -> tuple[City | None, County | None]:
    """The `city` and `county` fields as gazetteer entries; old names add a hint."""
    city = read_city(reader, gazetteer, hints)
    county_name = reader.text("county")
    if city is None:
        return None, None
    if county_name is None:
        return city, None
    match = gazetteer.county(city.name, county_name)
    if match is None:
        elsewhere = [c.name for c in gazetteer.city_holding_county(county_name)]
        if elsewhere:
            reader.report(
                "county",
                f"“{county_name}”属于{join_options(elsewhere)}，不属于{city.name}；"
                "请核对 city 和 county",
            )
        else:
            hint = closest(county_name, city.counties, cutoff=0.4)
            guess = f"是不是想写“{hint}”？" if hint else f"可选：{join_options(city.counties)}"
            reader.report("county", f"“{county_name}”不是{city.name}的县级行政区；{guess}")
        return city, None
    if match.old_name is not None:
        hints.append(_hint(reader, "county", match.old_name))
    return city, match.county


def _hint(reader: FieldReader, key: str, old_name: OldName) -> str:
    return f"{reader.path}:{reader.line(key)}: {reader.name_of(key)}: {old_name.hint()}"
