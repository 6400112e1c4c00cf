#!/usr/bin/env bash
# Drive the real `idmf wizard` in tmux: answer a few questions, close the
# terminal without quitting, reopen, and check the answers survived.
# Usage: scripts/tmux-smoke.sh   (prints what it saw; exit 0 when all is well)
set -euo pipefail
cd "$(dirname "$0")/.."
IDMF=${IDMF:-.venv/bin/idmf}
work=$(mktemp -d)
trap 'tmux kill-session -t idmf-smoke 2>/dev/null || true; rm -rf "$work"' EXIT
file=$("$IDMF" new --title "tmux smoke test" --dir "$work")
screen() { tmux capture-pane -p -t idmf-smoke; }
wait_for() {  # wait until the screen shows $1 (max 30 s), then give the input box time to take focus
  for _ in $(seq 1 120); do
    if screen | grep -qF "$1"; then sleep 1; return 0; fi
    sleep 0.25
  done
  echo "never saw: $1"; screen; exit 1
}
tmux new-session -d -s idmf-smoke -x 100 -y 32 "$IDMF wizard '$file'"
wait_for "Who is responsible for this assessment?"
echo "1. first question on screen: 'Who is responsible for this assessment?'"
tmux send-keys -t idmf-smoke "Priya Shah" Enter
wait_for "Which organisation is making the decision?"
tmux send-keys -t idmf-smoke "Northfield ICB" Enter
wait_for "Which service area does it sit in?"
tmux send-keys -t idmf-smoke "Primary care" Enter
wait_for "What kind of decision is it?"
echo "2. answered three questions; the screen now asks: 'What kind of decision is it?'"
screen | sed 's/^/   | /' | head -12
tmux kill-session -t idmf-smoke   # close the terminal: no quit, no goodbye
echo "3. closed the terminal without quitting"
grep -q "person_responsible: Priya Shah" "$file" && grep -q "organisation: Northfield ICB" "$file" \
  && grep -q "service_area: Primary care" "$file" || { echo "answers lost"; cat "$file"; exit 1; }
echo "4. all three answers are in $file"
tmux new-session -d -s idmf-smoke -x 100 -y 32 "$IDMF wizard '$file'"
wait_for "What kind of decision is it?"
echo "5. reopened: it resumes at 'What kind of decision is it?'"
tmux send-keys -t idmf-smoke C-q
sleep 1
shown=$("$IDMF" show "$file"); grep -q "Priya Shah" <<<"$shown"
echo "tmux smoke: OK"
