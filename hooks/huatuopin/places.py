"""City and county fields checked against the gazetteer."""

from __future__ import annotations

from .fields import FieldReader, closest, join_options
from .gazetteer import City, County, Gazetteer


def read_city(reader: FieldReader, gazetteer: Gazetteer) -> City | None:
    """The `city` field as a gazetteer entry: one of the 17 省辖市 or 济源示范区."""
    name = reader.text("city")
    if name is None:
        return None
    city = gazetteer.city(name)
    if city is None:
        options = list(gazetteer.cities)
        hint = closest(name, options, cutoff=0.4) or closest(name + "市", options)
        guess = f"是不是想写“{hint}”？" if hint else ""
        reader.report("city", f"“{name}”不是河南省的省辖市；{guess}可选：{join_options(options)}")
    return city


def read_city_county(
    reader: FieldReader, gazetteer: Gazetteer, hints: list[str]
) -> tuple[City | None, County | None]:
    """The `city` and `county` fields as gazetteer entries; old county names add a hint."""
    city = read_city(reader, gazetteer)
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
    if match.renamed_from:
        hints.append(
            f"{reader.path}:{reader.line('county')}: county: “{match.renamed_from}”已更名为"
            f"“{match.county.name}”，按新名称归类；方便时请改成新名称"
        )
    return city, match.county
