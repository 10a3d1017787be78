#!/usr/bin/env bash
# `fibernode serve` under hostile clients (issue 12, item 4), on 127.0.0.1 only: 3 clients
# sending 1 MB header lines and one streaming a 400 MB body, while /healthz must answer
# within 1 s and the server's resident memory stay under 100 MB. Also: 431 for headers
# over 16 KB, 413 for a body over 1 MB before it is sent, the receipt page not frameable.
# The figures go to BENCHMARKS.md ("HTTP server and client under hostile peers").
source "$(dirname "$0")/lib.sh"
e2e_setup
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"

"$FN_BIN" --db "$FIBERNODE_DB" serve --host 127.0.0.1 --port 0 2>"$E2E_TMP/serve.err" &
SERVE_PID=$!
trap 'kill "$SERVE_PID" 2>/dev/null; e2e_cleanup' EXIT
deadline=$((SECONDS + 20))
until grep -q "^fibernode serve: http://127.0.0.1:[0-9]*/healthz" "$E2E_TMP/serve.err"; do
  [ $SECONDS -le $deadline ] || fail "serve did not start: $(cat "$E2E_TMP/serve.err")"
  kill -0 "$SERVE_PID" 2>/dev/null || fail "serve exited: $(cat "$E2E_TMP/serve.err")"
  sleep 0.05
done
PORT=$(sed -n 's#^fibernode serve: http://127.0.0.1:\([0-9]*\)/healthz#\1#p' "$E2E_TMP/serve.err" | head -1)
BASE="http://127.0.0.1:$PORT"

assert_eq "$(curl -sS -m 5 "$BASE/healthz")" "ok"
# headers over 16 KB → 431
big=$(head -c 20000 /dev/zero | tr '\0' a)
assert_eq "$(curl -sS -m 5 -o /dev/null -w '%{http_code}' -H "X-Big: $big" "$BASE/healthz")" "431"
# a declared 2 GB body → 413 at once, nothing of it sent
code=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' -X POST -H 'Content-Length: 2147483648' -H 'Expect:' "$BASE/webhooks/waha?token=x" 2>/dev/null)
assert_eq "$code" "413"
# the receipt page may not be framed
token=$(sqlite3 "$FIBERNODE_DB" "SELECT receipt_token FROM invoices WHERE receipt_token IS NOT NULL LIMIT 1")
if [ -n "$token" ]; then
  headers=$(curl -sS -m 5 -D - -o /dev/null "$BASE/receipt/$token")
  assert_contains "$headers" "X-Frame-Options: DENY"
  assert_contains "$headers" "frame-ancestors 'none'"
fi

out=$(HOSTILE_SECONDS=${HOSTILE_SECONDS:-8} timeout 60 python3 "$(dirname "$0")/serve_hostile.py" "$PORT" "$SERVE_PID") \
  || fail "limits broken under attack: $(echo $out)"
echo "$out" | sed 's/^/  /'
assert_eq "$(curl -sS -m 5 "$BASE/healthz")" "ok"
kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null
e2e_done
