"""Reading documents and splitting them: PDF, HTML, Markdown and text into passages and sentences.

Public API:
- `ingest.catalog.load_catalog`, `ingest.sources.collect` / `collect_documents`: the documents
  to read, with metadata (`ingest.document_metadata`: what a file says about itself;
  `ingest.notices`: copyright and licence notices, kept as metadata, not text);
- `ingest.reader.read_document`: one file -> `Document` (blocks with heading path, printed page);
- `ingest.splitter.split_passages`: `Document` -> `Passage`s (80-250 words, never across a
  chapter); `ingest.sentences.split_sentences`: passages -> `Sentence`s;
- `ingest.models`: the dataclasses (`DocumentMeta`, `SourceWork`, `Document`, `Passage`), `KINDS`
  and `ROLES`;
- `ingest.stems`: Russian word stems (Snowball, ё as е) for matching inflected forms;
- `ingest.errors`: `IngestError`, `CatalogError`.
"""
