#!/usr/bin/env bash
# Before and after in the same sitting: builds benchmarks.jar from the SDK at BASE (a git revision)
# and from the working tree, both with today's benchmark code, then runs each benchmark with the
# two jars in turn, ROUNDS times, at 1 and 2 threads, with -prof gc. The machine's speed drifts
# over minutes, so only runs made side by side are compared.
#
#   benchmarks/run-ab.sh 90d8e67 'SpanBenchmark.mintaro' 'ExchangeBenchmark' 'RedactorBenchmark'
#   ROUNDS=3 THREADS="1" JMH_OPTS="-f 1 -wi 3 -w 1s -i 8 -r 1s" benchmarks/run-ab.sh ...
#
# Writes benchmarks/results/ab-BASE.json (every run) and prints a table of medians per benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BASE=$1
shift
ROUNDS=${ROUNDS:-2}
THREADS=${THREADS:-"1 2"}
JMH_OPTS=${JMH_OPTS:-"-f 1 -wi 3 -w 1s -i 8 -r 1s"}
WORK=$(mktemp -d)
trap 'git -C "$ROOT" worktree remove --force "$WORK/base" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

git worktree add -q --detach "$WORK/base" "$BASE"
rm -rf "$WORK/base/benchmarks/src"
cp -r benchmarks/src "$WORK/base/benchmarks/src" # today's benchmarks against the old SDK
# package, not install: the local repository keeps the working tree's artifacts
(cd "$WORK/base" && ./mvnw -q -o package -Dmaven.test.skip=true -pl benchmarks -am)
cp "$WORK/base/benchmarks/target/benchmarks.jar" "$WORK/before.jar"
./mvnw -q -o package -Dmaven.test.skip=true -pl benchmarks -am
cp benchmarks/target/benchmarks.jar "$WORK/after.jar"

n=0
for round in $(seq "$ROUNDS"); do
  for bench in "$@"; do
    for t in $THREADS; do
      for side in before after; do
        n=$((n + 1))
        echo ">>> round $round, $bench, $t thread(s), $side"
        java -jar "$WORK/$side.jar" "$bench" $JMH_OPTS -t "$t" -prof gc -rf json -rff "$WORK/$n-$side.json" \
          | grep -E "^[A-Za-z0-9]+Benchmark\.[A-Za-z0-9]+ " || true
      done
    done
  done
done

python3 - "$WORK" "benchmarks/results/ab-$BASE.json" "$BASE" <<'PY'
import glob, json, os, statistics, sys
work, out, base = sys.argv[1:]
runs = []
for path in sorted(glob.glob(os.path.join(work, "*-*.json"))):
    side = path.rsplit("-", 1)[1][:-5]
    for r in json.load(open(path)):
        gc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {})
        runs.append({"side": side, "benchmark": ".".join(r["benchmark"].split(".")[-2:]),
                     "threads": r["threads"], "score": r["primaryMetric"]["score"],
                     "error": r["primaryMetric"]["scoreError"], "unit": r["primaryMetric"]["scoreUnit"],
                     "bop": gc.get("score")})
json.dump({"base": base, "runs": runs}, open(out, "w"), indent=2)
print(f"\n| benchmark | threads | before ({base}) | after | after / before |")
print("| --- | ---: | --- | --- | ---: |")
for key in sorted({(r["benchmark"], r["threads"]) for r in runs}):
    cell = {}
    for side in ("before", "after"):
        sel = [r for r in runs if (r["benchmark"], r["threads"]) == key and r["side"] == side]
        cell[side] = (statistics.median(r["score"] for r in sel), sel[0]["unit"],
                      statistics.median(r["bop"] for r in sel), [round(r["score"]) for r in sel])
    b, a = cell["before"], cell["after"]
    print(f"| {key[0]} | {key[1]} | {b[0]:.1f} {b[1]} {b[3]}, {b[2]:.0f} B/op | "
          f"{a[0]:.1f} {a[1]} {a[3]}, {a[2]:.0f} B/op | {a[0] / b[0]:.2f} |")
PY
