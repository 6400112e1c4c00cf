#!/usr/bin/env bash
# The reliability figures: first the fast reliability tests (what make test runs), counted by
# category; then the full run per class of failure (scripts/reliability.py): >= 2,000 generated
# hostile inputs through every command, >= 200 kill -9s, races over links and hand edits, every
# tampering of a signed approval, and injection into every output format.
# Sizes: IDMF_RELIABILITY_FILES (default 2000), IDMF_RELIABILITY_KILLS (default 200).
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
IDMF_RELIABILITY_LOG="$log" .venv/bin/python -m pytest tests/test_reliability.py tests/test_hostile_inputs.py \
  tests/test_trust_round2.py tests/test_signing_round2.py tests/test_injection_matrix.py \
  -q -p no:randomly -p no:xdist >/tmp/idmf-reliability.out 2>&1 && status=passing || status=FAILING
printf '%-45s %6s\n' "fast tests: category" "cases"
sort "$log" | uniq -c | awk '{n=$1; $1=""; sub(/^ /,""); printf "%-45s %6d\n", $0, n}'
printf '%-45s %6d\n' "total" "$(wc -l < "$log")"
echo "result: all $status ($(tail -1 /tmp/idmf-reliability.out))"
rm -f "$log"
echo
.venv/bin/python scripts/reliability.py && full=passing || full=FAILING
echo "full run: $full"
[ "$status" = passing ] && [ "$full" = passing ]
