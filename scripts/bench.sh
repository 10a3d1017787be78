#!/usr/bin/env bash
# `make bench` (size l: 20 mitra, 50,000 customers, ~1.2 M invoices) and `make bench-ci` (size s).
# Prints one table: in-process figures from fibernode-bench, then start-up in a real terminal
# (tmux, process spawn → first frame, from the FIBERNODE_TRACE file) and idle CPU.
set -euo pipefail
SIZE=${1:-l}
REPS=${REPS:-15}
cd "$(dirname "$0")/.."
BUILD=${BUILD:-release}
# BUILD_PATH: the SwiftPM scratch path (`swift build --scratch-path X`); .build by default.
BUILD_PATH=${BUILD_PATH:-.build}
BIN=$PWD/$BUILD_PATH/$BUILD/fibernode
BENCH=$PWD/$BUILD_PATH/$BUILD/fibernode-bench
mkdir -p bench-data
# Every run's table is also kept in bench-data/results-SIZE.md: scripts/growth.sh builds the
# growth table of BENCHMARKS.md from those of s, m, l and xl.
OUT=${OUT:-bench-data/results-$SIZE$([ "$BUILD" = release ] || echo "-$BUILD").md}
exec > >(tee "$OUT") 2>&1
DB=$PWD/bench-data/$SIZE.db
[ "$BUILD" = release ] || DB=$PWD/bench-data/$SIZE-$BUILD.db
if [ ! -f "$DB" ]; then
  echo "generating $SIZE data set (once; reused afterwards)…"
  "$BENCH" generate --out "$DB" --size "$SIZE" --seed 1
fi
echo "build: $BUILD; machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(date -u +%F)"
# INTERACTIVE_ONLY=1: the rows that depend on the data set's size only (growth runs at m, xl).
"$BENCH" run --db "$DB" --size "$SIZE" --reps "$REPS" ${INTERACTIVE_ONLY:+--interactive-only}

# Start-up in tmux: spawn → first frame flushed. Every step (and every start-up run) has a
# tmux socket of its own: a new server on the name of one just killed could meet it still
# exiting ("server exited unexpectedly").
times=()
for i in $(seq 1 10); do
  SOCK="fn-bench-$$-start-$i"
  T=$(mktemp)
  rm -f "$T"
  t0=$(date +%s%3N)
  tmux -L "$SOCK" new-session -d -x 80 -y 24 "FIBERNODE_TRACE=$T $BIN --no-splash --db $DB"
  for _ in $(seq 1 400); do
    if [ -s "$T" ] && grep -q '^frame' "$T"; then break; fi
    sleep 0.005
  done
  t1=$(awk -F'\t' '/^frame/ { printf "%.0f", $3; exit }' "$T")
  tmux -L "$SOCK" kill-server 2>/dev/null || true
  rm -f "$T"
  [ -n "$t1" ] && times+=($((t1 - t0)))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(echo "$sorted" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
p95=$(echo "$sorted" | awk '{a[NR]=$1} END {i=int(NR*0.95+0.5); if (i<1) i=1; print a[i]}')
echo "| process start → login screen (tmux 80x24) | $SIZE | $median | $p95 |  |  | ${#times[@]} runs |"

# Keystroke latency in a real terminal: tmux drives a logged-in session; the app writes one
# trace line per handled key (key read → frame flushed), summarised here per pane.
T=$(mktemp); rm -f "$T"
SOCK="fn-bench-$$-keys"
tmux -L "$SOCK" new-session -d -x 80 -y 24 "FIBERNODE_TRACE=$T $BIN --no-splash --db $DB"
wait_screen() { for _ in $(seq 1 400); do tmux -L "$SOCK" capture-pane -p | grep -qF -- "$1" && return 0; sleep 0.025; done; return 1; }
keys() { tmux -L "$SOCK" send-keys "$@"; sleep 0.08; }
if wait_screen "Nama pengguna"; then
  tmux -L "$SOCK" send-keys -l superadmin; keys Enter; tmux -L "$SOCK" send-keys -l 'Admin123!'; keys Enter
  wait_screen "1 Dasbor" || true
  keys 2; wait_screen "PLG-" || true
  for _ in 1 2 3 4 5 6; do keys NPage; done
  keys /
  for w in budi sari melati kus; do for c in $(echo $w | grep -o .); do keys "$c"; done; for _ in $(seq ${#w}); do keys BSpace; done; done
  keys Escape; keys 3; for _ in 1 2 3 4; do keys f; done; for _ in 1 2 3; do keys NPage; done
  keys 4; for k in y w u b m; do keys "$k"; done
  keys 1; for _ in 1 2 3 4; do keys '['; done
  sleep 0.3
  # Resident memory of the app itself after browsing every pane (issue 17: < 100 MB at xl).
  KPID=$(pgrep -f -- "^$BIN --no-splash --db $DB" | head -1 || true)
  [ -n "$KPID" ] && RSS_KB=$(awk '/^VmRSS:/ {print $2}' "/proc/$KPID/status" 2>/dev/null || true)
fi
tmux -L "$SOCK" kill-server 2>/dev/null || true
# The app of this step may take a moment to exit after its terminal is gone (closing a large
# file); the idle step below must not find it instead of its own (it did at xl).
for _ in $(seq 1 400); do pgrep -f -- "^$BIN --no-splash --db $DB" >/dev/null || break; sleep 0.025; done
[ -n "${RSS_KB:-}" ] && echo "| resident memory of the app after browsing (tmux) | $SIZE | $(awk -v k="$RSS_KB" 'BEGIN {printf "%.1f", k / 1024}') |  |  |  | MB, not ms |"
awk -F'\t' -v size="$SIZE" '$1 == "key" && $3 != "login" { n[$3]++; v[$3, n[$3]] = $4 }
  END {
    for (p in n) {
      m = n[p]; for (i = 1; i <= m; i++) a[i] = v[p, i]
      for (i = 2; i <= m; i++) { x = a[i]; j = i - 1; while (j > 0 && a[j] > x) { a[j + 1] = a[j]; j-- } a[j + 1] = x }
      med = a[int((m + 1) / 2)]; k = int(m * 0.95 + 0.5); if (k < 1) k = 1; if (k > m) k = m
      printf "| keystroke → frame flushed, pane %s (tmux 80x24, FIBERNODE_TRACE) | %s | %.1f | %.1f |  |  | %d keys |\n", p, size, med, a[k], m
    }
  }' "$T" | sort
rm -f "$T"

# Idle CPU at the login screen over 10 seconds.
SOCK="fn-bench-$$-idle"
tmux -L "$SOCK" new-session -d -x 80 -y 24 "$BIN --no-splash --db $DB"
# the app itself, not the tmux server whose command line holds the same words
PID=""
for _ in $(seq 1 200); do
  PID=$(pgrep -f -- "^$BIN --no-splash --db $DB" | head -1 || true)
  [ -n "$PID" ] && break
  sleep 0.025
done
[ -n "$PID" ] || { echo "bench: the idle-CPU step found no fibernode process" >&2; exit 1; }
sleep 1
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
a=$(ticks); sleep 10; b=$(ticks)
hz=$(getconf CLK_TCK)
echo "| idle CPU at the login screen (10 s) | $SIZE | $(awk -v d=$((b - a)) -v hz="$hz" 'BEGIN {printf "%.2f%%", d / hz / 10 * 100}') |  |  |  | |"
tmux -L "$SOCK" kill-server 2>/dev/null || true
