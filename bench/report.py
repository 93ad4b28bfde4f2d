"""Targets (met or missed) and the Markdown report."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """One speed target: a figure from the report and the bound it must meet."""

    name: str
    value: float | None
    bound: float
    unit: str
    at_least: bool = False  # True: value >= bound; False: value <= bound

    @property
    def verdict(self) -> str:
        """'met', 'missed', or 'not measured'."""
        if self.value is None:
            return "not measured"
        met = self.value >= self.bound if self.at_least else self.value <= self.bound
        return "met" if met else "missed"

    def row(self) -> str:
        """A Markdown table row."""
        sign = ">=" if self.at_least else "<="
        value = "-" if self.value is None else f"{self.value:g}"
        return (
            f"| {self.name} | {value} {self.unit} | {sign} {self.bound:g} {self.unit} | "
            f"{self.verdict} |"
        )


def _get(report: dict, *path: str):
    """report[path[0]][path[1]]..., or None when a section was not run."""
    for key in path:
        if not isinstance(report, dict) or key not in report:
            return None
        report = report[key]
    return report


def targets(report: dict) -> list[Target]:
    """Every target of the performance issue, evaluated against the report."""
    cold = _get(report, "http", "cold_start_seconds")
    rss = _get(report, "http", "peak_rss_mb")
    return [
        Target(
            "end-to-end ingest / raw encoder (passages/s)",
            _get(report, "ingest", "ratio_to_raw"),
            0.85,
            "x",
            at_least=True,
        ),
        Target(
            "re-ingest, unchanged corpus (forced rebuild, all cached)",
            _get(report, "ingest", "reingest_forced_seconds"),
            3,
            "s",
        ),
        Target(
            "hybrid p50, in-process, no query cache",
            _get(report, "latency", "no_query_cache", "hybrid", "p50_ms"),
            20,
            "ms",
        ),
        Target(
            "hybrid p95, in-process, no query cache",
            _get(report, "latency", "no_query_cache", "hybrid", "p95_ms"),
            40,
            "ms",
        ),
        Target(
            "hybrid p95, in-process, no query cache, Russian questions",
            _get(report, "latency_ru", "no_query_cache", "hybrid", "p95_ms"),
            40,
            "ms",
        ),
        Target("/api/search p95, 1 client", _get(report, "http", "clients_1", "p95_ms"), 60, "ms"),
        Target("cold start to first answer (worst of runs)", max(cold) if cold else None, 6, "s"),
        Target("server peak RSS (VmHWM, worst of runs)", max(rss) if rss else None, 1024, "MiB"),
        Target(
            "hybrid p95 at 100k passages, no query cache",
            _get(report, "scale", "latency", "no_query_cache", "hybrid", "p95_ms"),
            60,
            "ms",
        ),
    ]


def latency_table(latency: dict) -> list[str]:
    """Markdown rows of p50/p95 per method, with and without the query cache."""
    lines = [
        "| query cache | method | p50 ms | p95 ms | mean ms | n |",
        "|---|---|---|---|---|---|",
    ]
    for cache, methods in latency.items():
        lines += [
            f"| {cache} | {m} | {v['p50_ms']} | {v['p95_ms']} | {v['mean_ms']} | {v['n']} |"
            for m, v in methods.items()
        ]
    return lines


def bm25_table(comparison: dict) -> list[str]:
    """Markdown rows comparing the three BM25 engines."""
    build, query, ratios = (
        comparison["build_seconds"],
        comparison["query"],
        comparison["ratios_to_fts5"],
    )
    return [
        "| engine | build s | build / FTS5 | query p50 ms | query p95 ms | p50 / FTS5 | n |",
        "|---|---|---|---|---|---|---|",
        f"| FTS5 bm25() | {build['fts5']} | 1 | {query['fts5']['p50_ms']} | "
        f"{query['fts5']['p95_ms']} | 1 | {query['fts5']['n']} |",
        "| library (FTS5 postings, search/index/keyword.py) | "
        f"+{build['library_postings_after_fts5']} "
        f"| - | {query['library']['p50_ms']} | {query['library']['p95_ms']} | "
        f"{ratios['library_query_p50']} | {query['library']['n']} |",
        f"| rank-bm25 | {build['rank_bm25']} | {ratios['rank_bm25_build']} | "
        f"{query['rank_bm25']['p50_ms']} | {query['rank_bm25']['p95_ms']} | "
        f"{ratios['rank_bm25_query_p50']} (vs FTS5 on the same subset) | "
        f"{query['rank_bm25']['n']} |",
        f"| bm25s | {build['bm25s']} | {ratios['bm25s_build']} | {query['bm25s']['p50_ms']} | "
        f"{query['bm25s']['p95_ms']} | {ratios['bm25s_query_p50']} | {query['bm25s']['n']} |",
    ]


def markdown(report: dict) -> str:
    """The whole report as Markdown, ending with the targets table."""
    lines = [
        "# ILP Atlas benchmark",
        "",
        f"Run {report['when']} on {report['machine']['cpus']} CPUs, Python "
        f"{report['machine']['python']}; corpus build: {report['build']['passages']} "
        f"passages, {report['build']['sentences']} sentences. `make bench` sections took "
        f"{report['seconds_per_section']} s.",
        "",
    ]
    if "encoder" in report and "ingest" in report:
        raw, ingest = report["encoder"], report["ingest"]
        lines += [
            "## Ingest",
            "",
            f"- Raw encoder (default threads): {raw['passages_per_second']} passages/s, "
            f"{raw['sentences_per_second']} sentences/s.",
            f"- Full `ilp ingest` into a fresh instance, empty cache: "
            f"{ingest['fresh_ingest_seconds']} s, {ingest['texts_embedded']} texts embedded "
            f"= {ingest['end_to_end_passages_per_second']} passages/s, "
            f"{ingest['ratio_to_raw']} x raw.",
            f"- Work-equivalent: the raw encoder needs {ingest['raw_seconds_for_same_texts']}"
            f" s for the same passages, sentences and concepts = "
            f"{ingest['work_equivalent_ratio']} of the ingest's wall time.",
            f"- Re-ingest of the unchanged corpus: forced rebuild (all embeddings cached) "
            f"{ingest['reingest_forced_seconds']} s; `--if-changed` (nothing to do) "
            f"{ingest['reingest_if_changed_seconds']} s. The 3 s target is the forced "
            "rebuild.",
            "",
        ]
    if "latency" in report:
        lines += [
            "## Query latency in-process (ONNX query encoder, 1 thread, k=10, with answers)",
            "",
            *latency_table(report["latency"]),
            "",
        ]
    if "latency_ru" in report:
        lines += [
            "## Query latency in-process, Russian questions (multilingual route, k=10)",
            "",
            *latency_table(report["latency_ru"]),
            "",
        ]
    if "http" in report:
        http = report["http"]
        lines += [
            "## Over HTTP (`ilp serve`, waitress 4 threads, /api/search k=10)",
            "",
            "| clients | p50 ms | p95 ms | mean ms | req/s | n |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {v['clients']} | {v['p50_ms']} | {v['p95_ms']} | {v['mean_ms']} | "
            f"{v['requests_per_second']} | {v['n']} |"
            for key, v in http.items()
            if key.startswith("clients_")
        ]
        lines += [
            "",
            f"Cold start to first answer: {http['cold_start_seconds']} s; peak RSS "
            f"(VmHWM): {http['peak_rss_mb']} MiB (one server per client count).",
            "",
        ]
        if "load" in http:
            lines += [f"Load test (bench.load): {http['load'].get('total', http['load'])}", ""]
    if "scale" in report:
        scale = report["scale"]
        build = scale["build"]
        lines += [
            f"## At {build['passages']:,} passages (scale-up build, "
            f"{'cached' if build['reused_from_cache'] else 'built this run'})",
            "",
            f"Build {build['build_seconds']} s ({build['seconds']}); disk "
            f"{build['total_size_mb']} MiB ({build['size_mb']}); opening it (manifest "
            f"check) {scale['open_seconds']} s.",
            "",
            *latency_table(scale["latency"]),
            "",
        ]
    for size, comparison in report.get("bm25", {}).items():
        lines += [
            f"## BM25 engines at {size} ({comparison['passages']:,} passages, depth 50)",
            "",
            *bm25_table(comparison),
            "",
        ]
    lines += [
        "## Targets",
        "",
        "| target | figure | bound | verdict |",
        "|---|---|---|---|",
        *[target.row() for target in targets(report)],
    ]
    return "\n".join(lines) + "\n"
