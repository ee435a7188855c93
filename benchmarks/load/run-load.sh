#!/usr/bin/env bash
# End-to-end load benchmark: one command.
#
#   benchmarks/load/run-load.sh [--duration 30] [--warmup 120] [--rounds 1] [--connections 32] [--build] [--no-wait]
#
# Builds mintaro-loadtest if its jar is missing (--build forces it), then for each configuration
# (none = uninstrumented, mintaro, otel) starts the sink JVM (Mintaro collector behind a counting
# TCP relay, or the OTLP byte-counting receiver behind the same relay), the backend JVM and the
# edge JVM (same JVM flags and heap), runs a wrk warm-up, then the measured
# `wrk -t2 -c32 -d30s --latency` against http://127.0.0.1:18080/api/item, samples
# /proc/<pid>/stat of the two service JVMs, stops everything, and goes on to the next.
# Waits (polling every 30 s) while another JMH run (benchmarks.jar) is using the machine.
# Writes benchmarks/results/load-<timestamp>.json and prints the table and ratios.
# Uses loopback ports 17070-17072, 17080-17081, 18080-18081.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 benchmarks/load/load.py "$@"
