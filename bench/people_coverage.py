"""Coverage of the curated people base: which office-years since 2000 have no curated holder.

The issue asks for heads of state and government and foreign, defence and interior ministers since 2000 of the
G20, ASEAN, the EU and forty other newsworthy countries. This script checks, for each country and office class,
whether some curated role of that class was held on 1 July of every year, and prints the years that have none.
It measures the data; it does not judge whether a holder is right.

    .venv/bin/python bench/people_coverage.py                 # every country group, summary per group
    .venv/bin/python bench/people_coverage.py --gaps          # plus the missing years per country and office
    .venv/bin/python bench/people_coverage.py --countries IRN,ISR --offices FM,DEF
"""

from __future__ import annotations

import argparse
import re
from datetime import date

from dotterel.actors.people import PeopleBase, load_people

G20 = "ARG AUS BRA CAN CHN DEU FRA GBR IDN IND ITA JPN KOR MEX RUS SAU TUR USA ZAF".split()
ASEAN = "BRN KHM IDN LAO MYS MMR PHL SGP THA VNM".split()
EU = ("AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT ROU SVK SVN "
      "ESP SWE").split()
# Our reading of "the forty most newsworthy other countries": those most often in international news since 2000.
OTHER40 = ("IRN ISR PSE PAK AFG EGY IRQ SYR LBN JOR QAT ARE YEM LBY SDN SSD ETH NGA KEN SOM COD UKR BLR GEO "
           "ARM AZE SRB NOR CHE VEN COL CUB PRK TWN BGD LKA MAR DZA MLI NZL").split()
GROUPS = {"G20": G20, "ASEAN": ASEAN, "EU": EU, "OTHER40": OTHER40}

OFFICES = {
    "HOS": re.compile(r"^(president|king|queen|emir|sultan|supreme leader|head of state|grand duke|prince|"
                      r"emperor|chairman of the (state affairs|presidential|sovereignty|transitional sovereignty|"
                      r"presidency|state peace|supreme council|national transitional)|"
                      r"president of the (federal council|confederation|state administration|council|presidential)|"
                      r"supreme commander|governor[- ]general|transitional president|interim president|"
                      r"acting president|acting head of state|president of the swiss)", re.I),
    "HOG": re.compile(r"^(?!head of government of )(.*\b)?(prime minister|premier|chancellor|head of government|"
                      r"taoiseach|state counsellor|chairman of the council of ministers|president of the government|"
                      r"president of the council of ministers|chief executive|chief adviser)", re.I),
    "FM": re.compile(r"(foreign|external affairs|secretary of state$|minister of state for foreign)", re.I),
    "DEF": re.compile(r"(defen[cs]e|armed forces minister|minister of war)", re.I),
    "INT": re.compile(r"(interior|home affairs|home secretary|home minister|public security|homeland security|"
                      r"internal affairs|internal security|minister of security|security minister)", re.I),
}
EXCLUDE = re.compile(r"\b(deputy|vice|former|shadow|acting deputy|under|assistant|junior|state secretary)\b", re.I)


def held_years(base: PeopleBase, country: str, office: str, years: range) -> set[int]:
    """Years in which some curated role of the office class was held on 1 July."""
    pattern = OFFICES[office]
    roles = [r for p in base for r in p.roles
             if r.country == country and pattern.search(r.title) and not EXCLUDE.search(r.title)]
    return {y for y in years if any(r.valid_on(date(y, 7, 1)) for r in roles)}


def presidential(base: PeopleBase, country: str, since: int) -> bool:
    """True when no curated role since ``since`` is a head of government: the president then heads it."""
    return not any(OFFICES["HOG"].search(r.title) and not EXCLUDE.search(r.title)
                   and (r.end is None or r.end.year >= since)
                   for p in base for r in p.roles if r.country == country)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--countries", help="comma-separated ISO codes (default: all groups)")
    parser.add_argument("--offices", default="HOS,HOG,FM,DEF,INT", help="comma-separated office classes")
    parser.add_argument("--since", type=int, default=2000)
    parser.add_argument("--gaps", action="store_true", help="print the missing years per country and office")
    args = parser.parse_args()
    base = load_people()
    years = range(args.since, date.today().year + 1)
    offices = args.offices.split(",")
    groups = {"selected": args.countries.split(",")} if args.countries else GROUPS
    print(f"curated base: {len(base)} people, {sum(len(p.roles) for p in base)} roles")
    for group, countries in groups.items():
        total = covered = 0
        gaps: list[str] = []
        for country in countries:
            for office in offices:
                if office == "HOG" and presidential(base, country, args.since):
                    continue
                held = held_years(base, country, office, years)
                total += len(years)
                covered += len(held)
                missing = [y for y in years if y not in held]
                if missing:
                    gaps.append(f"  {country} {office}: {len(missing)} years missing: "
                                + ",".join(str(y) for y in missing))
        share = covered / total if total else 1.0
        print(f"{group}: {covered}/{total} office-years covered ({share:.1%})")
        if args.gaps:
            print("\n".join(gaps))


if __name__ == "__main__":
    main()
