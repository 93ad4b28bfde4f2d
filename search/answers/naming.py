"""What an extract names, against what the question asks about: the names rule (a source that
names something the question names and the card does not yet joins the card) and the country
rule (an extract about other countries only is no answer to a question about one)."""

from __future__ import annotations

from ingest.country_mentions import countries_named
from search.answers.candidates import Candidate
from search.answers.card import CardItem
from search.answers.extracts import extract_around
from search.answers.roles import content_terms
from search.index.store import StoredPassage


def about_other_countries(extract: list[CardItem], asked: frozenset[str]) -> bool:
    """True when the question asks about countries and the extract names countries, none of
    them those: "Other European police services ...: the Belgian Federal Police ... In Austria
    ..." is no answer to a question about a German state police, though its passage ranked
    first (no card lost its facts on the gold sets; seven came closer to the question). The
    extract's words decide, not its document's catalogue entry: that passage is in the report
    on North Rhine-Westphalia, and a regional report lists every country it covers (counting
    the entry brought those passages back)."""
    if not asked:
        return False
    named = countries_named(" ".join(item.text for item in extract))
    return bool(named) and not named & asked


def elsewhere(
    candidate: Candidate,
    score: float,
    by_passage: dict[int, list[Candidate]],
    stored: dict[int, StoredPassage],
    asked: frozenset[str],
) -> bool:
    """`about_other_countries` for the extract around `candidate` (anchored at `score`)."""
    return about_other_countries(extract_around(candidate, by_passage, stored, score), asked)


def names_more(extract: list[CardItem], card: list[CardItem], names: list[frozenset[str]]) -> bool:
    """True when the extract names something the question names (all the words of a name of
    several: "New Zealand") and the card does not yet."""
    named = content_terms(" ".join(item.text for item in card))
    naming = content_terms(" ".join(item.text for item in extract))
    return any(name <= naming and not name <= named for name in names)
