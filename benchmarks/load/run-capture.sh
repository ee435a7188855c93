#!/usr/bin/env bash
# Completeness and latency of capture under sustained load: one command.
#
#   benchmarks/load/run-capture.sh [--rate 200] [--seconds 60] [--error-every 100] [--build] [--no-wait]
#
# Starts the Mintaro collector in its own JVM (default settings, SQLite, behind a counting TCP
# relay on loopback) and, in a second JVM, the three demo services (frontend -> orders -> payments,
# each with its own SDK and agent) with an open-loop Java load generator: --rate requests/s for
# --seconds after a 5 s warm-up; every 100th request is mode=fail with a known trace id (1% errors,
# deterministic). Then reads each error trace from the collector's API and reports the fraction
# stored complete with the exchanges, spans and logs of all three services, and error-to-stored
# p50/p99 (completedAtMs - triggeredAtMs). Waits while benchmarks.jar (JMH) is running.
# Writes benchmarks/results/capture-<timestamp>.json. Uses loopback ports 17070-17072 and the
# demo's ephemeral ports.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 benchmarks/load/capture.py "$@"
