#!/usr/bin/env bash
# The offline field laptop through the CLI (issue 16): clone a mitra's scope over
# --remote-command, pay offline, sync (exactly once, conflicts exit 4), a tampered operation
# rejected, devices list/revoke (a revoked laptop exits 3), secrets never on the laptop.
source "$(dirname "$0")/lib.sh"
e2e_setup
SRV="$E2E_TMP/server.db"; LAP="$E2E_TMP/laptop.db"
"$FN_BIN" --db "$SRV" demo >/dev/null || fail "demo"
FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$SRV" --user superadmin invoices generate --period 2027-01 >/dev/null || fail "generate"
FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$SRV" --user superadmin settings set wa.waha.api_key s3cr3t-key >/dev/null || fail "secret"
ADMIN() { FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$SRV" --user superadmin "$@"; }
L() { FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$LAP" --user mitra1 "$@"; }
REMOTE="$FN_BIN --db $SRV sync-serve"

# clone: wrong password → exit 3, no file left
FIBERNODE_PASSWORD='wrong' "$FN_BIN" --db "$LAP" --user mitra1 sync clone --remote-command "$REMOTE" 2>"$E2E_TMP/err"
assert_eq "$?" "3"
[ ! -e "$LAP" ] || fail "a failed clone left a file"
out=$(L --json sync clone --remote-command "$REMOTE") || fail "clone: $out"
assert_contains "$out" '"customers":2'
assert_eq "$(stat -c %a "$LAP")" "600"
assert_eq "$(sqlite3 "$LAP" "SELECT count(*) FROM users WHERE username = 'mitra2'")" "0"
assert_eq "$(sqlite3 "$LAP" "SELECT count(*) FROM users WHERE password_hash != '!' AND username != 'mitra1'")" "0"
assert_eq "$(sqlite3 "$LAP" "SELECT count(*) FROM settings WHERE key LIKE 'wa.%'")" "0"
if grep -q 's3cr3t-key' "$LAP"*; then fail "a gateway key reached the laptop"; fi
# a second clone onto an existing file is refused
L sync clone --remote-command "$REMOTE" 2>/dev/null; assert_eq "$?" "4"

# offline: the laptop collects one invoice; the office collects the same one meanwhile
INV=$(L --json invoices list | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["number"])')
L invoices pay "$INV" --method tunai >/dev/null 2>"$E2E_TMP/err" || fail "offline pay"
assert_contains "$(cat "$E2E_TMP/err")" "dikirim oleh server setelah sinkron"     # the laptop never sends
assert_not_contains "$(cat "$E2E_TMP/err")" "wa.me"
st=$(L --json sync status); assert_contains "$st" '"pending":1'
ADMIN invoices pay "$INV" --method transfer >/dev/null || fail "office pay"
out=$(L --json sync); code=$?
assert_eq "$code" "4"
assert_contains "$out" '"conflicts":1'
assert_contains "$out" '"pushed":1'
assert_eq "$(sqlite3 "$SRV" "SELECT count(*) FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE i.number = '$INV' AND p.voided_at IS NULL")" "2"
assert_eq "$(sqlite3 "$SRV" "SELECT count(*) FROM sync_conflicts WHERE settled_at IS NULL")" "1"
assert_eq "$(sqlite3 "$LAP" "SELECT paid_amount FROM invoices WHERE number = '$INV'")" "$(sqlite3 "$SRV" "SELECT paid_amount FROM invoices WHERE number = '$INV'")"
# again: nothing to push, nothing applied twice
out=$(L --json sync) || fail "second sync: $out"
assert_contains "$out" '"pushed":0'
assert_eq "$(sqlite3 "$SRV" "SELECT count(*) FROM payments")" "2"
assert_eq "$(sqlite3 "$SRV" "SELECT count(*) FROM message_outbox WHERE kind = 'receipt'")" "1"

# a tampered laptop: an operation on the superadmin's customer's invoice is rejected
FOREIGN=$(sqlite3 "$SRV" "SELECT i.id FROM invoices i JOIN users u ON u.id = i.owner_id WHERE u.role = 'superadmin' LIMIT 1")
sqlite3 "$LAP" "INSERT INTO sync_ops(key, type, payload, user_id, created_at) VALUES ('evil', 'payment.record', '{\"id\":\"e0000000-0000-4000-8000-000000000001\",\"invoice_id\":\"$FOREIGN\",\"amount\":1000,\"method\":\"cash\",\"paid_at\":\"2027-01-02 00:00:00.000\"}', (SELECT user_id FROM sync_identity), '2027-01-02')"
out=$(L --json sync) || fail "tampered sync: $out"
assert_contains "$out" '"rejected":1'
assert_eq "$(sqlite3 "$SRV" "SELECT count(*) FROM payments WHERE invoice_id = '$FOREIGN'")" "0"

# devices: a mitra may not list; the superadmin lists and revokes; the laptop is refused (3)
L devices list --db "$SRV" 2>/dev/null; assert_eq "$?" "3"
devs=$(ADMIN --json devices list)
DEV=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert len(d)==1 and d[0]["user"]=="mitra1" and d[0]["last_sync"], d; print(d[0]["id"])' "$devs") || fail "devices json: $devs"
ADMIN devices revoke "$DEV" >/dev/null || fail "revoke"
L sync 2>"$E2E_TMP/err"; assert_eq "$?" "3"
assert_contains "$(cat "$E2E_TMP/err")" "dicabut"
echo "ok"
