#!/usr/bin/env python3
"""Turns JMH JSON results (from run-jmh.sh) into markdown tables: one per comparison and thread
count, with score ± error, B/op, and the ratio of Mintaro to each alternative from the same run.
The integration benchmarks (INTEGRATIONS) also get each side's overhead over the baseline of the
same run (plain client, plain DataSource, Log4j2's NullAppender), the ratio of Mintaro's overhead
to OpenTelemetry's against the targets, and a summary table of all of them."""
import json
import math
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
    "OkHttpBenchmark.plain": "plain OkHttp client",
    "OkHttpBenchmark.mintaro": "Mintaro `MintaroOkHttp.client`",
    "OkHttpBenchmark.otel": "OpenTelemetry HTTP client Instrumenter (network interceptor)",
    "ApacheHttpClientBenchmark.plain": "plain HttpClient 5 classic",
    "ApacheHttpClientBenchmark.mintaro": "Mintaro `MintaroHttpClient5.classic`",
    "ApacheHttpClientBenchmark.otel": "OpenTelemetry HTTP client Instrumenter (exec-chain handler)",
    "JdbcBenchmark.selectPlain": "plain H2 `DataSource`",
    "JdbcBenchmark.selectMintaro": "Mintaro `MintaroDataSource.wrap`",
    "JdbcBenchmark.selectOtel": "OpenTelemetry `JdbcTelemetry.wrap` 2.21.0-alpha",
    "JdbcBenchmark.updatePlain": "plain H2 `DataSource`",
    "JdbcBenchmark.updateMintaro": "Mintaro `MintaroDataSource.wrap`",
    "JdbcBenchmark.updateOtel": "OpenTelemetry `JdbcTelemetry.wrap` 2.21.0-alpha",
    "Log4j2Benchmark.nullAppender": "Log4j2 `NullAppender` (baseline)",
    "Log4j2Benchmark.mintaro": "Mintaro `MintaroAppender`",
    "Log4j2Benchmark.otel": "OpenTelemetry Log4j2 appender 2.21.0-alpha → BatchLogRecordProcessor",
}

# Integration benchmarks: (short name, title, baseline, Mintaro, OpenTelemetry) per class.
INTEGRATIONS = {
    "OkHttpBenchmark": [("OkHttp 5", "One OkHttp 5 call, GET of a 256-byte JSON body on loopback",
                         "plain", "mintaro", "otel")],
    "ApacheHttpClientBenchmark": [("Apache HttpClient 5", "One Apache HttpClient 5 classic call, GET of a 256-byte JSON body on loopback",
                                   "plain", "mintaro", "otel")],
    "JdbcBenchmark": [("JDBC SELECT", "JDBC: a prepared SELECT of one row by primary key (H2 in memory)",
                       "selectPlain", "selectMintaro", "selectOtel"),
                      ("JDBC UPDATE", "JDBC: a prepared UPDATE of one row (H2 in memory, auto-commit)",
                       "updatePlain", "updateMintaro", "updateOtel")],
    "Log4j2Benchmark": [("Log4j2 DEBUG line", "Log4j2: one DEBUG line, 2 parameters, synchronous logger",
                         "nullAppender", "mintaro", "otel")],
}
TIME_TARGET = 0.5   # Mintaro's overhead at most half OpenTelemetry's
BOP_TARGET = 0.25   # and at most a quarter of its B/op overhead


def short(name):
    parts = name.split(".")
    return parts[-2] + "." + parts[-1]


def group_of(name):
    cls = short(name).split(".")[0]
    return "LogBenchmark" if cls == "Log4j2AsyncBenchmark" else cls


def ratio(a, b):
    return a / b if b > 0 else float("inf")


def nz(x):
    return x if x == x else 0.0  # NaN with one iteration


def fmt_ratio(r):
    return "∞" if r == float("inf") else f"{r:.2f}"


def integrations(rows):
    """Prints the integration tables, then one summary table. Overheads are differences of two
    scores of the same run; their ± is the two errors added in quadrature."""
    summary = []
    for cls, cases in INTEGRATIONS.items():
        for short_name, title, base_name, m_name, o_name in cases:
            for t in sorted({r["threads"] for r in rows if r["group"] == cls}):
                by = {r["name"].split(".")[1]: r for r in rows if r["group"] == cls and r["threads"] == t}
                if not all(n in by for n in (base_name, m_name, o_name)):
                    continue
                base, m, o = by[base_name], by[m_name], by[o_name]
                print(f"### {title}, {t} thread{'s' if t > 1 else ''}\n")
                print("| benchmark | time per op | B/op | time over the baseline | B/op over the baseline |")
                print("| --- | ---: | ---: | ---: | ---: |")
                for r in (base, m, o):
                    err = nz(r["error"])
                    line = f"| {LABELS.get(r['name'], r['name'])} | {r['score']:.1f} ± {err:.1f} {r['unit']} | {r['bop']:.0f} |"
                    if r is base:
                        line += " baseline | baseline |"
                    else:
                        over = r["score"] - base["score"]
                        over_err = math.sqrt(err ** 2 + nz(base["error"]) ** 2)
                        line += f" {over:.1f} ± {over_err:.1f} | {r['bop'] - base['bop']:.0f} |"
                    print(line)
                m_over, o_over = m["score"] - base["score"], o["score"] - base["score"]
                m_bover, o_bover = m["bop"] - base["bop"], o["bop"] - base["bop"]
                tr, br = ratio(m_over, o_over), ratio(m_bover, o_bover)
                # OpenTelemetry's overhead inside the error bars: no ratio can be read from this run
                o_err = math.sqrt(nz(o["error"]) ** 2 + nz(base["error"]) ** 2)
                t_verdict = "undecided" if o_over <= o_err else ("met" if tr <= TIME_TARGET else "missed")
                b_verdict = "met" if br <= BOP_TARGET else "missed"
                print()
                print(f"Mintaro / OpenTelemetry: overhead time **{fmt_ratio(tr)}** (target ≤ {TIME_TARGET}: "
                      f"{t_verdict}), overhead B/op **{fmt_ratio(br)}** (target ≤ {BOP_TARGET}: {b_verdict}); "
                      f"whole call: time {m['score'] / o['score']:.2f}, B/op {ratio(m['bop'], o['bop']):.2f}.\n")
                m_err = math.sqrt(nz(m["error"]) ** 2 + nz(base["error"]) ** 2)
                summary.append((short_name, t, m_over, m_err, o_over, o_err, tr, t_verdict,
                                m_bover, o_bover, br, b_verdict))
    if summary:
        print("### Integrations: overhead over the baseline, Mintaro against OpenTelemetry\n")
        print("| comparison | threads | Mintaro | OpenTelemetry | Mintaro / OTel (time) | target ≤ 0.5 | "
              "Mintaro B/op | OTel B/op | Mintaro / OTel (B/op) | target ≤ 0.25 |")
        print("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |")
        for name, t, m_over, m_err, o_over, o_err, tr, t_verdict, m_bover, o_bover, br, b_verdict in summary:
            print(f"| {name} | {t} | {m_over:.0f} ± {m_err:.0f} ns | {o_over:.0f} ± {o_err:.0f} ns | {fmt_ratio(tr)} | "
                  f"{t_verdict} | {m_bover:.0f} | {o_bover:.0f} | {fmt_ratio(br)} | {b_verdict} |")
        print()


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
                "error": float(r["primaryMetric"]["scoreError"]),  # "NaN" with one iteration
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
    integrations(rows)


if __name__ == "__main__":
    main(sys.argv[1:])
