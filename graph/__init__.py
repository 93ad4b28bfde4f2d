"""The concept graph: the SKOS scheme, linking passages to concepts, RDF, SPARQL, validation.

Public API:
- `graph.concepts.load_scheme` -> `ConceptScheme` of `Concept`s;
- `graph.linking`: link by label, the linking model, its fit and its evaluation;
- `graph.rdf`: the corpus as RDF triples (`corpus_triples`, `save_triples`, `load_graph`,
  `serialize_graph`, `concept_graph`);
- `graph.sparql.run_limited`: read-only SPARQL with time, memory, CPU and result limits, in a
  child process that cannot reach the network (`graph.sparql_syntax`: SERVICE and updates
  refused on the parsed query; `graph.sandbox`: the network namespace and seccomp filter);
- `graph.validate.validate`: SHACL and SKOS checks; `graph.namespaces`: our URIs.
"""
