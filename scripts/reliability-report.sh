#!/usr/bin/env bash
# Runs the reliability tests and prints what was tried, per category.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
IDMF_RELIABILITY_LOG="$log" .venv/bin/python -m pytest tests/test_reliability.py -q -p no:randomly -p no:xdist >/tmp/idmf-reliability.out 2>&1 && status=passing || status=FAILING
printf '%-45s %6s\n' "category" "cases"
sort "$log" | uniq -c | awk '{n=$1; $1=""; sub(/^ /,""); printf "%-45s %6d\n", $0, n}'
printf '%-45s %6d\n' "total" "$(wc -l < "$log")"
echo "result: all $status ($(tail -1 /tmp/idmf-reliability.out))"
rm -f "$log"
[ "$status" = passing ]
