#!/usr/bin/env python3
"""Completeness and latency of capture under sustained load. See run-capture.sh."""
import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from common import ROOT, build_info, RESULTS, build, jmh_running, log, start_java, stop, wait_for_quiet_machine, wait_port, write_result

COLLECTOR, COLLECTOR_RELAY, COLLECTOR_STATS = 17070, 17071, 17072
API_KEY = "capture-key-0001"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rate", type=float, default=200, help="requests per second to the frontend")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--error-every", type=int, default=100, help="every Nth request fails (mode=fail)")
    ap.add_argument("--jvm-flags", default="-Xms512m -Xmx512m -XX:+UseG1GC")
    ap.add_argument("--max-jmh-wait", type=int, default=1800)
    ap.add_argument("--no-wait", action="store_true")
    ap.add_argument("--build", action="store_true")
    args = ap.parse_args()
    build(args.build)
    quiet = True if args.no_wait else wait_for_quiet_machine(args.max_jmh_wait)
    tmp = tempfile.mkdtemp(prefix="mintaro-capture-")
    jvm = args.jvm_flags.split()
    procs = []
    try:
        collector = start_java(["collector", "--port", str(COLLECTOR), "--relay-port", str(COLLECTOR_RELAY),
                                "--stats-port", str(COLLECTOR_STATS), "--db", os.path.join(tmp, "mintaro.db"),
                                "--api-key", API_KEY], jvm, logfile=os.path.join(tmp, "collector.log"))
        procs.append(collector)
        wait_port(COLLECTOR_STATS, collector)
        raw = os.path.join(tmp, "capture.json")
        jmh_before = jmh_running()
        load = start_java(["capture", "--collector", "http://127.0.0.1:%d" % COLLECTOR_RELAY,
                           "--api", "http://127.0.0.1:%d" % COLLECTOR, "--stats", "http://127.0.0.1:%d" % COLLECTOR_STATS,
                           "--api-key", API_KEY, "--rate", str(args.rate), "--seconds", str(args.seconds),
                           "--error-every", str(args.error_every), "--out", raw],
                          jvm, logfile=os.path.join(tmp, "capture.log"))
        procs.append(load)
        jmh_seen = jmh_before
        deadline = time.time() + args.seconds + 180
        while load.poll() is None and time.time() < deadline:
            jmh_seen = jmh_seen or jmh_running()
            time.sleep(2)
        if load.poll() is None:
            raise RuntimeError("capture run did not finish; see %s" % tmp)
        if load.returncode != 0 or not os.path.exists(raw):
            raise RuntimeError("capture run failed (%s); see %s/capture.log" % (load.returncode, tmp))
        with open(raw) as f:
            data = json.load(f)
    finally:
        stop(list(reversed(procs)))
    data["machine_otherwise_idle"] = not jmh_seen
    data["build"] = build_info()
    data["collector"] = "own JVM on loopback, default settings (poll 20 s, answer timeout 3 s, late window 30 s), SQLite"
    data["jvm_flags"] = args.jvm_flags
    data["goals"] = {"complete_100pct": data["completeFraction"] >= 1.0, "p99_le_250ms": 0 <= data["errorToStoredMsP99"] <= 250}
    path = write_result("capture", data)
    print()
    print("| requests | error traces | complete with all 3 services | error-to-stored p50 | p99 | max |")
    print("|---:|---:|---:|---:|---:|---:|")
    print("| %d | %d | %d (%.1f%%) | %d ms | %d ms | %d ms |" % (data["requestsSent"], data["errorTraces"],
          data["completeWithAllThreeServices"], 100 * data["completeFraction"], data["errorToStoredMsP50"],
          data["errorToStoredMsP99"], data["errorToStoredMsMax"]))
    for k, v in data["goals"].items():
        print("goal %-20s %s" % (k, "MET" if v else "MISSED"))
    print("machine otherwise idle: %s" % data["machine_otherwise_idle"])
    print("results: %s" % os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main()
