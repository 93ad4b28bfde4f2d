"""Search: encoders, the indexes of a build, retrieval, fusion and answers.

Public API:
- `search.encoders`: the `Encoder` interface and its implementations;
- `search.index`: build folders (`build_folders`), the passage store, the FAISS and BM25
  indexes, and `LoadedBuild`, a verified build opened for reading;
- `search.searcher.Searcher`: keyword, dense or hybrid search with answer sentences
  (`SearchResult`), `Filters`, `SearchConfig`; `search.limits`: what a request may hold;
- `search.query_language.query_language`: the language a query is read in; questions not in
  English are searched by `search.cross_language` over the multilingual index, their words
  rendered in English by `search.translation`;
- `search.evaluation`: nDCG, Recall and MRR on the gold questions;
- `search.concept_view`, `search.citation`: a concept's passages, and citation formats.
"""
