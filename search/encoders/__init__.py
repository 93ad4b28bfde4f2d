"""Sentence embeddings.

Public API:
- `search.encoders.base`: the `Encoder` interface, `EncoderError`, where the model lives;
- `search.encoders.sentence_transformer.SentenceTransformerEncoder`: torch, for ingest;
- `search.encoders.onnx_bert.OnnxEncoder`: the same model on ONNX Runtime, for queries;
- `search.encoders.multilingual.MultilingualEncoder`: multilingual USE v3 (NumPy), for the
  second index and for queries in other languages than English;
- `search.encoders.query`: `query_encoder`, `serving_query_encoder`, `QueryEmbedder`.
"""
