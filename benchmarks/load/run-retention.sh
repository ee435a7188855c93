#!/usr/bin/env bash
# Retention at load: is a slow trace still complete when it triggers?
#
#   benchmarks/load/run-retention.sh [--buffers 32m,64m,128m] [--think-ms 25,5,0] [--slow 15] [--build]
#
# For every buffer size and load, starts a collector, the backend and the edge of the load
# benchmark (Mintaro mode, MINTARO_BUFFER_SIZE as given), warms them up with wrk, then runs wrk at
# that load while sending slow requests of the same kind: the edge holds each one --delay-ms
# (2.5 s, above the default 2 s slow threshold) after the backend answered, so its first records
# are that old when the slow trigger fires. Afterwards it reads every slow trace from the
# collector and counts those complete: the edge's five DEBUG lines, its server and client spans
# and exchanges, and the backend's server span and exchange. It also samples the edge's
# MintaroStats (GET /_stats): bytes recorded per request and the ring's history.
# Writes benchmarks/results/retention-<timestamp>.json and prints the table.
# Uses loopback ports 17170-17172 and 18580-18581.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 benchmarks/load/retention.py "$@"
