"""Which sentences and sources join an answer card: a number that counts what was asked, a
passage's second point, and a further source while the card is short (search/answers/)."""

from __future__ import annotations

from pathlib import Path

from tests.card_fixture import compose_over


def test_a_number_that_counts_something_else_does_not_make_a_list(tmp_path: Path):
    """ "the two sit together" and "four senses" announce no list of criticisms: the card is an
    extract from the first passage, not the four sentences after the count."""
    quoted = compose_over(
        tmp_path,
        [
            "Most critiques warn about ILP adopted in name only. Units exist but nothing changes.",
            "Critics question whether the two sit comfortably together. The word has four "
            "senses at once. A second sentence follows. A third one. A fourth one.",
        ],
        {"Most": 0.6, "Critics": 0.7, "The": 0.7},
        "What are the main criticisms of ILP?",
    )
    assert quoted[0] == ("doc-0", "Most critiques warn about ILP adopted in name only.")
    assert ("doc-1", "A fourth one.") not in quoted


def test_a_count_of_what_was_asked_brings_its_items_before_or_after_the_noun(tmp_path: Path):
    """ "defines four products" counts the products asked about; a Russian count often follows
    its noun ("кодов обращения всего два")."""
    english = compose_over(
        tmp_path / "en",
        ["The model defines two products. Tactical assessments. Strategic assessments."],
        {"The": 0.8},
        "What are the products of the model?",
    )
    assert [text for _, text in english] == [
        "The model defines two products.",
        "Tactical assessments.",
        "Strategic assessments.",
    ]
    russian = compose_over(
        tmp_path / "ru",
        ["В системе кодов обращения всего два. Код P разрешает передачу. Код C ставит условия."],
        {"В": 0.8},
        "Какие коды обращения есть в системе?",
    )
    assert [text for _, text in russian][1:] == [
        "Код P разрешает передачу.",
        "Код C ставит условия.",
    ]


def test_a_passage_that_makes_its_point_twice_gives_both_sentences(tmp_path: Path):
    """The extract around the best sentence, then the passage's second point further down,
    when it scores nearly as well (extracts.SECOND_POINT); a weak distant sentence stays out."""
    quoted = compose_over(
        tmp_path,
        [
            "Its value comes from collecting data from many sources. It links them.\n\n"
            "Another paragraph about storage. Records are kept for years. Filler sentence "
            "about archives.\n\nA good system should collect less, but more relevant, data. "
            "Unrelated closing remark.",
        ],
        {"Its": 0.8, "It": 0.5, "A": 0.78, "Unrelated": 0.1, "Another": 0.2, "Records": 0.2},
        "Does ILP mean collecting more data?",
    )
    texts = [text for _, text in quoted]
    assert texts[0] == "Its value comes from collecting data from many sources."
    assert "A good system should collect less, but more relevant, data." in texts
    assert "Unrelated closing remark." not in texts


def test_a_short_card_takes_a_further_source_from_a_lower_score(tmp_path: Path):
    """A first passage that says little leaves room: the next source joins from
    `SHORT_CARD_CUTOFF` of the best score; on a card long enough it would need
    `RELATIVE_CUTOFF`."""
    texts = [
        "Help has come mainly through international assistance.",
        "Sweden gave help from the start with a gap analysis.",
    ]
    cosines = {"Help": 0.9, "Sweden": 0.55}
    quoted = compose_over(tmp_path / "short", texts, cosines, "What help is available?")
    assert {passage for passage, _ in quoted} == {"doc-0", "doc-1"}
    filler = "Training courses and analysis software went to several national police services."
    long_first = [texts[0] + " " + " ".join([filler] * 6), texts[1]]
    quoted = compose_over(tmp_path / "long", long_first, cosines, "What help is available?")
    assert {passage for passage, _ in quoted} == {"doc-0"}
