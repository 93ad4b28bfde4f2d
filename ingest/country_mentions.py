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

The same table reads one word at a time for the answer card and the Russian word-by-word
translation (`country_word`): people ask about a country with either its name or its adjective
("How did the Swedish police reorganise?", "What did Sweden change in 2015?"), in any case
("в Таджикистане"), and the two have different stems, so the card's word overlap would meet
only half the sentences about the country; and the multilingual encoder places names poorly
("Молдовы" is nearest to "milwaukee"), so the translation takes the English name instead.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from ingest.models import DocumentMeta, Passage
from ingest.stems import CYRILLIC_WORD, fold

# ISO 3166-1 alpha-2 code -> English names and adjectives (whole words), Russian stems.
# Language names that double as adjectives ("English", "Russian") are left out: "the Russian
# translation" is not about Russia.
PATTERNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "AL": (("Albania", "Albanian"), ("албани", "албанск")),
    "AM": (("Armenia", "Armenian"), ("армени", "армянск")),
    "AT": (("Austria", "Austrian"), ("австри",)),
    "AU": (("Australia", "Australian"), ("австрали",)),
    "AZ": (("Azerbaijan", "Azerbaijani"), ("азербайджан",)),
    "BA": (("Bosnia and Herzegovina", "Bosnia", "Bosnian"), ("босни",)),
    "BE": (("Belgium", "Belgian"), ("бельги",)),
    "BG": (("Bulgaria", "Bulgarian"), ("болгари", "болгарск")),
    "BY": (("Belarus", "Belarusian"), ("беларус", "белорус")),
    "CA": (("Canada", "Canadian"), ("канад",)),
    "CH": (("Switzerland", "Swiss"), ("швейцари", "швейцарск")),
    "CY": (("Cyprus", "Cypriot"), ("кипр",)),
    "CZ": (("Czechia", "Czech Republic", "Czech"), ("чехи", "чешск")),
    "DE": (("Germany", "German", "North Rhine-Westphalia"), ("германи", "немецк")),
    "DK": (("Denmark", "Danish"), ("дания", "дании", "данию", "данией", "датск")),
    "EE": (("Estonia", "Estonian"), ("эстони", "эстонск")),
    "ES": (("Spain", "Spanish"), ("испани", "испанск")),
    "FI": (("Finland", "Finnish"), ("финлянди", "финск")),
    "FR": (("France", "French"), ("франци", "французск")),
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
    "GE": (("Georgia", "Georgian"), ("грузия", "грузии", "грузию", "грузией", "грузинск")),
    "GR": (("Greece", "Greek"), ("греци", "греческ")),
    "HR": (("Croatia", "Croatian"), ("хорвати", "хорватск")),
    "HU": (("Hungary", "Hungarian"), ("венгри", "венгерск")),
    "IE": (("Ireland", "Irish"), ("ирланди", "ирландск")),
    "IS": (("Iceland", "Icelandic"), ("исланди", "исландск")),
    "IT": (("Italy", "Italian"), ("итали", "итальянск")),
    "KG": (("Kyrgyzstan", "Kyrgyz"), ("кыргыз", "киргиз")),
    "KZ": (("Kazakhstan", "Kazakhstani", "Kazakh"), ("казахстан", "казахск")),
    "LI": (("Liechtenstein",), ("лихтенштейн",)),
    "LT": (("Lithuania", "Lithuanian"), ("литв", "литовск")),
    "LU": (("Luxembourg",), ("люксембург",)),
    "LV": (("Latvia", "Latvian"), ("латви", "латвийск")),
    "MC": (("Monaco",), ("монако",)),
    "MD": (("Moldova", "Moldovan"), ("молдов", "молдав")),
    "ME": (("Montenegro", "Montenegrin"), ("черногори", "черногорск")),
    "MK": (("North Macedonia", "Macedonia", "Macedonian"), ("македони", "македонск")),
    "MN": (("Mongolia", "Mongolian"), ("монголи", "монгольск")),
    "MT": (("Malta", "Maltese"), ("мальт",)),
    "NL": (("Netherlands", "Dutch", "Holland"), ("нидерланд", "голланд")),
    "NO": (("Norway", "Norwegian"), ("норвеги", "норвежск")),
    "NZ": (("New Zealand",), ("новая зеланди", "новой зеланди", "новую зеланди", "новозеланд")),
    "PL": (("Poland", "Polish"), ("польш", "польск")),
    "PT": (("Portugal", "Portuguese"), ("португали", "португальск")),
    "RO": (("Romania", "Romanian"), ("румыни", "румынск")),
    "RS": (("Serbia", "Serbian"), ("серби", "сербск")),
    "RU": (("Russia", "Russian Federation"), ("российск", "россии", "россия", "россию", "россией")),
    "SE": (("Sweden", "Swedish"), ("швеци", "шведск")),
    "SI": (("Slovenia", "Slovenian", "Slovene"), ("словени", "словенск")),
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


# A country's English name that is also a US state, and the context that makes it the state:
# "Evans County (Georgia)", "Atlanta, Georgia", "Georgia, USA" (the BJA case studies list US
# sites this way). Elsewhere the name is the country.
_US_STATES = {
    "Georgia": (
        r"(?<!County \()(?<!County, )(?<!Atlanta, )",
        r"(?!,? ?\(?(?:USA|US|U\.S\.|United States)(?![\w.]))",
    ),
}


@cache
def _matcher() -> re.Pattern[str]:
    """One pattern with a named group per country code (`match.lastgroup` is the code)."""
    groups = []
    for code, (english, russian) in PATTERNS.items():
        words = []
        for word in english:
            before, after = _US_STATES.get(word, ("", ""))
            words.append(before + re.escape(word) + r"(?![\w])" + after)
        stems = [r"(?i:" + re.escape(stem) + r")\w*" for stem in russian]
        groups.append(f"(?P<{code}>{'|'.join(words + stems)})")
    return re.compile(r"(?<![\w.])(?:" + "|".join(groups) + ")")


def countries_named(text: str) -> set[str]:
    """The codes of the countries `text` names by name or adjective."""
    return {match.lastgroup for match in _matcher().finditer(text) if match.lastgroup}


def countries_in_question(text: str) -> set[str]:
    """The codes of the countries a question names, by name or adjective, as the facet reads a
    passage (`countries_named`: "Serbia", "Сербии", "сербская"), and also by a one-word
    English name written in lower case, as people type questions ("what did sweden's police
    change"). Multi-word names in lower case ("new zealand") are not read."""
    lower = {
        code
        for word in _QUESTION_WORD.findall(text)
        if word.islower() and word.isascii() and (code := country_code(word))
    }
    return countries_named(text) | lower


def passage_countries(passage: Passage, document: DocumentMeta) -> tuple[str, ...]:
    """The countries a passage concerns, sorted: named in its text or headings, plus its
    document's country when the document has exactly one."""
    named = countries_named(passage.text) | countries_named(" ".join(passage.heading_path))
    if len(document.countries) == 1:
        named.add(document.countries[0].upper())
    return tuple(sorted(named))


_QUESTION_WORD = re.compile(r"[^\W\d_]+(?:['\u2019]s)?")

# A word of the table that, in lower case, is mostly an ordinary English word: `country_word`
# reads words in lower case, so "US" is left out there ("polish" and "turkey" are kept: in
# writing about policing they are Poland and Türkiye far more often).
_ORDINARY_WORDS = frozenset({"us"})


def _one_word(name: str) -> bool:
    """True for a lower-case name of the table that `country_word` reads: one word, no dots
    ("u.s."), not an ordinary English word."""
    return " " not in name and "." not in name and name not in _ORDINARY_WORDS


@cache
def _words() -> tuple[dict[str, str], re.Pattern[str]]:
    """The table read a word at a time: (a lower-case English name or adjective of one word ->
    its country's code; one pattern of the Russian stems with a named group per code). (Some
    stems are whole word forms, so that "грузить" is not Georgia nor "дани" Denmark.)"""
    english: dict[str, str] = {}
    groups = []
    for code, (names, stems) in PATTERNS.items():
        for name in map(str.lower, names):
            if _one_word(name):
                english[name] = code
        single = [fold(stem) for stem in stems if " " not in stem]
        if single:
            groups.append(f"(?P<{code}>{'|'.join(map(re.escape, single))})")
    return english, re.compile("|".join(groups))


@lru_cache(maxsize=65536)
def country_code(word: str) -> str | None:
    """The code of the country one word names by its name or adjective, in any case and ending
    ("Swedish", "Sweden's", "шведской", "Швеции": "SE"), or None for any other word."""
    lower = fold(word.lower())
    english, russian = _words()
    if CYRILLIC_WORD.fullmatch(lower):
        match = russian.match(lower)
        return match.lastgroup if match else None
    return english.get(re.sub(r"['\u2019]s$", "", lower))


def country_word(word: str) -> str | None:
    """The country one word names, as one lower-case English word, the same whichever word
    named it ("Swedish", "шведской", "Швеции": "sweden"; "British", "Великобритании": "uk"): the
    first one-word name of the table's row ("uk", "usa", "russia"). None for any other word."""
    code = country_code(word)
    return _country_key(code) if code else None


def country_name(word: str) -> str | None:
    """The English name, in lower case, of the country one word names, as the table gives it
    first ("Великобритании": "united kingdom", "Таджикистане": "tajikistan"), or None."""
    code = country_code(word)
    return PATTERNS[code][0][0].lower() if code else None


@cache
def _country_key(code: str) -> str:
    """The country's word: the first one-word English name of its row, in lower case (the
    whole first name when there is none: "new zealand")."""
    names = [name.lower() for name in PATTERNS[code][0]]
    return next(filter(_one_word, names), names[0])
