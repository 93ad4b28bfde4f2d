"""The concept graph: the SKOS scheme, linking passages to concepts, RDF, SPARQL, validation.

Public API:
- `graph.concepts.load_scheme` -> `ConceptScheme` of `Concept`s;
- `graph.linking`: link by label, the linking model, its fit and its evaluation;
- `graph.rdf`: the corpus as RDF triples (`corpus_triples`, `save_triples`, `load_graph`,
  `serialize_graph`, `concept_graph`);
- `graph.sparql.run_limited`: read-only SPARQL with time and result limits;
- `graph.validate.validate`: SHACL and SKOS checks; `graph.namespaces`: our URIs.
"""
