"""Retrieval evaluation on the gold questions: nDCG@10, Recall@5/10, MRR, per method and group.

Relevant passages are identified by (document id, phrase): a passage of that document whose text
contains the phrase. That keeps the judgments valid when passages are re-split.

Questions in other languages live beside the English file, named by language code
(`questions-ru.toml`, with `answer-facts-ru.toml`); `language_sets` finds them and the report
gives their figures under `"languages"`, in the same shape.
"""

from __future__ import annotations

import math
import re
import statistics
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ilp_base.errors import AtlasError
from search.answers.evaluation import AskedQuestion, evaluate_answers, load_answer_facts
from search.limits import METHODS
from search.searcher import Searcher


class EvaluationError(AtlasError):
    """The gold set is missing, malformed, or names passages the build does not have."""


@dataclass(frozen=True)
class GoldQuestion:
    """A question, its user group and its relevant (document id, phrase) pairs."""

    id: str
    group: str
    question: str
    relevant: tuple[tuple[str, str], ...]

    @property
    def off_topic(self) -> bool:
        """True for questions the corpus cannot answer."""
        return not self.relevant


def load_questions(path: Path) -> list[GoldQuestion]:
    """Read `questions.toml`."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise EvaluationError(f"Cannot read the gold questions at {path}: {error}") from error
    try:
        return [
            GoldQuestion(
                q["id"],
                q["group"],
                q["question"],
                tuple((r["document"], r["phrase"]) for r in q.get("relevant", ())),
            )
            for q in data["question"]
        ]
    except (KeyError, TypeError) as error:
        problem = f"{error.args[0]!r} is missing" if isinstance(error, KeyError) else error
        raise EvaluationError(
            f"{path}: every question needs an id, a group and the question ({problem}; a file "
            "of questions answered on printed pages gives each its pages)"
        ) from error


def is_page_questions(path: Path) -> bool:
    """True for a file of questions answered on printed pages (guidebook-questions.toml)."""
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("question", [])
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise EvaluationError(f"Cannot read the questions at {path}: {error}") from error
    return bool(entries) and all(isinstance(e, dict) and "pages" in e for e in entries)


def language_sets(questions: Path) -> dict[str, Path]:
    """The question files in other languages beside `questions`: `<stem>-<code>.toml`."""
    pattern = re.compile(re.escape(questions.stem) + r"-([a-z]{2})\.toml")
    found = {}
    for path in sorted(questions.parent.glob(f"{questions.stem}-*.toml")):
        match = pattern.fullmatch(path.name)
        if match:
            found[match.group(1)] = path
    return found


def facts_for(facts: Path, language: str) -> Path:
    """The answer facts of a language's questions: `<stem>-<code>.toml` beside `facts`."""
    return facts.with_name(f"{facts.stem}-{language}{facts.suffix}")


def relevant_passage_ids(searcher: Searcher, question: GoldQuestion) -> set[str]:
    """Ids of the build's passages that contain one of the question's phrases."""
    found: set[str] = set()
    for document_id, phrase in question.relevant:
        matches = [
            stored.passage.id
            for stored in searcher.build.store.passages_of_document(document_id)
            if phrase in stored.passage.text
        ]
        if not matches:
            raise EvaluationError(
                f"{question.id}: no passage of {document_id!r} contains "
                f"{phrase!r}; fix the gold set or the document"
            )
        found.update(matches)
    return found


def ndcg_at(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    """Binary-relevance nDCG@k."""
    dcg = sum(1 / math.log2(rank + 2) for rank, pid in enumerate(ranked[:k]) if pid in relevant)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(relevant), k)))
    return dcg / ideal if ideal else 0.0


def recall_at(ranked: list[str], relevant: set[str], k: int) -> float:
    """Share of the relevant passages found in the top k."""
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def hit_at(ranked: list[str], relevant: set[str], k: int) -> float:
    """1 when at least one relevant passage is in the top k (what a reader meets: an answer on
    the first screen), else 0. Its mean is Success@k."""
    return 1.0 if set(ranked[:k]) & relevant else 0.0


def reciprocal_rank(ranked: list[str], relevant: set[str]) -> float:
    """1 / rank of the first relevant passage (0 when none is retrieved)."""
    return next((1 / (rank + 1) for rank, pid in enumerate(ranked) if pid in relevant), 0.0)


@dataclass(frozen=True)
class QuestionResult:
    """One question's scores under one method."""

    question: GoldQuestion
    ranked: list[str]
    no_good_answer: bool
    milliseconds: float


def summarise(results: list[QuestionResult], relevant: dict[str, set[str]]) -> dict:
    """The metrics over answerable questions, in the JSON shape fixed by DESIGN.md (+ latency)."""
    scored = [r for r in results if not r.question.off_topic]
    n = len(scored)

    def mean(values: list[float]) -> float:
        return round(sum(values) / n, 4) if n else 0.0

    latencies = [r.milliseconds for r in results]
    return {
        "ndcg@10": mean([ndcg_at(r.ranked, relevant[r.question.id]) for r in scored]),
        "recall@5": mean([recall_at(r.ranked, relevant[r.question.id], 5) for r in scored]),
        "recall@10": mean([recall_at(r.ranked, relevant[r.question.id], 10) for r in scored]),
        "hit@5": mean([hit_at(r.ranked, relevant[r.question.id], 5) for r in scored]),
        "mrr": mean([reciprocal_rank(r.ranked, relevant[r.question.id]) for r in scored]),
        "n": n,
        "latency_ms_p50": round(statistics.median(latencies), 2) if latencies else 0.0,
    }


def no_answer_rates(results: list[QuestionResult]) -> dict:
    """How often "no good answer" is raised on off-topic and on answerable questions."""
    off = [r for r in results if r.question.off_topic]
    on = [r for r in results if not r.question.off_topic]
    return {
        "off_topic_flagged": round(sum(r.no_good_answer for r in off) / len(off), 4) if off else 0,
        "on_topic_flagged": round(sum(r.no_good_answer for r in on) / len(on), 4) if on else 0,
        "n_off_topic": len(off),
        "n_on_topic": len(on),
    }


def run_method(
    searcher: Searcher, questions: list[GoldQuestion], method: str, k: int = 10
) -> list[QuestionResult]:
    """Search every question with one method, timing each search."""
    results = []
    for question in questions:
        started = time.perf_counter()
        result = searcher.search(question.question, k=k, method=method)
        elapsed = (time.perf_counter() - started) * 1000
        results.append(
            QuestionResult(
                question, [h.passage.id for h in result.hits], result.no_good_answer, elapsed
            )
        )
    return results


def evaluate(
    searcher: Searcher,
    questions: list[GoldQuestion],
    methods: tuple[str, ...] = METHODS,
    progress: Callable[[int], None] | None = None,
) -> dict:
    """`{method: M + {"groups": {group: M}}, "no_good_answer": {...}}` (M: see `summarise`).

    Latencies are whole searches (retrieval, answer sentences, facets) with the query embedding
    already cached; embedding a new query adds about 12 ms on this hardware.
    """
    relevant = {q.id: relevant_passage_ids(searcher, q) for q in questions if not q.off_topic}
    for question in questions:  # embed every query once up front, so methods are timed alike
        searcher.embed_query(question.question)
    groups = sorted({q.group for q in questions if not q.off_topic})
    report: dict = {}
    for method in methods:
        results = run_method(searcher, questions, method)
        report[method] = summarise(results, relevant)
        report[method]["groups"] = {
            group: summarise([r for r in results if r.question.group == group], relevant)
            for group in groups
        }
        if method == "hybrid":
            report["no_good_answer"] = no_answer_rates(results)
        if progress:
            progress(1)
    return report


@dataclass(frozen=True)
class PageQuestion:
    """A question answered on known printed pages of one document."""

    id: str
    question: str
    pages: tuple[str, ...]


def load_page_questions(path: Path) -> list[PageQuestion]:
    """Read a questions file whose entries name printed pages (`guidebook-questions.toml`)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        PageQuestion(q["id"], q["question"], tuple(str(p) for p in q["pages"]))
        for q in data["question"]
    ]


def page_recall(searcher: Searcher, questions: list[PageQuestion], k: int = 5) -> dict:
    """Recall@k by page: share of the answer pages found among the top-k passages' pages,
    and the share of questions with at least one answer page in the top k."""
    recalls, hits = [], []
    for question in questions:
        found = {hit.passage.page for hit in searcher.search(question.question, k=k).hits}
        covered = set(question.pages) & found
        recalls.append(len(covered) / len(question.pages))
        hits.append(bool(covered))
    n = len(questions)
    return {
        f"recall@{k}": round(sum(recalls) / n, 4) if n else 0.0,
        f"hit@{k}": round(sum(hits) / n, 4) if n else 0.0,
        "n": n,
    }


def answer_report(searcher: Searcher, questions_path: Path, facts_path: Path) -> dict:
    """The answer-card evaluation (`ilp eval --answers`) on a questions file.

    On a gold file (questions.toml) it is the retrieval report plus `"answers"`, over the
    answerable questions; on a file of page questions (guidebook-questions.toml) Recall@5 and
    hit@5 by printed page (`"pages"`) and `"answers"`, every question in the group "guidebook".
    """
    report: dict = {}
    if is_page_questions(questions_path):
        page_questions = load_page_questions(questions_path)
        report["pages"] = page_recall(searcher, page_questions, k=5)
        asked = [AskedQuestion(q.id, "guidebook", q.question) for q in page_questions]
    else:
        gold = load_questions(questions_path)
        report = evaluate(searcher, gold)
        asked = [AskedQuestion(q.id, q.group, q.question) for q in gold if not q.off_topic]
    report["answers"] = evaluate_answers(
        lambda text: searcher.search(text), asked, load_answer_facts(facts_path)
    )
    return report
