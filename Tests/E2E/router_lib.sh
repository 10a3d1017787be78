#!/usr/bin/env bash
# Helpers for the router end-to-end tests: the fake RouterOS as a process
# (`fibernode-bench fake-router`), its tables written to a file after every request.
BENCH_BIN=${BENCH_BIN:-$(dirname "$FN_BIN")/fibernode-bench}
[ -x "$BENCH_BIN" ] || fail "no fibernode-bench next to $FN_BIN (needed for the fake router)"

# fake_router_start [--port P] [--proto rest|api] [--secret NAME:PROFILE]...: sets ROUTER_URL_PORT and ROUTER_PID.
fake_router_start() {
  rm -f "$E2E_TMP/router.port"
  "$BENCH_BIN" fake-router --port-file "$E2E_TMP/router.port" --state-file "$E2E_TMP/router.state" "$@" 2>"$E2E_TMP/router.log" &
  ROUTER_PID=$!
  wait_file "$E2E_TMP/router.port"
  ROUTER_PORT=$(cat "$E2E_TMP/router.port")
  trap 'kill "$ROUTER_PID" 2>/dev/null; e2e_cleanup' EXIT
}

fake_router_stop() { kill "$ROUTER_PID" 2>/dev/null; wait_pid_gone "$ROUTER_PID"; }

# router_state_has LINE: waits (bounded) until the fake's table file holds LINE.
router_state_has() {
  local deadline=$((SECONDS + 10))
  while [ $SECONDS -le $deadline ]; do
    grep -qxF -- "$1" "$E2E_TMP/router.state" 2>/dev/null && return 0
    sleep 0.05
  done
  cat "$E2E_TMP/router.state" >&2 2>/dev/null
  fail "the fake router never showed '$1'"
}

router_state_lacks() {
  local deadline=$((SECONDS + 10))
  while [ $SECONDS -le $deadline ]; do
    grep -qxF -- "$1" "$E2E_TMP/router.state" 2>/dev/null || return 0
    sleep 0.05
  done
  fail "the fake router still shows '$1'"
}
