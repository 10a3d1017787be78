#!/usr/bin/env bash
# `make bench` (size l: 20 mitra, 50,000 customers, ~1.2 M invoices) and `make bench-ci` (size s).
# Prints one table: in-process figures from fibernode-bench, then start-up in a real terminal
# (tmux, process spawn → first frame, from the FIBERNODE_TRACE file) and idle CPU.
set -euo pipefail
SIZE=${1:-l}
REPS=${REPS:-15}
cd "$(dirname "$0")/.."
BIN=$PWD/.build/release/fibernode
BENCH=$PWD/.build/release/fibernode-bench
mkdir -p bench-data
DB=$PWD/bench-data/$SIZE.db
if [ ! -f "$DB" ]; then
  echo "generating $SIZE data set (once; reused afterwards)…"
  "$BENCH" generate --out "$DB" --size "$SIZE" --seed 1
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(date -u +%F)"
"$BENCH" run --db "$DB" --size "$SIZE" --reps "$REPS"

# Start-up in tmux: spawn → first frame flushed.
SOCK="fn-bench-$$"
times=()
for i in $(seq 1 10); do
  T=$(mktemp)
  rm -f "$T"
  t0=$(date +%s%3N)
  tmux -L "$SOCK" new-session -d -x 80 -y 24 "FIBERNODE_TRACE=$T $BIN --no-splash --db $DB"
  for _ in $(seq 1 400); do
    if [ -s "$T" ] && grep -q '^frame' "$T"; then break; fi
    sleep 0.005
  done
  t1=$(awk -F'\t' '/^frame/ { printf "%d", $3; exit }' "$T")
  tmux -L "$SOCK" kill-server 2>/dev/null || true
  rm -f "$T"
  [ -n "$t1" ] && times+=($((t1 - t0)))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(echo "$sorted" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
p95=$(echo "$sorted" | awk '{a[NR]=$1} END {i=int(NR*0.95+0.5); if (i<1) i=1; print a[i]}')
echo "| process start → login screen (tmux 80x24) | $SIZE | $median | $p95 |  |  | ${#times[@]} runs |"

# Idle CPU at the login screen over 10 seconds.
tmux -L "$SOCK" new-session -d -x 80 -y 24 "$BIN --no-splash --db $DB"
sleep 1
PID=$(pgrep -f -- "--no-splash --db $DB" | head -1)
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
a=$(ticks); sleep 10; b=$(ticks)
hz=$(getconf CLK_TCK)
echo "| idle CPU at the login screen (10 s) | $SIZE | $(awk -v d=$((b - a)) -v hz="$hz" 'BEGIN {printf "%.2f%%", d / hz / 10 * 100}') |  |  |  | |"
tmux -L "$SOCK" kill-server 2>/dev/null || true
