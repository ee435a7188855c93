#!/usr/bin/env bash
# The collector's ingest at several revisions in one sitting: builds the collector's test classes
# at each REV (a git revision; "." is the working tree) and runs IngestBench (http mode, embedded
# collector on SQLite) with each in turn, ROUNDS times. The machine drifts over minutes, so only
# runs made side by side are compared.
#
#   benchmarks/collector/run-ingest-ab.sh 0640b0f fcaa595 .
#   ROUNDS=3 SECONDS_PER_RUN=10 POSTERS=16 benchmarks/collector/run-ingest-ab.sh ...
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
ROUNDS=${ROUNDS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
POSTERS=${POSTERS:-16}
MODE=${MODE:-http}
WORK=$(mktemp -d)
declare -a DIRS
cleanup() {
  for d in "${DIRS[@]:-}"; do
    [ "$d" != "$ROOT" ] && git -C "$ROOT" worktree remove --force "$d" >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
for rev in "$@"; do
  if [ "$rev" = "." ]; then
    dir=$ROOT
  else
    dir="$WORK/$rev"
    git worktree add -q --detach "$dir" "$rev"
  fi
  DIRS+=("$dir")
  (cd "$dir" && ./mvnw -q -o -B -pl mintaro-collector test-compile)
  (cd "$dir" && ./mvnw -q -o -B -pl mintaro-collector dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$WORK/cp-$(basename "$dir")")
done
for round in $(seq "$ROUNDS"); do
  i=0
  for rev in "$@"; do
    dir=${DIRS[$i]}
    i=$((i + 1))
    cp="$dir/mintaro-collector/target/test-classes:$dir/mintaro-collector/target/classes:$(cat "$WORK/cp-$(basename "$dir")")"
    echo ">>> round $round, $rev"
    java -cp "$cp" io.mintaro.collector.IngestBench "$MODE" "$SECONDS_PER_RUN" "$POSTERS" 2>/dev/null | grep -v '^[0-9][0-9]:' | tail -3
  done
done
