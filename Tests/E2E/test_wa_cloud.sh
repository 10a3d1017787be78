#!/usr/bin/env bash
# Issue 18 end to end, real binaries and real HTTP: the fake Cloud API (Graph) as a process and
# `fibernode serve`. A reminder goes out as the approved template (nobody wrote first); Meta's
# verification handshake; an unsigned delivery status is refused and changes nothing, a signed
# one marks the message delivered; the customer replies BERHENTI and their next reminder is not
# sent while another customer still gets theirs; `wa resume`, `wa replies` answer.
source "$(dirname "$0")/lib.sh"
e2e_setup
source "$(dirname "$0")/wa_lib.sh"
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"

"$BENCH_BIN" fake-graph --port-file "$E2E_TMP/graph.port" --approve tagihan_pengingat:4 2>"$E2E_TMP/graph.log" &
GRAPH_PID=$!
wait_file "$E2E_TMP/graph.port"
GRAPH="http://127.0.0.1:$(cat "$E2E_TMP/graph.port")"
PORT=$(( 20000 + RANDOM % 20000 ))
"$FN_BIN" --db "$FIBERNODE_DB" serve --port "$PORT" 2>/dev/null &
SPID=$!
trap 'kill "$GRAPH_PID" "$SPID" 2>/dev/null; e2e_cleanup' EXIT
for _ in $(seq 1 100); do curl -s "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
HOOK="http://127.0.0.1:$PORT/webhooks/cloud"
SECRET='app-secret-e2e'

admin_set wa.gateway cloud
admin_set wa.cloud.url "$GRAPH/v20.0"
admin_set wa.cloud.token EAAG-test-token
admin_set wa.cloud.phone_number_id 109876543210
admin_set wa.cloud.template.reminder 'tagihan_pengingat:id:name,period,amount,due_date'
admin_set wa.cloud.verify_token 'verify-e2e'
admin_set wa.cloud.app_secret "$SECRET"
for kv in wa.min_delay_s=0 wa.max_delay_s=0 wa.jitter_s=0 wa.batch_cooldown_s=0 wa.quiet_start=00:00 wa.quiet_end=00:00 \
          wa.max_per_hour=100000 wa.max_per_day=1000000; do
  admin_set "${kv%%=*}" "${kv#*=}"
done
# The secrets never show.
out=$(FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin settings list 2>&1)
assert_not_contains "$out" "$SECRET"
assert_not_contains "$out" "verify-e2e"

# Meta's verification handshake
assert_eq "$(curl -s "$HOOK?hub.mode=subscribe&hub.verify_token=verify-e2e&hub.challenge=1158201444")" "1158201444"
assert_eq "$(curl -s -o /dev/null -w '%{http_code}' "$HOOK?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1")" "403"

# Ahmad's reminder (billed on the 5th next month) goes out as the template: he never wrote.
MONTH=$(TZ=Asia/Jakarta date -d "$(TZ=Asia/Jakarta date +%Y-%m-15) +1 month" +%Y-%m)
NEXT=$(TZ=Asia/Jakarta date -d "$MONTH-15 +1 month" +%Y-%m)
out=$("$FN_BIN" --db "$FIBERNODE_DB" --json jobs daily --date "$MONTH-04") || fail "jobs daily"
assert_contains "$out" '"queued":1'
out=$("$FN_BIN" --db "$FIBERNODE_DB" --json worker --once --no-daily) || fail "worker --once"
assert_contains "$out" '"sent":1'
sent=$(curl -fsS "$GRAPH/__fake/sent")
assert_contains "$sent" '"type":"template"'
assert_contains "$sent" '"template":"tagihan_pengingat"'
assert_contains "$sent" '"to":"6281234567890"'
assert_contains "$sent" '"Ahmad Fauzi"'
WAMID=$(sqlite3 "$FIBERNODE_DB" "SELECT wa_message_id FROM wa_message_logs WHERE message_type = 'reminder'")
[ -n "$WAMID" ] || fail "no message id logged"

sign() { printf '%s' "$1" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.*= //'; }
status_body() {
  printf '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"6281100000000","phone_number_id":"109876543210"},"statuses":[{"id":"%s","status":"%s","timestamp":"1772600000","recipient_id":"6281234567890"}]}}]}]}' "$1" "$2"
}
inbound_body() {
  printf '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"6281100000000","phone_number_id":"109876543210"},"contacts":[{"profile":{"name":"Ahmad"},"wa_id":"%s"}],"messages":[{"from":"%s","id":"%s","timestamp":"%s","type":"text","text":{"body":"%s"}}]}}]}]}' "$1" "$1" "$2" "$(date +%s)" "$3"
}
post() { curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' "$@"; }

# An unsigned (or wrongly signed) status is refused and changes nothing.
BODY=$(status_body "$WAMID" delivered)
assert_eq "$(post --data-binary "$BODY" "$HOOK")" "401"
assert_eq "$(post -H "X-Hub-Signature-256: sha256=$(printf '%s' "$BODY" | openssl dgst -sha256 -hmac wrong | sed 's/^.*= //')" --data-binary "$BODY" "$HOOK")" "403"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT status FROM wa_message_logs WHERE wa_message_id = '$WAMID'")" "sent"
# Signed like Meta: delivered (twice: idempotent).
assert_eq "$(post -H "X-Hub-Signature-256: sha256=$(sign "$BODY")" --data-binary "$BODY" "$HOOK")" "200"
assert_eq "$(post -H "X-Hub-Signature-256: sha256=$(sign "$BODY")" --data-binary "$BODY" "$HOOK")" "200"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT status FROM wa_message_logs WHERE wa_message_id = '$WAMID'")" "delivered"

# Ahmad replies BERHENTI: opted out, audited, visible.
BODY=$(inbound_body 6281234567890 wamid.IN-e2e-1 "BERHENTI")
assert_eq "$(post -H "X-Hub-Signature-256: sha256=$(sign "$BODY")" --data-binary "$BODY" "$HOOK")" "200"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT count(*) FROM wa_contacts WHERE phone = '6281234567890' AND opted_out_at IS NOT NULL")" "1"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT count(*) FROM activity_logs WHERE action = 'wa.opt_out'")" "1"
out=$(FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$FIBERNODE_DB" --user mitra1 wa replies) || fail "wa replies"
assert_contains "$out" "BERHENTI"
assert_contains "$out" "Ahmad Fauzi"
out=$(FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$FIBERNODE_DB" --user mitra2 wa replies) || fail "wa replies mitra2"
assert_not_contains "$out" "BERHENTI"

# A manual send to him asks for confirmation (exit 4 without --yes).
FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$FIBERNODE_DB" --user mitra1 wa send PLG-000001 --text "Halo" >/dev/null 2>&1
assert_eq "$?" "4"

# Next month: his reminder is not queued; Dewi's (billed on the 10th) still goes, as the template.
out=$("$FN_BIN" --db "$FIBERNODE_DB" --json jobs daily --date "$NEXT-04") || fail "jobs daily next"
assert_contains "$out" '"created":1'
assert_contains "$out" '"queued":0'
out=$("$FN_BIN" --db "$FIBERNODE_DB" --json jobs daily --date "$MONTH-09") || fail "jobs daily dewi"
assert_contains "$out" '"queued":1'
out=$("$FN_BIN" --db "$FIBERNODE_DB" --json worker --once --no-daily) || fail "worker --once 2"
assert_contains "$out" '"sent":1'
sent=$(curl -fsS "$GRAPH/__fake/sent")
assert_eq "$(printf '%s' "$sent" | grep -o '"to":"6281234567890"' | wc -l)" "1"
assert_eq "$(printf '%s' "$sent" | grep -o '"to":"6289876543210"' | wc -l)" "1"

# wa resume: nothing paused → says so, exit 0.
out=$(FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$FIBERNODE_DB" --user mitra1 --json wa resume) || fail "wa resume"
assert_contains "$out" '"resumed":false'
kill "$SPID" "$GRAPH_PID"; wait "$SPID" 2>/dev/null
e2e_done
