#!/usr/bin/env bash
# Adds up the Surefire and Failsafe reports into one closing line; given a file, only the reports
# written after it (this run's, not those a skipped module left from an earlier build).
newer=()
[ -n "${1:-}" ] && newer=(-newer "$1")
cd "$(dirname "$0")/.."
find . -path '*/target/*-reports/TEST-*.xml' "${newer[@]}" -print0 2>/dev/null \
  | xargs -0 -r grep -h -o '<testsuite [^>]*>' \
  | awk '
      function attr(name,   m) { return match($0, name "=\"[0-9]+\"") ? substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 3) + 0 : 0 }
      { tests += attr("tests"); failed += attr("failures") + attr("errors"); skipped += attr("skipped") }
      END { printf "tests: %d passed, %d failed, %d skipped\n", tests - failed - skipped, failed, skipped }'
