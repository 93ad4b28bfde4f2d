"""Reading documents and splitting them: PDF, HTML, Markdown and text into passages and sentences.

Public API:
- `ingest.catalog.load_catalog`, `ingest.sources.collect`: the documents to read, with metadata;
- `ingest.reader.read_document`: one file -> `Document` (blocks with heading path, printed page);
- `ingest.splitter.split_passages`: `Document` -> `Passage`s (80-250 words, never across a
  chapter); `ingest.sentences.split_sentences`: passages -> `Sentence`s;
- `ingest.models`: the dataclasses (`DocumentMeta`, `Document`, `Passage`) and `KINDS`;
- `ingest.errors`: `IngestError`, `CatalogError`.
"""
