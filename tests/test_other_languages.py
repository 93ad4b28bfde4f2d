"""English questions over documents in other languages: the multilingual index serves the
passages MiniLM cannot read (search/searcher.py, `CrossLanguageSearch.other_languages`), so a
user's Russian handbook answers an English question instead of finding nothing; and the
sentence bounds by which the multilingual reading finds a passage's best sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.encoders.query import QueryEmbedder
from search.index.loaded import LoadedBuild
from search.searcher import Filters, SearchConfig, Searcher
from tests.fakes import GlossingEncoder, HashingEncoder
from tests.test_russian import russian_build  # noqa: F401 (the fixture)

# The words of the Russian meeting notes (tests/test_russian.py) an English question uses.
GLOSSARY = {"weekly": "еженедельные", "meetings": "совещания", "analyst": "аналитик"}
QUESTION = "Weekly meetings and the analyst"
RUSSIAN_ONLY = Filters(languages=("ru",))


def _searcher(
    build: LoadedBuild,
    multilingual: bool = True,
    glossary: dict[str, str] = GLOSSARY,
    config: SearchConfig | None = None,
) -> Searcher:
    return Searcher(
        build,
        QueryEmbedder(HashingEncoder()),
        config or SearchConfig(no_answer_below=0.0, partial_below=0.0),
        QueryEmbedder(GlossingEncoder(glossary)) if multilingual else None,
    )


def test_an_english_question_finds_and_quotes_a_russian_document(
    russian_build: Path,  # noqa: F811
):
    build = LoadedBuild.open_current(russian_build)
    searcher = _searcher(build)
    for method in ("hybrid", "dense"):
        result = searcher.search(QUESTION, method=method, filters=RUSSIAN_ONLY)
        assert result.language == "en"
        assert [hit.document.id for hit in result.hits] == ["meeting-notes-ru"]
    answered = searcher.search(QUESTION, filters=RUSSIAN_ONLY)
    assert answered.answer and answered.answer_languages == ("ru",)
    assert answered.sources_in_other_language  # the card says the sources are in Russian
    # Keyword search cannot read across languages, and without the multilingual encoder an
    # English question finds no Russian passage (as before this reading).
    assert not searcher.search(QUESTION, method="keyword", filters=RUSSIAN_ONLY).hits
    assert not _searcher(build, multilingual=False).search(QUESTION, filters=RUSSIAN_ONLY).hits


def test_the_multilingual_reading_is_what_finds_the_russian_passage(
    russian_build: Path,  # noqa: F811
):
    """Among all passages, the Russian note scores higher for an encoder that reads the
    question's words in Russian than for one that reads nothing across the languages, and
    only then does the card (with the real thresholds) quote it."""
    build = LoadedBuild.open_current(russian_build)

    def note_score(searcher: Searcher) -> float:
        hits = searcher.search(QUESTION).hits
        return next(hit.score for hit in hits if hit.document.id == "meeting-notes-ru")

    assert note_score(_searcher(build)) > note_score(_searcher(build, glossary={}))
    strict = SearchConfig()
    read = _searcher(build, config=strict).search("weekly meetings")
    unread = _searcher(build, glossary={}, config=strict).search("weekly meetings")
    assert "ru" in read.answer_languages and "ru" not in unread.answer_languages


def test_english_passages_still_come_first_for_an_english_question(
    russian_build: Path,  # noqa: F811
):
    """The Russian passage joins the ranking at `other_language_factor` of its score; the
    English passages keep the scores they had without it (no Russian passage matched the
    question's words, so none was in the English fusion's normalisation before either)."""
    build = LoadedBuild.open_current(russian_build)
    question = "weekly tasking meetings"
    with_reading = _searcher(build).search(question).hits
    without = _searcher(build, multilingual=False).search(question).hits
    assert "meeting-notes-ru" in [hit.document.id for hit in with_reading]
    english = {hit.passage.id: hit.score for hit in with_reading if hit.document.language == "en"}
    assert english == {hit.passage.id: hit.score for hit in without}


def test_the_rows_the_multilingual_index_serves_for_english_questions(
    russian_build: Path,  # noqa: F811
    built_instance: Path,
):
    build = LoadedBuild.open_current(russian_build)
    russian = build.other_language_rows
    assert russian
    assert {passage.document.language for passage in build.store.passages(russian).values()} == {
        "ru"
    }
    assert not LoadedBuild.open_current(built_instance).other_language_rows  # English only


def test_the_search_page_says_the_sources_are_in_russian(russian_build: Path):  # noqa: F811
    from webapp import create_app

    app = create_app(
        {
            "TESTING": True,
            "ILP_INSTANCE": str(russian_build),
            "ENCODER": HashingEncoder(),
            "MULTILINGUAL_ENCODER": GlossingEncoder(GLOSSARY),
            "SEARCH_CONFIG": SearchConfig(no_answer_below=0.0, partial_below=0.0),
        }
    )
    page = app.test_client().get("/search", query_string={"q": QUESTION, "language": "ru"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "The sources found are in Russian." in text
    assert "Найденные источники" not in text  # that line is for Russian questions


def test_sentence_bounds_agree_with_the_store(russian_build: Path):  # noqa: F811
    """The best sentence of a passage for the multilingual reading is found through the
    build's sentence bounds, without reading the store; both give the same passages and
    the same best cosines."""
    import numpy as np

    build = LoadedBuild.open_current(russian_build)
    bounds = build.sentence_bounds
    assert bounds is not None and len(bounds) == build.store.count() + 1
    for row in range(build.store.count()):
        rows = [s.sentence_row for s in build.store.sentences([row])]
        assert rows == list(range(bounds[row], bounds[row + 1]))
    searcher = _searcher(build)
    cross = searcher.cross_language
    assert cross is not None
    vector = cross.embed(QUESTION)
    every = list(range(build.store.count()))
    fast = cross._best_sentences(vector, every)
    build.__dict__["sentence_bounds"] = None  # the store's way
    assert cross._best_sentences(vector, every) == pytest.approx(fast)
    assert max(fast.values()) == pytest.approx(
        float(np.max(build.multilingual.sentence_vectors @ vector))
    )
