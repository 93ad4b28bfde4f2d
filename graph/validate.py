"""`ilp validate`: SHACL shapes over the built graph plus the SKOS checks SHACL cannot express."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SH

from graph.concepts import ConceptScheme

SHAPES = Path(__file__).with_name("shapes.ttl")


@dataclass(frozen=True)
class Problem:
    """One failed check: which check, on what, and what is wrong."""

    check: str
    focus: str
    message: str


@dataclass(frozen=True)
class ValidationReport:
    """All problems found, and the checks that ran."""

    problems: list[Problem] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no check found a problem."""
        return not self.problems


def shacl_problems(graph: Graph, shapes_path: Path = SHAPES) -> list[Problem]:
    """Validate a data graph against the SHACL shapes with pySHACL."""
    from pyshacl import validate

    shapes = Graph().parse(shapes_path, format="turtle")
    conforms, results, _ = validate(graph, shacl_graph=shapes, advanced=True, allow_warnings=True)
    if conforms:
        return []
    problems = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        where = f" ({path.n3(graph.namespace_manager)})" if path is not None else ""
        problems.append(Problem("shacl", str(focus), f"{message}{where}"))
    return sorted(problems, key=lambda p: (p.focus, p.message))


def scheme_problems(scheme: ConceptScheme) -> list[Problem]:
    """Broader cycles, shared prefLabels, unreachable concepts, one-sided hierarchy links."""
    concepts = scheme.concepts
    problems: list[Problem] = []
    for concept in concepts.values():
        if _reaches(concepts, concept.id):
            problems.append(Problem("no-cycles", concept.id, "skos:broader leads back to it"))
        for parent in concept.broader:
            if parent in concepts and concept.id not in concepts[parent].narrower:
                problems.append(
                    Problem(
                        "inverse-links",
                        concept.id,
                        f"broader {parent} does not list it as narrower",
                    )
                )
    seen: dict[tuple[str, str], str] = {}
    for concept in concepts.values():
        for language, label in concept.pref_labels.items():
            key = (language, label.casefold())
            if key in seen:
                problems.append(
                    Problem(
                        "unique-preflabel",
                        concept.id,
                        f"prefLabel {label!r}@{language} is also {seen[key]}'s",
                    )
                )
            seen[key] = concept.id
    reachable = _reachable_from_top(scheme)
    for concept_id in sorted(set(concepts) - reachable):
        problems.append(Problem("reachable", concept_id, "not reachable from a top concept"))
    return problems


def _reaches(concepts: dict, start: str) -> bool:
    seen: set[str] = set()
    frontier = list(concepts[start].broader)
    while frontier:
        current = frontier.pop()
        if current == start:
            return True
        if current in concepts and current not in seen:
            seen.add(current)
            frontier.extend(concepts[current].broader)
    return False


def _reachable_from_top(scheme: ConceptScheme) -> set[str]:
    children: dict[str, set[str]] = {cid: set(c.narrower) for cid, c in scheme.concepts.items()}
    for concept in scheme.concepts.values():
        for parent in concept.broader:
            children.setdefault(parent, set()).add(concept.id)
    reachable: set[str] = set()
    frontier = [c.id for c in scheme.top_concepts()]
    while frontier:
        current = frontier.pop()
        if current not in reachable:
            reachable.add(current)
            frontier.extend(children.get(current, ()))
    return reachable & set(scheme.concepts)


def read_unlinked_list(path: Path) -> set[str]:
    """Concept ids declared to have no passage yet (one per line, # comments)."""
    if not path.is_file():
        return set()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return {line for line in lines if line}


def usage_problems(
    scheme: ConceptScheme, linked: set[str], declared_unlinked: set[str]
) -> list[Problem]:
    """Every concept is linked to a passage or declared as having none, and the list is current."""
    problems = []
    for concept_id in sorted(scheme.concepts):
        if concept_id not in linked and concept_id not in declared_unlinked:
            problems.append(
                Problem(
                    "used",
                    concept_id,
                    "no passage is linked to it and it is not listed in the unlinked-concepts file",
                )
            )
        if concept_id in linked and concept_id in declared_unlinked:
            problems.append(
                Problem(
                    "used",
                    concept_id,
                    "listed as unlinked but passages are linked to it; remove it from the list",
                )
            )
    for concept_id in sorted(declared_unlinked - set(scheme.concepts)):
        problems.append(Problem("used", concept_id, "listed as unlinked but not in the scheme"))
    return problems


def validate(
    graph: Graph, scheme: ConceptScheme, linked: set[str], declared_unlinked: set[str]
) -> ValidationReport:
    """Run every check on a built graph and its concept scheme."""
    problems = (
        shacl_problems(graph)
        + scheme_problems(scheme)
        + usage_problems(scheme, linked, declared_unlinked)
    )
    checks = ["shacl", "no-cycles", "inverse-links", "unique-preflabel", "reachable", "used"]
    return ValidationReport(problems, checks)
