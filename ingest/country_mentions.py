"""The countries a passage concerns: the ones it names (in English or Russian), and its
document's country when the document is about one country.

A passage "concerns" a country when its text or its headings name the country or use its
adjective ("Sweden", "Swedish", "Швеция", "шведская"), or when it belongs to a document the
catalog ties to exactly one country (a Serbian good-practice report is about Serbia throughout).
A document listing several countries lends them to none of its passages: only the passages that
name a country count for it, so filtering on Sweden no longer returns every passage of a general
document that mentions Sweden once.

English names are matched case-sensitively (so "polish", "turkey" and "us" do not count);
Russian ones by their stems, in any case and ending ("Сербии", "сербской").
"""

from __future__ import annotations

import re
from functools import cache

from ingest.models import DocumentMeta, Passage

# ISO 3166-1 alpha-2 code -> English names and adjectives (whole words), Russian stems.
# Language names that double as adjectives ("English", "Russian") are left out: "the Russian
# translation" is not about Russia.
PATTERNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "AL": (("Albania", "Albanian"), ("албани",)),
    "AM": (("Armenia", "Armenian"), ("армени", "армянск")),
    "AT": (("Austria", "Austrian"), ("австри",)),
    "AU": (("Australia", "Australian"), ("австрали",)),
    "AZ": (("Azerbaijan", "Azerbaijani"), ("азербайджан",)),
    "BA": (("Bosnia and Herzegovina", "Bosnia", "Bosnian"), ("босни",)),
    "BE": (("Belgium", "Belgian"), ("бельги",)),
    "BG": (("Bulgaria", "Bulgarian"), ("болгари", "болгарск")),
    "BY": (("Belarus", "Belarusian"), ("беларус", "белорус")),
    "CA": (("Canada", "Canadian"), ("канад",)),
    "CH": (("Switzerland", "Swiss"), ("швейцари",)),
    "CY": (("Cyprus", "Cypriot"), ("кипр",)),
    "CZ": (("Czechia", "Czech Republic", "Czech"), ("чехи", "чешск")),
    "DE": (("Germany", "German", "North Rhine-Westphalia"), ("германи", "немецк")),
    "DK": (("Denmark", "Danish"), ("дани", "датск")),
    "EE": (("Estonia", "Estonian"), ("эстони",)),
    "ES": (("Spain", "Spanish"), ("испани",)),
    "FI": (("Finland", "Finnish"), ("финлянди", "финск")),
    "FR": (("France", "French"), ("франци",)),
    "GB": (
        (
            "United Kingdom",
            "UK",
            "U.K.",
            "Britain",
            "British",
            "England",
            "Scotland",
            "Scottish",
            "Northern Ireland",
        ),
        ("великобритани", "британск", "соединённое королевство", "соединенное королевство"),
    ),
    "GE": (("Georgia", "Georgian"), ("грузи",)),
    "GR": (("Greece", "Greek"), ("греци", "греческ")),
    "HR": (("Croatia", "Croatian"), ("хорвати",)),
    "HU": (("Hungary", "Hungarian"), ("венгри", "венгерск")),
    "IE": (("Ireland", "Irish"), ("ирланди",)),
    "IS": (("Iceland", "Icelandic"), ("исланди",)),
    "IT": (("Italy", "Italian"), ("итали",)),
    "KG": (("Kyrgyzstan", "Kyrgyz"), ("кыргыз", "киргиз")),
    "KZ": (("Kazakhstan", "Kazakh"), ("казахстан",)),
    "LI": (("Liechtenstein",), ("лихтенштейн",)),
    "LT": (("Lithuania", "Lithuanian"), ("литв", "литовск")),
    "LU": (("Luxembourg",), ("люксембург",)),
    "LV": (("Latvia", "Latvian"), ("латви", "латвийск")),
    "MC": (("Monaco",), ("монако",)),
    "MD": (("Moldova", "Moldovan"), ("молдов", "молдав")),
    "ME": (("Montenegro", "Montenegrin"), ("черногори", "черногорск")),
    "MK": (("North Macedonia", "Macedonia", "Macedonian"), ("македони",)),
    "MN": (("Mongolia", "Mongolian"), ("монголи",)),
    "MT": (("Malta", "Maltese"), ("мальт",)),
    "NL": (("Netherlands", "Dutch", "Holland"), ("нидерланд", "голланди")),
    "NO": (("Norway", "Norwegian"), ("норвеги", "норвежск")),
    "NZ": (("New Zealand",), ("новая зеланди", "новой зеланди", "новую зеланди", "новозеланд")),
    "PL": (("Poland", "Polish"), ("польш", "польск")),
    "PT": (("Portugal", "Portuguese"), ("португали",)),
    "RO": (("Romania", "Romanian"), ("румыни",)),
    "RS": (("Serbia", "Serbian"), ("серби", "сербск")),
    "RU": (("Russian Federation", "Russia"), ("российск", "россии", "россия", "россию")),
    "SE": (("Sweden", "Swedish"), ("швеци", "шведск")),
    "SI": (("Slovenia", "Slovenian"), ("словени",)),
    "SK": (("Slovakia", "Slovak"), ("словаки", "словацк")),
    "SM": (("San Marino",), ("сан-марино",)),
    "TJ": (("Tajikistan", "Tajik"), ("таджик",)),
    "TM": (("Turkmenistan", "Turkmen"), ("туркмен",)),
    "TR": (("Türkiye", "Turkey", "Turkish"), ("турци", "турецк")),
    "UA": (("Ukraine", "Ukrainian"), ("украин",)),
    "US": (
        ("United States", "USA", "U.S.", "US", "American"),
        ("соединённые штаты", "соединенные штаты", "сша", "американск"),
    ),
    "UZ": (("Uzbekistan", "Uzbek"), ("узбек",)),
    "VA": (("Holy See", "Vatican"), ("ватикан", "святейший престол")),
    "XK": (("Kosovo",), ("косов",)),
}


@cache
def _matcher() -> re.Pattern[str]:
    """One pattern with a named group per country code (`match.lastgroup` is the code)."""
    groups = []
    for code, (english, russian) in PATTERNS.items():
        words = [re.escape(word) + r"(?![\w])" for word in english]
        stems = [r"(?i:" + re.escape(stem) + r")\w*" for stem in russian]
        groups.append(f"(?P<{code}>{'|'.join(words + stems)})")
    return re.compile(r"(?<![\w.])(?:" + "|".join(groups) + ")")


def countries_named(text: str) -> set[str]:
    """The codes of the countries `text` names by name or adjective."""
    return {match.lastgroup for match in _matcher().finditer(text) if match.lastgroup}


def passage_countries(passage: Passage, document: DocumentMeta) -> tuple[str, ...]:
    """The countries a passage concerns, sorted: named in its text or headings, plus its
    document's country when the document has exactly one."""
    named = countries_named(passage.text) | countries_named(" ".join(passage.heading_path))
    if len(document.countries) == 1:
        named.add(document.countries[0].upper())
    return tuple(sorted(named))
