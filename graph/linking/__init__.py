"""Linking passages to the concepts they discuss.

Public API:
- `graph.linking.labels.LabelLinker`: the concepts a text names by a label (`ConceptLink`s);
- `graph.linking.model`: the linking model (`LinkSettings`, `SemanticEvidence`,
  `link_passages`, `link_features`);
- `graph.linking.fit.fit_link_model`: refit it on judgments and cross-validate by document;
- `graph.linking.evaluation`: judgments (`load_judgments`) and `evaluate_links`.
"""
