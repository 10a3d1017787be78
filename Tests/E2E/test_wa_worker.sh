#!/usr/bin/env bash
# `jobs daily` (twice) + `worker --once` (twice) with delays 0: every reminder reaches the fake
# WAHA exactly once, from its owner's session; the long-running worker stops on SIGTERM.
source "$(dirname "$0")/lib.sh"
e2e_setup
source "$(dirname "$0")/wa_lib.sh"
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"
fake_waha_start --working default --working mitra1 --working mitra2
use_fake_waha

# The days before the demo's billing days (5, 10, 15) next month.
MONTH=$(TZ=Asia/Jakarta date -d "$(TZ=Asia/Jakarta date +%Y-%m-15) +1 month" +%Y-%m)
for d in 04 09 14; do
  out=$("$FN_BIN" --db "$FIBERNODE_DB" --json jobs daily --date "$MONTH-$d") || fail "jobs daily $d"
  assert_contains "$out" '"queued":1'
  out=$("$FN_BIN" --db "$FIBERNODE_DB" --json jobs daily --date "$MONTH-$d") || fail "jobs daily again $d"
  assert_contains "$out" '"queued":0'
done
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT count(*) FROM wa_message_queue")" "3"

out=$("$FN_BIN" --db "$FIBERNODE_DB" --json worker --once --no-daily) || fail "worker --once"
assert_contains "$out" '"sent":3'
out=$("$FN_BIN" --db "$FIBERNODE_DB" --json worker --once --no-daily) || fail "worker --once again"
assert_contains "$out" '"sent":0'

sent=$(fake_sent)
assert_eq "$(printf '%s' "$sent" | grep -o '"chatId"' | wc -l)" "3"
for c in 6281234567890 6289876543210 6281333444555; do
  assert_eq "$(printf '%s' "$sent" | grep -o "\"chatId\":\"$c@c.us\"" | wc -l)" "1"
done
assert_eq "$(printf '%s' "$sent" | grep -o 'Pengingat Tagihan WiFi' | wc -l)" "3"
assert_contains "$sent" '"session":"mitra1"'
assert_contains "$sent" '"session":"default"'
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT group_concat(status) FROM (SELECT DISTINCT status FROM wa_message_queue)")" "sent"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT count(*) FROM wa_message_logs WHERE status = 'sent' AND message_type = 'reminder'")" "3"

# mitra1 sees only its own two in the queue
out=$(FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$FIBERNODE_DB" --user mitra1 --json wa queue) || fail "wa queue"
assert_contains "$out" '"sent":2'
assert_not_contains "$out" "Rudi Hartono"

# The long-running worker logs to its file and stops cleanly on SIGTERM.
"$FN_BIN" --db "$FIBERNODE_DB" worker --no-daily --log "$E2E_TMP/worker.log" &
WPID=$!
wait_file "$E2E_TMP/worker.log"
for _ in $(seq 1 100); do grep -q "worker started" "$E2E_TMP/worker.log" && break; sleep 0.05; done
kill -TERM "$WPID"
wait_pid_gone "$WPID"
wait "$WPID"; assert_eq "$?" "0"
grep -q "worker stopped" "$E2E_TMP/worker.log" || fail "no clean stop in the log"
e2e_done
