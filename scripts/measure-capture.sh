#!/usr/bin/env bash
# Bytes to the collector per 1,000 successful requests and per error trace, and error-to-stored
# latency (median, p99), on loopback.  Usage: scripts/measure-capture.sh [errors] [errors-per-second]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests install
./mvnw -q -B -pl mintaro-it test-compile org.codehaus.mojo:exec-maven-plugin:3.5.1:java \
  -Dexec.mainClass=io.mintaro.it.CaptureMeasurement -Dexec.classpathScope=test \
  -Dexec.args="${1:-250} ${2:-8}"
