"""What a search request may hold: every limit and enumeration, defined once.

The searcher validates against these, `webapp/params.py` parses requests with them, the OpenAPI
document (`webapp/openapi.py`) publishes them, and the CLI offers them as choices. The kinds of
source are defined with the document model (`ingest.models.KINDS`) and re-exported here.
"""

from __future__ import annotations

import re

from ingest.models import KINDS

METHODS = ("hybrid", "keyword", "dense")  # the first is the default
DEFAULT_K = 10  # passages per page
MAX_K = 100
MAX_OFFSET = 1000
MAX_QUERY_CHARS = 1000
MAX_FILTER_VALUES = 20  # values of one repeatable filter (kind=...&kind=...)
YEARS = (1900, 2100)  # the years a year filter may name, inclusive
MAX_ID_CHARS = 121  # concept and document ids
ID = re.compile(rf"^[a-z0-9][a-z0-9\-]{{0,{MAX_ID_CHARS - 1}}}$")  # concept and document ids
COUNTRY = re.compile(r"^[A-Za-z]{2}$")  # ISO 3166-1 alpha-2, either case
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$")  # a BCP 47 language tag
LANGUAGE_NAMES = {"en": "English", "ru": "Russian"}  # the corpus's languages, as pages name them

__all__ = [
    "COUNTRY",
    "DEFAULT_K",
    "ID",
    "KINDS",
    "LANGUAGE_NAMES",
    "LANGUAGE",
    "MAX_FILTER_VALUES",
    "MAX_ID_CHARS",
    "MAX_K",
    "MAX_OFFSET",
    "MAX_QUERY_CHARS",
    "METHODS",
    "YEARS",
]
