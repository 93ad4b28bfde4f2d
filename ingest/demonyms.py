"""Countries by name and adjective, in English and Russian: "Swedish" is read as "Sweden", and
"шведской" or "Швеции" as "Sweden" too.

People ask about a country with either word ("How did the Swedish police reorganise?", "What
did Sweden change in 2015?") and the sources use both, but the two have different stems, so a
word overlap or a name in the question meets only half the sentences about the country. Where
words are compared by stem (the answer card's word overlap and the names a question asks about,
search/answers/roles.py), an adjective stands for the stem of its country's name, and so does
a Russian name's case form (the stemmer leaves "Таджикистане" and "Таджикистан" apart).

A Russian question names a country in an inflected form ("в Таджикистане") that the word-by-word
translation (search/translation.py) renders poorly: a place name is a weak point of the
multilingual encoder ("Молдовы" is nearest to "milwaukee"). The table gives the English name
instead.

The table holds the OSCE participating States and the other countries whose policing the
corpus discusses. Language names that are read as languages more often than as countries
("English", "Russian") are left out: "the Russian edition of the Guidebook" is not about Russia.
"""

from __future__ import annotations

from ingest.stems import english_stem, russian_stem

# One country a row: its English name and adjectives, then its Russian name and adjectives (in
# the nominative; another name of the country may stand among its adjectives: "uk britain").
_COUNTRIES = """
albania albanian / албания албанский
armenia armenian / армения армянский
austria austrian / австрия австрийский
azerbaijan azerbaijani / азербайджан азербайджанский
belarus belarusian / беларусь белорусский
belgium belgian / бельгия бельгийский
bulgaria bulgarian / болгария болгарский
canada canadian / канада канадский
croatia croatian / хорватия хорватский
czechia czech / чехия чешский
denmark danish / дания датский
estonia estonian / эстония эстонский
finland finnish / финляндия финский
france french / франция французский
georgia georgian / грузия грузинский
germany german / германия германский немецкий
greece greek / греция греческий
hungary hungarian / венгрия венгерский
ireland irish / ирландия ирландский
italy italian / италия итальянский
kazakhstan kazakh kazakhstani / казахстан казахстанский казахский
kyrgyzstan kyrgyz / кыргызстан киргизия кыргызский киргизский
latvia latvian / латвия латвийский
lithuania lithuanian / литва литовский
moldova moldovan / молдова молдавия молдавский молдовский
mongolia mongolian / монголия монгольский
montenegro montenegrin / черногория черногорский
netherlands dutch / нидерланды голландия нидерландский голландский
macedonia macedonian / македония македонский
norway norwegian / норвегия норвежский
poland polish / польша польский
portugal portuguese / португалия португальский
romania romanian / румыния румынский
serbia serbian / сербия сербский
slovakia slovak / словакия словацкий
slovenia slovenian slovene / словения словенский
spain spanish / испания испанский
sweden swedish / швеция шведский
switzerland swiss / швейцария швейцарский
tajikistan tajik / таджикистан таджикский
turkey turkish / турция турецкий
turkmenistan turkmen / туркменистан туркменский
ukraine ukrainian / украина украинский
uzbekistan uzbek / узбекистан узбекский
australia australian / австралия австралийский
uk britain british / великобритания британия британский
"""


def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(stem of an adjective, or of a Russian name's case form -> the stem of the country's
    name, in both languages; Russian stem of a country's name or adjective -> its English
    name)."""
    country_of: dict[str, str] = {}
    english_of: dict[str, str] = {}
    for row in _COUNTRIES.strip().splitlines():
        english_side, russian_side = row.split("/")
        english, russian = english_side.split(), russian_side.split()
        for adjective in english[1:]:
            country_of[english_stem(adjective)] = english_stem(english[0])
        for word in russian:
            for form in _case_forms(word):
                stem = russian_stem(form)
                if len(stem) >= _SHORTEST_STEM and stem not in _ORDINARY:
                    country_of[stem] = russian_stem(russian[0])
                    english_of[stem] = english[0]
    # A stem that is its country's own stays out (one entry less to look up, same answer).
    country_of = {stem: country for stem, country in country_of.items() if stem != country}
    return country_of, english_of


# A name's case endings, by how its nominative ends (the cases a question puts a country in).
_PARADIGMS = (
    ("ия", ("ии", "ию", "ией")),
    ("а", ("ы", "и", "е", "у", "ой")),
    ("я", ("и", "е", "ю", "ей")),
    ("ь", ("и", "ью")),
    ("ы", ("ов", "ам", "ах")),
)
_SHORTEST_STEM = 4  # "Дания" stems to "дан", as "данные" does: such a name is left out
_ORDINARY = frozenset({"груз"})  # "Грузия" stems as "груз" (cargo) does: left out too


def _case_forms(word: str) -> set[str]:
    """The word and, for a name (not an adjective, which the stemmer handles), its case forms:
    the stemmer cuts "Таджикистан" to "таджикиста" and "Таджикистане" to "таджикистан", so
    every form's stem is listed ("Казахстана", "Казахстане", "Молдовы", "Молдове")."""
    if word.endswith(("ий", "ый", "ой")):
        return {word}
    for ending, endings in _PARADIGMS:
        if word.endswith(ending):
            base = word[: -len(ending)]
            return {word} | {base + other for other in endings}
    return {word} | {word + ending for ending in ("а", "е", "у", "ом")}  # a consonant


COUNTRY_OF, _ENGLISH_OF = _tables()


def as_country(stem: str) -> str:
    """The stem of a country's name for the stem of its adjective (or of a Russian name's case
    form); any other stem as it is."""
    return COUNTRY_OF.get(stem, stem)


def english_name(russian_word: str) -> str | None:
    """The English name of the country a Russian word names ("Таджикистане", "таджикской" ->
    "tajikistan"), or None for any other word. (The name alone: adding the adjectives to the
    keyword query moved Russian Recall@5 from 0.726 to 0.708, the name alone left it there.)"""
    return _ENGLISH_OF.get(russian_stem(russian_word))
