"""What a trainer's topic pack shows: the key passages and an example from every country.

Key passages are the most central to the concept first (`ConceptView.centrality`: the link's
confidence, more when the passage or its section heading names the concept), at most two per
document, so one long document does not fill the handout. Examples come from every country
that a linked passage concerns (passage-level countries, as search's country filter uses), or
that a good-practice document covers; a passage shown as an example is not repeated among the
key passages.
"""

from __future__ import annotations

from collections import defaultdict

from ingest.models import DocumentMeta, Passage
from search.concept_view import ConceptView

PACK_KEY_PASSAGES = 6
PACK_PER_DOCUMENT = 2
PACK_PER_COUNTRY = 2


def pack_items(
    view: ConceptView,
) -> tuple[list[tuple[DocumentMeta, Passage]], dict[str, list[tuple[DocumentMeta, Passage]]]]:
    """The topic pack's key passages (most central first, at most two per document) and its
    examples by country (the most central passages that concern each country; a good-practice
    document's own countries where no passage names one)."""
    ranked = sorted(
        (
            (document, passage)
            for document, passages in view.passages_by_document
            for passage in passages
        ),
        key=lambda pair: -view.centrality.get(pair[1].id, 0.0),
    )
    candidates: defaultdict[str, list[tuple[DocumentMeta, Passage]]] = defaultdict(list)
    for document, passage in ranked:
        codes = view.countries.get(passage.id) or (
            document.countries if document.kind == "good-practice" else ()
        )
        for code in codes:
            candidates[code].append((document, passage))
    examples: dict[str, list[tuple[DocumentMeta, Passage]]] = {}
    used: set[str] = set()
    for code, pairs in candidates.items():
        # The country's own good practice before a document that covers it among others, and
        # both before a passage that cites it.
        pairs.sort(
            key=lambda pair: (code not in pair[0].countries, pair[0].kind != "good-practice")
        )
        examples[code] = pairs[:PACK_PER_COUNTRY]
        used.update(passage.id for _, passage in examples[code])
    key_passages: list[tuple[DocumentMeta, Passage]] = []
    per_document: defaultdict[str, int] = defaultdict(int)
    for document, passage in ranked:
        if passage.id in used or per_document[document.id] >= PACK_PER_DOCUMENT:
            continue
        per_document[document.id] += 1
        key_passages.append((document, passage))
    return key_passages[:PACK_KEY_PASSAGES], examples
