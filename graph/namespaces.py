"""Every URI pattern of the ILP Atlas graph, in one place, so URIs stay stable across rebuilds.

URIs are derived from ids (document id, passage id, concept slug, ISO country code), never from
row numbers, so the same corpus always produces the same graph.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from rdflib import Namespace, URIRef

BASE = "https://w3id.org/ilp-atlas/"
ILP = Namespace(BASE + "ontology#")  # own terms: ilp:Passage, ilp:page, ilp:mentions, ...
CONCEPT = Namespace(BASE + "concept/")
SCHEME = URIRef(BASE + "concepts")
DOCUMENT = Namespace(BASE + "document/")
PASSAGE = Namespace(BASE + "passage/")
COUNTRY = Namespace(BASE + "country/")
KIND = Namespace(BASE + "kind/")
AGENT = Namespace(BASE + "agent/")
WORK = Namespace(BASE + "work/")  # works the corpus summarises, by source key
BUILD = Namespace(BASE + "build/")

PREFIXES = {
    "ilp": ILP,
    "ilpc": CONCEPT,
    "ilpd": DOCUMENT,
    "ilpp": PASSAGE,
    "ilpcountry": COUNTRY,
}


def document_uri(document_id: str) -> URIRef:
    """The URI of a document."""
    return DOCUMENT[quote(document_id, safe="")]


def passage_uri(passage_id: str) -> URIRef:
    """The URI of a passage."""
    return PASSAGE[quote(passage_id, safe="")]


def country_uri(code: str) -> URIRef:
    """The URI of a country, from its ISO 3166-1 alpha-2 code."""
    return COUNTRY[code.upper()]


def work_uri(key: str) -> URIRef:
    """The URI of a summarised work, from its source key (`S01`)."""
    return WORK[re.sub(r"[^A-Za-z0-9]+", "-", key).strip("-") or "unknown"]


def agent_uri(name: str) -> URIRef:
    """The URI of an organisation or author, from a slug of its name."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return AGENT[slug or "unknown"]


def concept_uri(concept_id: str) -> URIRef:
    """The URI of a concept, from its slug."""
    return CONCEPT[quote(concept_id, safe="")]


def concept_id(uri: URIRef | str) -> str:
    """The slug of a concept URI (the part after the concept namespace)."""
    text = str(uri)
    return text[len(str(CONCEPT)) :] if text.startswith(str(CONCEPT)) else text
