#!/usr/bin/env bash
# End-to-end load benchmark: one command.
#
#   benchmarks/load/run-load.sh [--rounds 5] [--duration 20] [--warmup 120] [--connections 32] [--build] [--no-wait]
#
# Builds mintaro-loadtest if its jar is missing (--build forces it), then starts every
# configuration at once, each on its own ports: none (uninstrumented), mintaro (with its collector
# behind a counting TCP relay) and otel (with the OTLP byte-counting receiver behind the same
# relay); every service JVM gets the same flags and heap. Each configuration is warmed up with wrk
# in turn; then each round measures every configuration back to back (a 3 s unmeasured pre-roll,
# the measured `wrk -t2 -c32 -d20s --latency`, a 5 s settle), starting with a different one each
# round, and samples /proc/<pid>/stat of the services and the sink. Throughput losses are paired
# per round, because this machine's speed drifts by 10-20% over minutes. Only the measured
# configuration gets traffic; the others sit idle.
# With --think-ms N every wrk connection pauses N ms before each measured request, so all
# configurations run at about the same rate below saturation; compare their CPU per request then.
# With --baseline-rev REV a fourth configuration, mintaro_before, runs Mintaro built from git
# revision REV (its own collector too), so a change is measured in the same rounds as its baseline:
#   benchmarks/load/run-load.sh --configs none,mintaro --baseline-rev 90d8e67
# The configuration mintaro_local (--configs none,mintaro,mintaro_local) records exactly as
# mintaro does but has no collector, which separates recording from collecting.
# Waits (polling every 30 s) while another JMH run (benchmarks.jar) is using the machine.
# Writes benchmarks/results/load-<timestamp>.json and prints the table and ratios.
# Uses loopback ports 17070-17072, 17080-17081, 17090-17092, 18080-18081, 18180-18181, 18280-18281,
# 18380-18381, 18480-18481.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 benchmarks/load/load.py "$@"
