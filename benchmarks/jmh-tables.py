#!/usr/bin/env python3
"""Turns JMH JSON results (from run-jmh.sh) into markdown tables: one per comparison and thread
count, with score ± error, B/op, and the ratio of Mintaro to each alternative from the same run."""
import json
import sys

TITLES = {
    "SpanBenchmark": "Span start and end with 5 attributes",
    "LogBenchmark": "One DEBUG log line, 2 parameters",
    "ExchangeBenchmark": "Recording one HTTP exchange, 1 KiB bodies",
    "RedactorBenchmark": "The redaction scan of one 1 KiB JSON body",
}
LABELS = {
    "SpanBenchmark.mintaro": "Mintaro `Mintaro.startSpan`",
    "SpanBenchmark.otel": "OpenTelemetry SDK 1.55.0 (BatchSpanProcessor, no-op exporter)",
    "LogBenchmark.mintaro": "Mintaro (SLF4J → Logback → MintaroAppender → ring)",
    "LogBenchmark.logbackAsyncFile": "Logback AsyncAppender → FileAppender",
    "LogBenchmark.otelLogback": "OpenTelemetry Logback appender → BatchLogRecordProcessor (no-op exporter)",
    "Log4j2AsyncBenchmark.log4j2AsyncFile": "Log4j2 all-async loggers → File appender",
    "ExchangeBenchmark.server": "Mintaro `ServerExchange` (inbound)",
    "ExchangeBenchmark.client": "Mintaro `ClientExchange` (outbound)",
    "RedactorBenchmark.scanJsonBody": "Mintaro `Redactor.body` (no secret field in the body)",
}


def short(name):
    parts = name.split(".")
    return parts[-2] + "." + parts[-1]


def group_of(name):
    cls = short(name).split(".")[0]
    return "LogBenchmark" if cls == "Log4j2AsyncBenchmark" else cls


def main(paths):
    rows = []
    for p in paths:
        for r in json.load(open(p)):
            sec = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {})
            rows.append({
                "group": group_of(r["benchmark"]),
                "name": short(r["benchmark"]),
                "threads": r["threads"],
                "score": r["primaryMetric"]["score"],
                "error": r["primaryMetric"]["scoreError"],
                "unit": r["primaryMetric"]["scoreUnit"],
                "bop": sec.get("score"),
            })
    for group in ["SpanBenchmark", "LogBenchmark", "ExchangeBenchmark", "RedactorBenchmark"]:
        for t in sorted({r["threads"] for r in rows if r["group"] == group}):
            sel = [r for r in rows if r["group"] == group and r["threads"] == t]
            if not sel:
                continue
            mintaro = next((r for r in sel if r["name"].endswith(".mintaro")), None)
            print(f"### {TITLES[group]}, {t} thread{'s' if t > 1 else ''}\n")
            if mintaro:
                print("| benchmark | time per op | B/op | Mintaro / this (time) | Mintaro / this (B/op) |")
                print("| --- | ---: | ---: | ---: | ---: |")
            else:
                print("| benchmark | time per op | B/op |")
                print("| --- | ---: | ---: |")
            for r in sel:
                err = r["error"] if r["error"] == r["error"] else 0.0  # NaN with one iteration
                line = f"| {LABELS.get(r['name'], r['name'])} | {r['score']:.1f} ± {err:.1f} {r['unit']} | {r['bop']:.0f} |"
                if mintaro:
                    if r is mintaro:
                        line += " 1 | 1 |"
                    else:
                        tr = mintaro["score"] / r["score"]
                        # under 16 B/op (one object) is JMH's allocation accounting noise: nothing
                        br = mintaro["bop"] / r["bop"] if r["bop"] and r["bop"] >= 16 else float("inf")
                        line += f" {tr:.2f} | {'∞ (' + format(r['bop'], '.2f') + ' B/op)' if br == float('inf') else format(br, '.2f')} |"
                print(line)
            print()


if __name__ == "__main__":
    main(sys.argv[1:])
