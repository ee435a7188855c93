#!/usr/bin/env python3
"""End-to-end load benchmark: uninstrumented vs Mintaro vs OpenTelemetry. See run-load.sh."""
import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from common import (CLK_TCK, build_info, JAR, ROOT, build, build_at, cpu_ticks, http_json, jmh_running, log,
                    start_java, stop, wait_for_quiet_machine, wait_port, write_result)

# Every configuration runs at once on its own ports; only the one being measured gets traffic.
# mintaro_before is Mintaro built from another revision (--baseline-rev), with its own collector;
# mintaro_local records the same way with no collector at all, to tell recording from collecting.
PORTS = {"none": (18080, 18081), "mintaro": (18180, 18181), "otel": (18280, 18281), "mintaro_before": (18380, 18381),
         "mintaro_local": (18480, 18481)}
COLLECTORS = {"mintaro": (17070, 17071, 17072), "mintaro_before": (17090, 17091, 17092)}  # API, relay, stats
RECEIVER, RECEIVER_RELAY = 17080, 17081
MINTARO = ("mintaro", "mintaro_before", "mintaro_local")
INSTRUMENTED = ("mintaro", "otel", "mintaro_before", "mintaro_local")  # compared with none
API_KEY = "loadtest-key-0001"
CONFIGS = ["none", "mintaro", "otel"]


def parse_wrk(text):
    def dur(s):
        m = re.match(r"([\d.]+)(us|ms|s|m)", s)
        v, u = float(m.group(1)), m.group(2)
        return v * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[u]
    r = {}
    r["requests"] = int(re.search(r"(\d+) requests in", text).group(1))
    r["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    for p in ("50", "75", "90", "99"):
        m = re.search(r"^\s+%s(?:\.000)?%%\s+(\S+)" % p, text, re.M)
        r["p%s_ms" % p] = dur(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    r["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    r["socket_errors"] = sum(map(int, m.groups())) if m else 0
    return r


def wrk(cfg, args, duration, think=False):
    """A wrk run; with think=True each connection pauses --think-ms before every request."""
    url = "http://127.0.0.1:%d/api/item?id=42" % cfg["edge_port"]
    cmd = ["wrk", "-t%d" % args.threads, "-c%d" % args.connections, "-d%ds" % duration, "--latency"]
    if think and args.think_script:
        cmd += ["-s", args.think_script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=duration + 60).stdout
    # every error response of the configuration's life, for the collector's counts at the end
    cfg["non2xx_total"] = cfg.get("non2xx_total", 0) + parse_wrk(out)["non2xx"]
    return out


def start_config(name, args, tmp):
    """Starts one configuration's sink (if any), backend and edge; returns them once they listen."""
    jvm = args.jvm_flags.split()
    jar = args.baseline_jar if name == "mintaro_before" else JAR
    mode = "mintaro" if name in MINTARO else name
    edge_port, backend_port = PORTS[name]
    cfg = {"name": name, "mode": mode, "edge_port": edge_port, "procs": [], "sink": None, "stats_url": None}
    env = {}
    service_extra = []
    if name in COLLECTORS:
        api, relay, stats = COLLECTORS[name]
        cfg["collector_port"] = api
        db = os.path.join(tmp, "%s-%d.db" % (name, time.time_ns()))
        sink = start_java(["collector", "--port", str(api), "--relay-port", str(relay), "--stats-port", str(stats),
                           "--db", db, "--api-key", API_KEY],
                          jvm, logfile=os.path.join(tmp, "collector-%s.log" % name), jar=jar)
        cfg["procs"].append(sink)
        wait_port(stats, sink)
        cfg["sink"], cfg["stats_url"] = sink, "http://127.0.0.1:%d" % stats
        env = {"MINTARO_COLLECTOR": "http://127.0.0.1:%d" % relay, "MINTARO_API_KEY": API_KEY}
    elif mode == "otel":
        sink = start_java(["receiver", "--port", str(RECEIVER), "--relay-port", str(RECEIVER_RELAY)],
                          jvm, logfile=os.path.join(tmp, "receiver.log"))
        cfg["procs"].append(sink)
        wait_port(RECEIVER, sink)
        cfg["sink"], cfg["stats_url"] = sink, "http://127.0.0.1:%d" % RECEIVER
        service_extra = ["--otlp", "http://127.0.0.1:%d" % RECEIVER_RELAY, "--compression", args.otel_compression,
                         "--otel-queue", str(args.otel_queue), "--otel-batch", str(args.otel_batch)]
    backend = start_java(["service", "--role", "backend", "--mode", mode, "--port", str(backend_port),
                          "--error-every", str(args.error_every)] + service_extra,
                         jvm, env=dict(env, MINTARO_SERVICE="backend"),
                         logfile=os.path.join(tmp, "backend-%s.log" % name), jar=jar)
    cfg["procs"].append(backend)
    edge = start_java(["service", "--role", "edge", "--mode", mode, "--port", str(edge_port),
                       "--backend", "http://127.0.0.1:%d/price" % backend_port] + service_extra,
                      jvm, env=dict(env, MINTARO_SERVICE="edge"), logfile=os.path.join(tmp, "edge-%s.log" % name), jar=jar)
    cfg["procs"].append(edge)
    wait_port(backend_port, backend)
    wait_port(edge_port, edge)
    cfg["services"] = [edge, backend]
    return cfg


def measure(cfg, args):
    """One measured slice: a short pre-roll, counters reset, the measured wrk run, then a settle pause."""
    mode, sink = cfg["mode"], cfg["sink"]
    if args.preroll > 0:
        wrk(cfg, args, args.preroll, think=True)  # fresh connections and pool threads, for every configuration alike
    if cfg["stats_url"]:
        http_json(cfg["stats_url"] + "/reset", "POST")
    traces_before = stored_traces(cfg["collector_port"]) if "collector_port" in cfg else None
    jmh_during = jmh_running()
    pids = [p.pid for p in cfg["services"]]
    c0 = sum(cpu_ticks(p) for p in pids)
    s0 = cpu_ticks(sink.pid) if sink else 0
    t0 = time.time()
    out = wrk(cfg, args, args.duration, think=True)
    t1 = time.time()
    c1 = sum(cpu_ticks(p) for p in pids)
    jmh_during = jmh_during or jmh_running()
    time.sleep(args.settle)  # data of the last requests still in batches or being collected
    s1 = cpu_ticks(sink.pid) if sink else 0
    r = parse_wrk(out)
    r["mode"] = mode
    r["config"] = cfg["name"]
    r["wrk_output"] = out
    r["wall_s"] = t1 - t0
    r["service_cpu_s"] = (c1 - c0) / CLK_TCK
    r["service_cpu_us_per_request"] = (c1 - c0) / CLK_TCK / r["requests"] * 1e6
    r["sink_cpu_s_incl_settle"] = (s1 - s0) / CLK_TCK
    r["sink_cpu_us_per_request"] = (s1 - s0) / CLK_TCK / r["requests"] * 1e6
    r["jmh_running_during_measurement"] = jmh_during
    if cfg["stats_url"]:
        st = http_json(cfg["stats_url"] + "/stats")
        r["sink_stats"] = st
        r["bytes_on_wire"] = st["upstreamBytes"]
        r["bytes_per_1000_requests"] = st["upstreamBytes"] / r["requests"] * 1000
    else:
        r["bytes_on_wire"] = 0
        r["bytes_per_1000_requests"] = 0.0
    if "collector_port" in cfg:
        r["stored_error_traces"] = stored_traces(cfg["collector_port"]) - traces_before
        r["error_responses"] = r["non2xx"]
    if mode == "mintaro":
        # the edge's ring at the end of the slice: how far back a trigger could reach
        r["edge_stats"] = service_stats(cfg["edge_port"])
    if mode == "otel":
        r["spans_expected"] = 3 * r["requests"]
        r["logs_expected"] = 5 * r["requests"]
    log("%s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, %.1f us service CPU/req, %.1f us sink CPU/req, %.0f B/1000 req"
        % (cfg["name"], r["rps"], r["p50_ms"], r["p99_ms"], r["service_cpu_us_per_request"], r["sink_cpu_us_per_request"],
           r["bytes_per_1000_requests"]))
    return r


def service_stats(port):
    try:
        return http_json("http://127.0.0.1:%d/_stats" % port)
    except Exception as e:  # noqa
        log("could not read the service's stats: %s" % e)
        return None


def error_counts(cfg, wait_s):
    """What the collector counted over the configuration's life against the error responses wrk saw."""
    time.sleep(wait_s)  # counted triggers are folded after the collector's count window
    groups, page = [], 1
    while True:
        r = http_json("http://127.0.0.1:%d/api/groups?status=all&silenced=show&pageSize=200&page=%d"
                      % (cfg["collector_port"], page), headers={"Authorization": "Bearer " + API_KEY})
        groups += r["groups"]
        if len(groups) >= r["total"] or not r["groups"]:
            break
        page += 1
    errors = [g for g in groups if g["kind"] == "error"]
    for g in groups:  # a baseline collector from before counted triggers reports only its stored traces
        g.setdefault("occurrences", g.get("count", 0))
        g.setdefault("traces", g.get("count", 0))
    occurrences = sum(g["occurrences"] for g in errors)
    return {"error_responses": cfg.get("non2xx_total", 0), "error_occurrences": occurrences,
            "error_traces_kept": sum(g["traces"] for g in errors),
            "occurrences_over_error_responses": occurrences / cfg["non2xx_total"] if cfg.get("non2xx_total") else None,
            "groups": [{k: g.get(k) for k in ("name", "service", "kind", "occurrences", "traces")} for g in groups]}


def stored_traces(collector_port):
    try:
        return http_json("http://127.0.0.1:%d/api/traces?pageSize=1" % collector_port,
                         headers={"Authorization": "Bearer " + API_KEY}).get("total", -1)
    except Exception as e:  # noqa
        log("could not read stored traces: %s" % e)
        return -1


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--duration", type=int, default=20, help="each measured wrk slice, seconds")
    ap.add_argument("--warmup", type=int, default=120,
                    help="warm-up wrk run per configuration, seconds (C2 still recompiles Jetty and the JDK client "
                         "at 40 s on 2 cores)")
    ap.add_argument("--preroll", type=int, default=3,
                    help="unmeasured wrk run right before each slice, seconds (new connections and pool threads)")
    ap.add_argument("--settle", type=int, default=5, help="pause after each slice for batches to flush, seconds")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--rounds", type=int, default=5,
                    help="rounds; each measures every configuration once, in an order rotated per round")
    ap.add_argument("--think-ms", type=int, default=0,
                    help="pause of each wrk connection before every measured request, ms: all configurations "
                         "then run at about the same rate below saturation, and the script compares CPU per request")
    ap.add_argument("--jvm-flags", default="-Xms512m -Xmx512m -XX:+UseG1GC")
    ap.add_argument("--otel-queue", type=int, default=65536,
                    help="maxQueueSize of the OTel batch processors (SDK default 2048 drops logs at this rate)")
    ap.add_argument("--otel-batch", type=int, default=4096,
                    help="maxExportBatchSize of the OTel batch processors (SDK default 512 exports only a third of the logs here)")
    ap.add_argument("--otel-compression", default="none", choices=["none", "gzip"])
    ap.add_argument("--error-every", type=int, default=100,
                    help="the backend answers 500 to every Nth request (100: 1%%, 5: 20%%; 0: never)")
    ap.add_argument("--count-wait", type=int, default=15,
                    help="seconds to wait at the end before reading the collector's error counts (-1: skip)")
    ap.add_argument("--max-jmh-wait", type=int, default=1800, help="seconds to wait for benchmarks.jar to finish")
    ap.add_argument("--no-wait", action="store_true", help="do not wait for benchmarks.jar")
    ap.add_argument("--build", action="store_true", help="rebuild the jar first")
    ap.add_argument("--configs", default=",".join(CONFIGS))
    ap.add_argument("--baseline-rev", help="also run Mintaro built from this git revision (mintaro_before), to "
                                           "measure a change in the same rounds as the change itself")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed")
    build(args.build)
    configs = args.configs.split(",")
    tmp = tempfile.mkdtemp(prefix="mintaro-load-")
    if args.baseline_rev:
        args.baseline_jar = build_at(args.baseline_rev, tmp)
        configs.append("mintaro_before")
    args.think_script = None
    if args.think_ms > 0:
        args.think_script = os.path.join(tmp, "think.lua")
        with open(args.think_script, "w") as f:
            f.write("function delay()\n  return %d\nend\n" % args.think_ms)
    runs = {c: [] for c in configs}
    counts = {}
    quiet_at_start = True
    started = []
    try:
        for mode in configs:
            started.append(start_config(mode, args, tmp))
        for cfg in started:
            if not args.no_wait:
                quiet_at_start = wait_for_quiet_machine(args.max_jmh_wait) and quiet_at_start
            log("%s: warm-up %d s" % (cfg["name"], args.warmup))
            wrk(cfg, args, args.warmup)
            time.sleep(args.settle)
        for rnd in range(args.rounds):
            # The machine's speed drifts by 10-20% over minutes (a shared VM), so every round
            # measures every configuration back to back, starting with a different one each time.
            order = started[rnd % len(started):] + started[:rnd % len(started)]
            for cfg in order:
                if not args.no_wait:
                    quiet_at_start = wait_for_quiet_machine(args.max_jmh_wait) and quiet_at_start
                log("round %d/%d: %s, %d s" % (rnd + 1, args.rounds, cfg["name"], args.duration))
                r = measure(cfg, args)
                r["round"] = rnd + 1
                runs[cfg["name"]].append(r)
        for cfg in started:
            if "collector_port" in cfg and args.count_wait >= 0:
                counts[cfg["name"]] = error_counts(cfg, args.count_wait)
                log("%s: %d error responses, %d error occurrences at the collector, %d traces kept" % (
                    cfg["name"], counts[cfg["name"]]["error_responses"], counts[cfg["name"]]["error_occurrences"],
                    counts[cfg["name"]]["error_traces_kept"]))
    finally:
        for cfg in reversed(started):
            stop(list(reversed(cfg["procs"])))

    summary = {}
    for mode, rs in runs.items():
        summary[mode] = {
            "rps": median([r["rps"] for r in rs]),
            "p50_ms": median([r["p50_ms"] for r in rs]),
            "p99_ms": median([r["p99_ms"] for r in rs]),
            "service_cpu_us_per_request": median([r["service_cpu_us_per_request"] for r in rs]),
            "sink_cpu_us_per_request": median([r["sink_cpu_us_per_request"] for r in rs]),
            "bytes_per_1000_requests": median([r["bytes_per_1000_requests"] for r in rs]),
            "non2xx_fraction": median([r["non2xx"] / r["requests"] for r in rs]),
        }
        if mode == "otel":
            summary[mode]["spans_delivered_fraction"] = median([r["sink_stats"]["spans"] / r["spans_expected"] for r in rs])
            summary[mode]["logs_delivered_fraction"] = median([r["sink_stats"]["logRecords"] / r["logs_expected"] for r in rs])
        if mode in COLLECTORS:
            summary[mode]["stored_error_traces"] = [r["stored_error_traces"] for r in rs]
            summary[mode]["error_responses"] = [r["error_responses"] for r in rs]
        if any(r.get("edge_stats") for r in rs):
            summary[mode]["edge_history_ms"] = median([r["edge_stats"]["historyMillis"] for r in rs if r.get("edge_stats")])
    # Losses are paired: each round's configuration against the uninstrumented run of the same round.
    per_round = {}
    if "none" in runs:
        for m in INSTRUMENTED:
            if m in runs:
                per_round[m] = [1 - r["rps"] / b["rps"] for r, b in zip(runs[m], runs["none"])]
    ratios = {}
    for m, losses in per_round.items():
        ratios["%s_throughput_loss" % m] = median(losses)
        ratios["%s_throughput_loss_min" % m] = min(losses)
        ratios["%s_throughput_loss_max" % m] = max(losses)
    if "mintaro" in per_round and "otel" in per_round:
        ol = ratios["otel_throughput_loss"]
        ratios["mintaro_loss_over_otel_loss"] = ratios["mintaro_throughput_loss"] / ol if ol > 0 else None
    if "mintaro" in runs and "mintaro_before" in runs:
        # the change itself, paired per round: this build's throughput over the baseline build's
        gain = [r["rps"] / b["rps"] for r, b in zip(runs["mintaro"], runs["mintaro_before"])]
        ratios["mintaro_rps_over_mintaro_before_rps"] = median(gain)
        ratios["mintaro_rps_over_mintaro_before_rps_min"] = min(gain)
        ratios["mintaro_rps_over_mintaro_before_rps_max"] = max(gain)
    if "mintaro" in summary and "otel" in summary and summary["otel"]["bytes_per_1000_requests"] > 0:
        ratios["mintaro_bytes_over_otel_bytes"] = (summary["mintaro"]["bytes_per_1000_requests"]
                                                   / summary["otel"]["bytes_per_1000_requests"])
    # CPU per request of the services plus their sink, paired per round; the measure that counts
    # when --think-ms holds every configuration at about the same rate.
    for m in INSTRUMENTED:
        if m in runs and "none" in runs:
            extra = [(r["service_cpu_us_per_request"] + r["sink_cpu_us_per_request"]) / b["service_cpu_us_per_request"] - 1
                     for r, b in zip(runs[m], runs["none"])]
            ratios["%s_cpu_per_request_overhead" % m] = median(extra)
            ratios["%s_cpu_per_request_overhead_min" % m] = min(extra)
            ratios["%s_cpu_per_request_overhead_max" % m] = max(extra)
            own = [r["service_cpu_us_per_request"] / b["service_cpu_us_per_request"] - 1
                   for r, b in zip(runs[m], runs["none"])]
            ratios["%s_service_cpu_per_request_overhead" % m] = median(own)
    goals = {}
    if args.think_ms > 0:
        pass  # below saturation the throughput goals do not apply: see the CPU overheads
    elif "mintaro_throughput_loss" in ratios:
        goals["mintaro_loss_le_3pct"] = ratios["mintaro_throughput_loss"] <= 0.03
    if ratios.get("mintaro_loss_over_otel_loss") is not None and args.think_ms == 0:
        goals["mintaro_loss_le_half_otel_loss"] = ratios["mintaro_loss_over_otel_loss"] <= 0.5
    if "mintaro_bytes_over_otel_bytes" in ratios:
        goals["mintaro_bytes_le_3pct_of_otel"] = ratios["mintaro_bytes_over_otel_bytes"] <= 0.03

    jmh_any = any(r["jmh_running_during_measurement"] for rs in runs.values() for r in rs)
    result = {
        "benchmark": "load",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "kernel": platform.release(),
                    "java": subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]},
        "machine_otherwise_idle": not jmh_any,
        "build": build_info(),
        "baseline_rev": args.baseline_rev,
        "settings": {"wrk": "wrk -t%d -c%d -d%ds --latency" % (args.threads, args.connections, args.duration),
                     "error_every": args.error_every,
                     "design": "all configurations up at once; rounds measure each back to back, order rotated",
                     "warmup_s": args.warmup, "preroll_s": args.preroll, "settle_s": args.settle,
                     "rounds": args.rounds, "think_ms": args.think_ms,
                     "jvm_flags": args.jvm_flags, "otel_compression": args.otel_compression,
                     "otel_batch_queue_size": args.otel_queue, "otel_export_batch_size": args.otel_batch},
        "summary": summary, "per_round_losses": per_round, "ratios": ratios, "goals": goals,
        "error_counts": counts, "runs": runs,
    }
    path = write_result("load", result)

    print()
    print("| configuration | req/s | p50 ms | p99 ms | service CPU us/req | sink CPU us/req | bytes to sink per 1,000 req | non-2xx |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for mode, s in summary.items():
        print("| %s | %.0f | %.2f | %.2f | %.1f | %.1f | %.0f | %.2f%% |" % (mode, s["rps"], s["p50_ms"], s["p99_ms"],
              s["service_cpu_us_per_request"], s["sink_cpu_us_per_request"], s["bytes_per_1000_requests"],
              100 * s["non2xx_fraction"]))
    print()
    for m, losses in per_round.items():
        print("%s loss per round: %s" % (m, " ".join("%.1f%%" % (100 * x) for x in losses)))
    print()
    for k, v in ratios.items():
        print("%-32s %s" % (k, "n/a" if v is None else ("%.2f%%" % (100 * v))))
    for name, c in counts.items():
        print("%s: error responses %d, error occurrences at the collector %d (%s), traces kept %d" % (
            name, c["error_responses"], c["error_occurrences"],
            "n/a" if c["occurrences_over_error_responses"] is None else "%.2f%%" % (100 * c["occurrences_over_error_responses"]),
            c["error_traces_kept"]))
    for mode, s in summary.items():
        if "edge_history_ms" in s:
            print("%s: edge ring history at the end of a slice (median) %.0f ms" % (mode, s["edge_history_ms"]))
    for k, v in goals.items():
        print("goal %-30s %s" % (k, "MET" if v else "MISSED"))
    print("machine otherwise idle: %s" % (not jmh_any))
    print("results: %s" % os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main()
