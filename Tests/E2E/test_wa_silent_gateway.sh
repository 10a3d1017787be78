#!/usr/bin/env bash
# A gateway that accepts the connection and never answers (issue 12, item 5): `wa status`
# waits out its 10 s deadline without spinning a core (< 1 s of CPU over the whole wait),
# says so in the user's language with the timeout, and exits 1. Loopback only, bounded.
# The figures go to BENCHMARKS.md ("HTTP server and client under hostile peers").
source "$(dirname "$0")/lib.sh"
e2e_setup
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"
FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin settings set wa.gateway waha >/dev/null || fail "gateway"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin settings set wa.waha.url "http://127.0.0.1:$PORT" >/dev/null || fail "url"
out=$(FIBERNODE_PASSWORD='Mitra123!' timeout 90 python3 "$(dirname "$0")/silent_gateway.py" "$PORT" -- \
      "$FN_BIN" --db "$FIBERNODE_DB" --user mitra1 wa status) || fail "listener failed: $out"
echo "$out" | sed 's/^/  /'
val() { printf '%s\n' "$out" | sed -n "s/^$1=//p"; }
assert_eq "$(val exit)" "1"
[ "$(val connections)" -ge 1 ] || fail "wa status never reached the listener"
assert_contains "$(val stderr)" "Gateway tidak menjawab dalam 10 detik"
# the whole wait: about the 10 s deadline, and well under 1 s of CPU (libcurl used ~9 s)
awk -v w="$(val wall_s)" 'BEGIN { exit !(w >= 9 && w < 20) }' || fail "wall time $(val wall_s) s is not the 10 s deadline"
awk -v c="$(val cpu_s)" 'BEGIN { exit !(c < 1.0) }' || fail "wa status used $(val cpu_s) s of CPU waiting for a silent gateway"
e2e_done
