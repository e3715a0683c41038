#!/usr/bin/env bash
# ut1-feed-check.sh - the list checks over the whole UT1 feed in the shared data folder (counts
# against CATEGORIES.tsv, known members, url entries, expressions, sampled look-alikes, the sample
# policy with the feed installed). The unit tests make the same checks over a trimmed fixture, so
# they pass on a fresh clone; run this when the feed or the list reader changes.
#
# Builds nothing: expects benchmarks/target/benchmarks.jar (./mvnw -q -DskipTests package).
# Exit status 0 when every check passed, 1 naming the failures.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
SHARED="${SCHOOLGATE_SHARED_DIR:-$ROOT/../shared}"
JAR="$HERE/target/benchmarks.jar"

if [ ! -f "$JAR" ]; then
  echo "ut1-feed-check.sh: $JAR is missing (build it first: ./mvnw -q -DskipTests package)" >&2
  exit 1
fi
if [ ! -d "$SHARED/data/ut1/blacklists" ]; then
  echo "ut1-feed-check.sh: $SHARED/data/ut1/blacklists is missing (expected: the shared data folder beside the project, or SCHOOLGATE_SHARED_DIR)" >&2
  exit 1
fi
exec java -Xmx1g -Dschoolgate.shared.dir="$SHARED" -cp "$JAR" org.schoolgate.bench.Ut1FeedCheck
