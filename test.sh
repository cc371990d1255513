#!/usr/bin/env bash
# The whole test suite: unit tests, in-framework (Pax Exam) tests and system tests against real
# strongSwan gateways in network namespaces. Run as root on Debian: sudo ./test.sh
# (as a normal user the system tests skip, each with a message saying why).
set -uo pipefail
cd "$(dirname "$0")"
if [ "$(id -u)" -eq 0 ]; then
  scripts/install-deps.sh || exit 1
fi
started=$(mktemp)   # the summary counts only the reports this run writes
mvn -B -ntp verify "$@"
status=$?
scripts/test-summary.sh "$started"
rm -f "$started"
exit $status
