#!/usr/bin/env bash
# Builds the benchmarks jar and runs every comparison at 1 and 2 threads with -prof gc, writing
# the raw JMH JSON to benchmarks/results/ and the markdown tables to benchmarks/results/tables.md.
#
#   benchmarks/run-jmh.sh                 # build (offline if possible) and run everything
#   SKIP_BUILD=1 benchmarks/run-jmh.sh    # reuse benchmarks/target/benchmarks.jar
#   JMH_OPTS="-f 1 -wi 5 -w 2s -i 10 -r 2s" benchmarks/run-jmh.sh   # longer runs
#   ONLY="okhttp apache-httpclient jdbc log4j2" SKIP_BUILD=1 benchmarks/run-jmh.sh   # some comparisons
#
# The tables are made from every results/jmh-<comparison>.json there is, fresh or not.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JAR=benchmarks/target/benchmarks.jar
OUT=benchmarks/results
JMH_OPTS=${JMH_OPTS:-"-f 1 -wi 3 -w 1s -i 5 -r 1s"}
# An HTTP call through a loopback server is still getting faster after 3 s: 10 s of warm-up
HTTP_JMH_OPTS=${HTTP_JMH_OPTS:-"-f 1 -wi 10 -w 1s -i 5 -r 1s"}

if [[ -z "${SKIP_BUILD:-}" ]]; then
  ./mvnw -q -o install -Dmaven.test.skip=true -pl benchmarks -am || ./mvnw -q install -Dmaven.test.skip=true -pl benchmarks -am
fi
mkdir -p "$OUT"

run() { # name, benchmark regex[, JMH options instead of JMH_OPTS]
  local name=$1 regex=$2 opts=${3:-$JMH_OPTS}
  if [[ -n "${ONLY:-}" && " $ONLY " != *" $name "* ]]; then
    return
  fi
  for t in 1 2; do
    echo ">>> $name, $t thread(s)"
    java -jar "$JAR" "$regex" $opts -t "$t" -prof gc -rf json -rff "$OUT/jmh-$name-t$t.json"
  done
  # one JSON per comparison: both thread counts
  python3 - "$OUT/jmh-$name-t1.json" "$OUT/jmh-$name-t2.json" "$OUT/jmh-$name.json" <<'PY'
import json, sys
merged = json.load(open(sys.argv[1])) + json.load(open(sys.argv[2]))
json.dump(merged, open(sys.argv[3], "w"), indent=2)
PY
  rm -f "$OUT/jmh-$name-t1.json" "$OUT/jmh-$name-t2.json"
}

run spans 'SpanBenchmark'
run logs 'LogBenchmark|Log4j2AsyncBenchmark'
run exchange 'ExchangeBenchmark'
run redaction 'RedactorBenchmark'
# the integrations, each against OpenTelemetry's and the plain library, in the same run
run okhttp 'OkHttpBenchmark' "$HTTP_JMH_OPTS"
run apache-httpclient 'ApacheHttpClientBenchmark' "$HTTP_JMH_OPTS"
run jdbc 'JdbcBenchmark'
run log4j2 'Log4j2Benchmark'

results=()
for name in spans logs exchange redaction okhttp apache-httpclient jdbc log4j2; do
  if [[ -f "$OUT/jmh-$name.json" ]]; then
    results+=("$OUT/jmh-$name.json")
  fi
done
python3 benchmarks/jmh-tables.py "${results[@]}" | tee "$OUT/tables.md"
