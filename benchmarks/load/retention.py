#!/usr/bin/env python3
"""Retention at load: are slow traces still complete when they trigger? See run-retention.sh."""
import argparse
import json
import os
import secrets
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from common import (build_info, build, http_json, log, start_java, stop, wait_for_quiet_machine, wait_port,
                    write_result)
from load import parse_wrk, wrk

API, RELAY, STATS = 17170, 17171, 17172
EDGE, BACKEND = 18580, 18581
API_KEY = "retention-key-0001"
# What one slow request leaves when nothing was overwritten: the edge's five DEBUG lines, its
# server and client spans and exchanges, and the backend's server span and exchange.
EXPECTED_EDGE_LOGS = 5
EXPECTED_SPANS = {("edge", "server"), ("edge", "client"), ("backend", "server")}
EXPECTED_MESSAGES = {("edge", "inbound"), ("edge", "outbound"), ("backend", "inbound")}


def start(args, buffer, tmp):
    jvm = args.jvm_flags.split()
    db = os.path.join(tmp, "retention-%d.db" % time.time_ns())
    collector = start_java(["collector", "--port", str(API), "--relay-port", str(RELAY), "--stats-port", str(STATS),
                            "--db", db, "--api-key", API_KEY], jvm, logfile=os.path.join(tmp, "collector.log"))
    wait_port(STATS, collector)
    env = {"MINTARO_COLLECTOR": "http://127.0.0.1:%d" % RELAY, "MINTARO_API_KEY": API_KEY,
           "MINTARO_BUFFER_SIZE": buffer}
    backend = start_java(["service", "--role", "backend", "--mode", "mintaro", "--port", str(BACKEND),
                          "--error-every", str(args.error_every)], jvm,
                         env=dict(env, MINTARO_SERVICE="backend"), logfile=os.path.join(tmp, "backend.log"))
    edge = start_java(["service", "--role", "edge", "--mode", "mintaro", "--port", str(EDGE),
                       "--backend", "http://127.0.0.1:%d/price" % BACKEND], jvm,
                      env=dict(env, MINTARO_SERVICE="edge"), logfile=os.path.join(tmp, "edge.log"))
    wait_port(BACKEND, backend)
    wait_port(EDGE, edge)
    return [edge, backend, collector]


def slow_request(trace_id, delay_ms):
    """One request of the same kind as the load's, which the edge holds delay_ms after the backend answered."""
    req = urllib.request.Request("http://127.0.0.1:%d/api/item?id=42&delay-ms=%d" % (EDGE, delay_ms),
                                 headers={"traceparent": "00-%s-%s-01" % (trace_id, secrets.token_hex(8))})
    with urllib.request.urlopen(req, timeout=delay_ms / 1000 + 30) as r:
        r.read()


def completeness(trace_id):
    """What of the slow request's story the collector holds; None when it has no such trace."""
    try:
        t = http_json("http://127.0.0.1:%d/api/traces/%s" % (API, trace_id),
                      headers={"Authorization": "Bearer " + API_KEY})
    except Exception:  # noqa: 404, the trace was never stored
        return None
    spans = {(s["service"], s["kind"]) for s in t["spans"] if s["status"] != "started"}
    messages = {(m["service"], m["direction"]) for m in t["messages"]}
    edge_logs = sum(1 for x in t["logs"] if x["service"] == "edge")
    return {"complete": EXPECTED_SPANS <= spans and EXPECTED_MESSAGES <= messages and edge_logs >= EXPECTED_EDGE_LOGS,
            "edge_logs": edge_logs, "missing_spans": sorted(map(list, EXPECTED_SPANS - spans)),
            "missing_messages": sorted(map(list, EXPECTED_MESSAGES - messages))}


def run_one(args, buffer, think_ms, tmp):
    procs = start(args, buffer, tmp)
    try:
        cfg = {"edge_port": EDGE}
        args.think_script = None
        if think_ms > 0:
            args.think_script = os.path.join(tmp, "think-%d.lua" % think_ms)
            with open(args.think_script, "w") as f:
                f.write("function delay()\n  return %d\nend\n" % think_ms)
        log("buffer %s, think %d ms: warm-up %d s" % (buffer, think_ms, args.warmup))
        wrk(cfg, args, args.warmup, think=True)
        traces, history = [], []
        sent = []

        def drive():
            time.sleep(3)
            for i in range(args.slow):
                tid = secrets.token_hex(16)
                traces.append(tid)
                t = threading.Thread(target=slow_request, args=(tid, args.delay_ms), daemon=True)
                t.start()
                sent.append(t)
                time.sleep(args.slow_every)
        driver = threading.Thread(target=drive, daemon=True)

        def sample():
            while driver.is_alive():
                time.sleep(2)
                try:
                    history.append(http_json("http://127.0.0.1:%d/_stats" % EDGE))
                except Exception:  # noqa
                    pass
        sampler = threading.Thread(target=sample, daemon=True)
        before = http_json("http://127.0.0.1:%d/_stats" % EDGE)
        driver.start()
        sampler.start()
        t0 = time.time()
        out = wrk(cfg, args, args.duration, think=True)
        wall = time.time() - t0
        driver.join()
        for t in sent:
            t.join()
        after = http_json("http://127.0.0.1:%d/_stats" % EDGE)
        sampler.join()
        time.sleep(args.settle)
        r = parse_wrk(out)
        results = {tid: completeness(tid) for tid in traces}
        complete = sum(1 for c in results.values() if c and c["complete"])
        bytes_per_request = (after["bytesRecorded"] - before["bytesRecorded"]) / max(1, r["requests"])
        hist = sorted(h["historyMillis"] for h in history) or [0]
        row = {"buffer": buffer, "think_ms": think_ms, "rps": r["rps"], "requests": r["requests"], "wall_s": wall,
               "edge_bytes_recorded_per_request": bytes_per_request,
               "edge_history_ms_median": hist[len(hist) // 2], "edge_history_ms_min": hist[0],
               "slow_sent": len(traces), "slow_stored": sum(1 for c in results.values() if c),
               "slow_complete": complete, "slow_complete_fraction": complete / max(1, len(traces)),
               "traces": results, "edge_stats_after": after}
        log("buffer %s, %.0f req/s: %.0f B recorded per request at the edge, history %d ms (min %d), "
            "slow traces complete %d/%d" % (buffer, r["rps"], bytes_per_request, row["edge_history_ms_median"],
                                            row["edge_history_ms_min"], complete, len(traces)))
        return row
    finally:
        stop(procs)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--buffers", default="32m,64m,128m", help="MINTARO_BUFFER_SIZE values to try")
    ap.add_argument("--think-ms", default="25,5,0",
                    help="pauses of each wrk connection before every request, ms (25: ~1k/s, 5: ~5k/s, 0: saturation)")
    ap.add_argument("--duration", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--settle", type=int, default=10, help="pause before reading the traces, seconds")
    ap.add_argument("--slow", type=int, default=15, help="slow requests per run")
    ap.add_argument("--slow-every", type=float, default=1.5, help="seconds between slow requests")
    ap.add_argument("--delay-ms", type=int, default=2500,
                    help="how long the edge holds a slow request: above the default 2 s slow threshold")
    ap.add_argument("--error-every", type=int, default=100)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--jvm-flags", default="-Xms512m -Xmx512m -XX:+UseG1GC")
    ap.add_argument("--build", action="store_true")
    ap.add_argument("--no-wait", action="store_true")
    args = ap.parse_args()
    build(args.build)
    tmp = tempfile.mkdtemp(prefix="mintaro-retention-")
    rows = []
    for buffer in args.buffers.split(","):
        for think in [int(t) for t in args.think_ms.split(",")]:
            if not args.no_wait:
                wait_for_quiet_machine(1800)
            rows.append(run_one(args, buffer, think, tmp))
    result = {"benchmark": "retention", "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "build": build_info(), "settings": {k: v for k, v in vars(args).items() if k != "think_script"},
              "rows": rows}
    path = write_result("retention", result)
    print()
    print("| MINTARO_BUFFER_SIZE | req/s | edge bytes recorded/req | edge history ms (median, min) | slow traces complete |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        print("| %s | %.0f | %.0f | %d, %d | %d/%d |" % (r["buffer"], r["rps"], r["edge_bytes_recorded_per_request"],
                                                        r["edge_history_ms_median"], r["edge_history_ms_min"],
                                                        r["slow_complete"], r["slow_sent"]))
    print("results: %s" % os.path.relpath(path, os.path.join(os.path.dirname(__file__), "..", "..")))


if __name__ == "__main__":
    main()
