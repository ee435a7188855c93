#!/usr/bin/env bash
# Soak benchmark (issue 15): the demo stack under steady load with 2% errors, sampled every minute.
#
#   benchmarks/soak/run-soak.sh [--minutes 30] [--rate 50] [--error-rate 0.02] [--build]
#
# Runs the collector (mintaro-collector.jar, SQLite) and the demo's three services with their
# load generator (mintaro-demo.jar --collector ...) as two JVMs, so each is measured apart. Every
# minute it samples, for each JVM: heap after a full GC (jcmd GC.run, then GC.heap_info), threads
# and file descriptors (/proc), RSS; and for the collector: the SQLite file's size (with its WAL),
# stored traces, and the error-to-stored latency of the traces completed in that minute
# (completedAtMs - triggeredAtMs). Reports each series' growth rate per hour (least squares over
# the samples after the first five minutes), the classes whose live bytes grew most between minute
# 6 and the end (jcmd GC.class_histogram), and writes benchmarks/results/soak-<timestamp>.json.
# Not part of CI. Uses loopback ports 17170 (collector) and 8081-8083 (the demo).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 benchmarks/soak/soak.py "$@"
