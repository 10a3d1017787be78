#!/usr/bin/env bash
# Issue 18 in a real terminal: two failed sends in a row (the fake WAHA failing) trip the
# breaker; the dashboard and the WhatsApp pane say why; R resumes; `wa resume` agrees; a
# reply BERHENTI from WAHA shows in the replies tab.
source "$(dirname "$0")/lib.sh"
e2e_setup
source "$(dirname "$0")/wa_lib.sh"
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"
fake_waha_start --working default
use_fake_waha
admin_set wa.breaker_failures 2
admin_set wa.webhook_token tok-e2e
curl -fsS "$FAKE_URL/__fake/fail?n=10" >/dev/null || fail "fake fail"
for _ in 1 2; do
  FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin wa send PLG-000003 --text "Halo {name}" >/dev/null 2>&1
done
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT pause_reason FROM wa_sessions WHERE paused_at IS NOT NULL")" "failures:2"

# A reply from Rudi through the real webhook route.
PORT=$(( 20000 + RANDOM % 20000 ))
"$FN_BIN" --db "$FIBERNODE_DB" serve --port "$PORT" 2>/dev/null &
SPID=$!
trap 'kill "$FAKE_PID" "$SPID" 2>/dev/null; e2e_cleanup' EXIT
for _ in $(seq 1 100); do curl -s "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
BODY='{"event":"message","session":"default","payload":{"id":"false_6281333444555@c.us_E2E1","timestamp":'"$(date +%s)"',"from":"6281333444555@c.us","fromMe":false,"body":"BERHENTI"}}'
assert_eq "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary "$BODY" "http://127.0.0.1:$PORT/webhooks/waha?token=tok-e2e")" "200"
kill "$SPID"; wait "$SPID" 2>/dev/null

tui_start a --db "$FIBERNODE_DB"
wait_for a "Nama pengguna"
tui_type a superadmin; tui_keys a Enter; tui_type a 'Admin123!'; tui_keys a Enter
wait_for a "Antrean FiberNode Pusat dijeda: 2 pengiriman terakhir gagal"     # dashboard
tui_keys a 5
wait_for a "dijeda: 2 pengiriman terakhir gagal"
wait_for a "1 pelanggan berhenti (BERHENTI)"
tui_keys a v; tui_keys a v; tui_keys a v
wait_for a "‹Balasan›"
wait_for a "BERHENTI"
tui_keys a R
wait_for a "Antrean FiberNode Pusat dilanjutkan"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT count(*) FROM wa_sessions WHERE paused_at IS NOT NULL")" "0"
out=$(FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin wa resume) || fail "wa resume"
assert_contains "$out" "tidak sedang dijeda"
e2e_done
