#!/usr/bin/env bash
# Helpers for end-to-end tests: the real binary in a real terminal (tmux on a private
# socket), driven with send-keys and read with capture-pane. Waits poll the screen; no
# test relies on a fixed sleep.
set -u

FN_BIN=${FN_BIN:?FN_BIN must point at the fibernode binary}
case "$FN_BIN" in /*) ;; *) FN_BIN="$PWD/$FN_BIN" ;; esac
E2E_W=${E2E_W:-100}
E2E_H=${E2E_H:-30}

e2e_setup() {
  E2E_TMP=$(mktemp -d)
  E2E_SOCK="fn-e2e-$$-$RANDOM"
  export FIBERNODE_DB="$E2E_TMP/fibernode.db"
  export XDG_STATE_HOME="$E2E_TMP/state"
  export XDG_DATA_HOME="$E2E_TMP/data"
  export TERM=xterm-256color
  export LANG=C.UTF-8 LC_ALL=C.UTF-8
  unset NO_COLOR FIBERNODE_PASSWORD
  trap e2e_cleanup EXIT
}

e2e_cleanup() {
  tmux -L "$E2E_SOCK" kill-server >/dev/null 2>&1 || true
  rm -rf "$E2E_TMP"
}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# tui_start NAME [args...]: runs the binary (without splash) in a new tmux session.
tui_start() {
  local name=$1; shift
  tmux -L "$E2E_SOCK" new-session -d -s "$name" -x "$E2E_W" -y "$E2E_H" \
    -e "FIBERNODE_DB=$FIBERNODE_DB" -e "XDG_STATE_HOME=$XDG_STATE_HOME" -e "LANG=C.UTF-8" -e "LC_ALL=C.UTF-8" \
    "$FN_BIN" --no-splash "$@" || fail "tmux could not start $name"
  tmux -L "$E2E_SOCK" set-option -t "$name" remain-on-exit on >/dev/null
}

# tui_shell NAME: a bash shell in a new session (for tests that need the terminal after exit).
tui_shell() {
  local name=$1
  tmux -L "$E2E_SOCK" new-session -d -s "$name" -x "$E2E_W" -y "$E2E_H" \
    -e "LANG=C.UTF-8" -e "LC_ALL=C.UTF-8" "bash --norc --noprofile" || fail "tmux could not start $name"
}

tui_keys() { local name=$1; shift; tmux -L "$E2E_SOCK" send-keys -t "$name" "$@"; }
tui_type() { tmux -L "$E2E_SOCK" send-keys -t "$1" -l -- "$2"; }
screen() { tmux -L "$E2E_SOCK" capture-pane -p -t "$1"; }

# wait_for NAME TEXT [timeout seconds]: polls the screen until TEXT appears.
wait_for() {
  local name=$1 text=$2 timeout=${3:-10}
  local deadline=$((SECONDS + timeout))
  while [ $SECONDS -le $deadline ]; do
    if screen "$name" | grep -qF -- "$text"; then return 0; fi
    sleep 0.05
  done
  echo "--- screen of $name ---" >&2; screen "$name" >&2
  fail "timed out waiting for '$text' on $name"
}

# wait_gone NAME TEXT [timeout]: polls until TEXT is no longer on the screen.
wait_gone() {
  local name=$1 text=$2 timeout=${3:-10}
  local deadline=$((SECONDS + timeout))
  while [ $SECONDS -le $deadline ]; do
    if ! screen "$name" | grep -qF -- "$text"; then return 0; fi
    sleep 0.05
  done
  echo "--- screen of $name ---" >&2; screen "$name" >&2
  fail "timed out waiting for '$text' to go on $name"
}

# wait_exit NAME: the program in the session has exited (remain-on-exit keeps the pane).
wait_exit() {
  local name=$1 deadline=$((SECONDS + 10))
  while [ $SECONDS -le $deadline ]; do
    if [ "$(tmux -L "$E2E_SOCK" display-message -p -t "$name" '#{pane_dead}' 2>/dev/null)" = "1" ]; then
      E2E_EXIT=$(tmux -L "$E2E_SOCK" display-message -p -t "$name" '#{pane_dead_status}')
      return 0
    fi
    sleep 0.05
  done
  fail "$name did not exit"
}

wait_pid_gone() {
  local pid=$1 deadline=$((SECONDS + 10))
  while [ $SECONDS -le $deadline ]; do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.05
  done
  fail "process $pid still running"
}

wait_file() {
  local f=$1 deadline=$((SECONDS + 10))
  while [ $SECONDS -le $deadline ]; do
    [ -s "$f" ] && return 0
    sleep 0.05
  done
  fail "file $f never appeared"
}

# Lets the app handle queued keys: waits until two captures in a row are identical.
settle() {
  local name=$1 prev="" cur
  for _ in $(seq 1 40); do
    cur=$(screen "$name")
    [ "$cur" = "$prev" ] && return 0
    prev=$cur
    sleep 0.05
  done
}

assert_eq() { [ "$1" = "$2" ] || fail "expected '$2', got '$1'"; }
assert_contains() { printf '%s' "$1" | grep -qF -- "$2" || { printf '%s\n' "$1" >&2; fail "expected to contain '$2'"; }; }
assert_not_contains() { if printf '%s' "$1" | grep -qF -- "$2"; then printf '%s\n' "$1" >&2; fail "expected not to contain '$2'"; fi; }

e2e_done() { echo "ok"; }
