"""The artifacts of one build and how they are written, checked and read.

Public API:
- `search.index.build_folders`: the build folder, its manifest, the atomic switch of
  `current`, pruning and verification (`BuildError`);
- `search.index.store_writer.write_store` and `search.index.store.PassageStore`: SQLite;
- `search.index.dense.DenseIndex` (FAISS) and `search.index.keyword.KeywordIndex` (BM25);
- `search.index.multilingual`: the multilingual index (passages, sentences, English words);
- `search.index.loaded.LoadedBuild`: a verified build opened for reading;
- `search.index.keeper`: checks the served build for damage while serving and falls back to
  the newest good build on disk.
"""
