"""The OpenAPI 3 description of /api/ (tests validate real responses against it).

Over 300 lines: it is one JSON document written out as Python data, a schema per response and
a parameter per filter; split across modules it would be harder to check against the API.
"""

from __future__ import annotations

from search.limits import (
    COUNTRY,
    DEFAULT_K,
    ID,
    KINDS,
    LANGUAGE,
    MAX_FILTER_VALUES,
    MAX_ID_CHARS,
    MAX_K,
    MAX_OFFSET,
    MAX_QUERY_CHARS,
    METHODS,
    YEARS,
)

_STRING_LIST = {"type": "array", "items": {"type": "string"}}
_NULLABLE_STRING = {"type": ["string", "null"]}
_PAGES = {
    **_NULLABLE_STRING,
    "description": 'Printed pages the passage spans: "19", or "19-20" across a break',
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _array(param: str, description: str, schema: dict | None = None) -> dict:
    return {
        "name": param,
        "in": "query",
        "required": False,
        "description": description,
        "style": "form",
        "explode": True,
        "schema": {
            "type": "array",
            "maxItems": MAX_FILTER_VALUES,
            "items": schema or {"type": "string"},
        },
    }


SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "title", "message"],
                "properties": {
                    "status": {"type": "integer"},
                    "title": {"type": "string"},
                    "message": {"type": "string"},
                },
            }
        },
    },
    "ConceptRef": {
        "type": "object",
        "required": ["id", "label"],
        "properties": {"id": {"type": "string"}, "label": {"type": "string"}},
    },
    "ConceptLink": {
        "type": "object",
        "required": ["id", "label", "method", "score", "matched"],
        "description": "Why a passage is linked to a concept: `label-match+semantic` "
        "(a label occurs and the meaning agrees) or `semantic`; "
        "`score` is the linking model's probability; `matched` the "
        "label text found, if any.",
        "properties": {
            "id": {"type": "string"},
            "label": {"type": "string"},
            "method": {"type": "string"},
            "score": {"type": "number", "minimum": 0, "maximum": 1},
            "matched": {"type": "string"},
        },
    },
    "Hit": {
        "type": "object",
        "required": ["passage_id", "text", "score", "document", "heading_path", "page", "concepts"],
        "properties": {
            "passage_id": {"type": "string"},
            "text": {"type": "string"},
            "score": {"type": "number"},
            "document": {
                "type": "object",
                "required": ["id", "title", "kind", "year"],
                "properties": {
                    "id": {"type": "string"},
                    "title": {"type": "string"},
                    "kind": {"type": "string", "enum": list(KINDS)},
                    "year": {"type": ["integer", "null"]},
                },
            },
            "heading_path": _STRING_LIST,
            "page": _PAGES,
            "concepts": {"type": "array", "items": _ref("ConceptRef")},
            "citation": {"type": "string"},
            "highlight": _NULLABLE_STRING,
        },
    },
    "SearchResult": {
        "type": "object",
        "required": ["query", "answer", "hits", "facets"],
        "properties": {
            "query": {"type": "string"},
            "answer": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["text", "passage_id", "citation"],
                    "properties": {
                        "text": {"type": "string"},
                        "passage_id": {
                            "type": ["string", "null"],
                            "description": "null for a concept's definition",
                        },
                        "citation": {
                            "type": "string",
                            "description": "document, section and the printed page of this "
                            "sentence",
                        },
                        "kind": {"type": "string", "enum": ["definition", "sentence", "item"]},
                        "page": {"type": ["string", "null"]},
                        "anchor": {
                            "type": ["string", "null"],
                            "description": "the sentence's anchor in the document reader, "
                            "/documents/{document_id}#{anchor}",
                        },
                        "document_id": {"type": ["string", "null"]},
                        "concept_id": {"type": ["string", "null"]},
                    },
                },
            },
            "hits": {"type": "array", "items": _ref("Hit")},
            "facets": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": {"type": "integer"},
                },
            },
            "method": {"type": "string"},
            "concepts": {"type": "array", "items": _ref("ConceptRef")},
            "no_good_answer": {"type": "boolean"},
            "partial": {
                "type": "boolean",
                "description": "the card rests on weak evidence: its lead sentence is far "
                "from the question, or no passage stands out from the others",
            },
            "evidence": {"type": "number"},
            "total": {"type": "integer"},
            "offset": {"type": "integer"},
            "language": {
                "type": "string",
                "description": "the language the query was read in (en, ru, ...)",
            },
            "answer_languages": {
                "type": "array",
                "items": {"type": "string"},
                "description": "the languages of the sources the answer quotes",
            },
        },
    },
    "ConceptSummary": {
        "type": "object",
        "required": ["id", "label", "uri", "url"],
        "properties": {
            "id": {"type": "string"},
            "label": {"type": "string"},
            "uri": {"type": "string"},
            "url": {"type": "string"},
            "count": {"type": "integer"},
        },
    },
    "Concept": {
        "allOf": [
            _ref("ConceptSummary"),
            {
                "type": "object",
                "required": [
                    "labels",
                    "alt_labels",
                    "definition",
                    "source",
                    "broader",
                    "narrower",
                    "related",
                    "cooccurring",
                    "passages",
                ],
                "properties": {
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "alt_labels": _STRING_LIST,
                    "definition": {"type": "string"},
                    "source": {"type": "string"},
                    "broader": {"type": "array", "items": _ref("ConceptSummary")},
                    "narrower": {"type": "array", "items": _ref("ConceptSummary")},
                    "related": {"type": "array", "items": _ref("ConceptSummary")},
                    "cooccurring": {"type": "array", "items": _ref("ConceptSummary")},
                    "passages": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["passage_id", "document_id", "citation"],
                        },
                    },
                },
            },
        ]
    },
    "Document": {
        "type": "object",
        "required": ["id", "title", "kind", "year", "url"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "kind": {"type": "string", "enum": list(KINDS)},
            "year": {
                "type": ["integer", "null"],
                "description": "Year of the document; for a summary, of the work it summarises",
            },
            "authors": {**_STRING_LIST, "description": "Who wrote this text"},
            "publisher": {"type": "string"},
            "licence": {"type": "string", "description": "Empty when the document states none"},
            "role": {"type": "string", "enum": ["original", "summary"]},
            "summary_of": {
                "type": "array",
                "description": "The works a summary summarises, with the pages it cites",
                "items": {
                    "type": "object",
                    "required": ["key", "title", "authors", "year", "pages", "url"],
                    "properties": {
                        "key": {"type": "string"},
                        "title": {"type": "string"},
                        "authors": _STRING_LIST,
                        "year": {"type": ["integer", "null"]},
                        "pages": {"type": "string"},
                        "url": {"type": "string"},
                    },
                },
            },
            "provenance": {
                "type": "object",
                "description": "Where each metadata value came from (catalog, PDF metadata, ...)",
                "additionalProperties": {"type": "string"},
            },
            "language": {"type": "string"},
            "countries": _STRING_LIST,
            "summary": {"type": "string"},
            "sources": _STRING_LIST,
            "source_urls": _STRING_LIST,
            "url": {"type": "string"},
            "passages": {"type": "array", "items": _ref("Passage")},
        },
    },
    "Passage": {
        "type": "object",
        "required": ["passage_id", "document_id", "heading_path", "page", "text", "citation"],
        "properties": {
            "passage_id": {"type": "string"},
            "document_id": {"type": "string"},
            "heading_path": _STRING_LIST,
            "page": _PAGES,
            "char_start": {"type": "integer"},
            "char_end": {"type": "integer"},
            "text": {"type": "string"},
            "citation": {"type": "string"},
            "url": {"type": "string"},
            "concepts": {"type": "array", "items": _ref("ConceptRef")},
            "links": {"type": "array", "items": _ref("ConceptLink")},
        },
    },
}


def _responses(schema: str, not_found: bool = False, bad_request: bool = False) -> dict:
    responses = {
        "200": {"description": "OK", "content": {"application/json": {"schema": _ref(schema)}}}
    }
    error = {"content": {"application/json": {"schema": _ref("Error")}}}
    if bad_request:
        responses["400"] = {"description": "Invalid parameter", **error}
    if not_found:
        responses["404"] = {"description": "Not found", **error}
    responses["503"] = {"description": "No build to search; run `ilp ingest`", **error}
    return responses


def _id_param(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def openapi_document() -> dict:
    """The OpenAPI 3.1 document."""
    search_parameters = [
        {
            "name": "q",
            "in": "query",
            "required": True,
            "description": f"Question or term: up to {MAX_QUERY_CHARS:,} characters, not only "
            "spaces, no NUL",
            "schema": {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_QUERY_CHARS,
                "pattern": "^[^\\u0000]*[^\\s\\u0000-\\u001f\\u0085][^\\u0000]*$",
            },
        },
        {
            "name": "k",
            "in": "query",
            "required": False,
            "description": "Passages to return",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_K, "default": DEFAULT_K},
        },
        {
            "name": "offset",
            "in": "query",
            "required": False,
            "description": "For paging",
            "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
        },
        {
            "name": "method",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": list(METHODS)},
        },
        _array("kind", "Only these kinds of source", {"type": "string", "enum": list(KINDS)}),
        _array(
            "country", "ISO 3166-1 alpha-2 codes", {"type": "string", "pattern": COUNTRY.pattern}
        ),
        _array(
            "year",
            "Years of the underlying source",
            {"type": "integer", "minimum": YEARS[0], "maximum": YEARS[1]},
        ),
        _array(
            "concept",
            "Concept ids",
            {"type": "string", "maxLength": MAX_ID_CHARS, "pattern": ID.pattern},
        ),
        _array(
            "document",
            "Document ids",
            {"type": "string", "maxLength": MAX_ID_CHARS, "pattern": ID.pattern},
        ),
        _array(
            "language",
            "Language codes of the source, e.g. en or ru",
            {"type": "string", "pattern": LANGUAGE.pattern},
        ),
    ]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ILP Atlas API",
            "version": "1.0.0",
            "description": "Search and trace knowledge about Intelligence-Led Policing.",
        },
        "paths": {
            "/api/search": {
                "get": {
                    "summary": "Search passages, with answer sentences",
                    "operationId": "search",
                    "parameters": search_parameters,
                    "responses": _responses("SearchResult", bad_request=True),
                }
            },
            "/api/concepts": {
                "get": {
                    "summary": "All concepts",
                    "operationId": "concepts",
                    "responses": _responses("ConceptList"),
                }
            },
            "/api/concepts/{concept_id}": {
                "get": {
                    "summary": "One concept",
                    "operationId": "concept",
                    "parameters": [_id_param("concept_id")],
                    "responses": _responses("Concept", not_found=True),
                }
            },
            "/api/documents": {
                "get": {
                    "summary": "All documents",
                    "operationId": "documents",
                    "responses": _responses("DocumentList"),
                }
            },
            "/api/documents/{document_id}": {
                "get": {
                    "summary": "One document and its passages",
                    "operationId": "document",
                    "parameters": [_id_param("document_id")],
                    "responses": _responses("Document", not_found=True),
                }
            },
            "/api/passages/{passage_id}": {
                "get": {
                    "summary": "One passage",
                    "operationId": "passage",
                    "parameters": [_id_param("passage_id")],
                    "responses": _responses("Passage", not_found=True),
                }
            },
        },
        "components": {
            "schemas": {
                **SCHEMAS,
                "ConceptList": {
                    "type": "object",
                    "required": ["concepts"],
                    "properties": {"concepts": {"type": "array", "items": _ref("ConceptSummary")}},
                },
                "DocumentList": {
                    "type": "object",
                    "required": ["documents"],
                    "properties": {"documents": {"type": "array", "items": _ref("Document")}},
                },
            }
        },
    }
