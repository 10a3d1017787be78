#!/usr/bin/env bash
# The collection loop through the CLI (issue 14): reminder stages before and after the due date,
# promises to pay, automatic isolation by the daily job and automatic restore on full payment.
source "$(dirname "$0")/lib.sh"
e2e_setup
DB="$FIBERNODE_DB"
"$FN_BIN" --db "$DB" demo >/dev/null || fail "demo"
export FIBERNODE_PASSWORD='Admin123!'
A() { "$FN_BIN" --db "$DB" --user superadmin "$@"; }
M1() { FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$DB" --user mitra1 "$@"; }
M2() { FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$DB" --user mitra2 "$@"; }

# generate --dry-run says what a period would create and writes nothing
out=$(A --json invoices generate --period 2027-01 --dry-run)
assert_contains "$out" '"would_create":3'
assert_contains "$out" '"past_due":0'
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM invoices")" "0"
assert_contains "$(A invoices generate --period 2027-01 --dry-run)" "akan dibuat 3 tagihan"

# reminder days take negative stages; out of range refused, nothing changed
A settings set wa.reminder_days "3,1,-1" >/dev/null || fail "reminder days"
A settings set wa.reminder_days "3,-29" 2>/dev/null; assert_eq "$?" "2"
assert_eq "$(A settings get wa.reminder_days)" "3,1,-1"
# PLG-000001 is billed on the 5th: on 2 Jan 2027 (H-3) its February invoice exists and is reminded
out=$("$FN_BIN" --db "$DB" --json jobs daily --date 2027-01-02)
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM invoices WHERE number = 'INV-202702-000001'")" "1"
assert_eq "$(sqlite3 "$DB" "SELECT group_concat(stage) FROM wa_message_queue q JOIN invoices i ON i.id = q.invoice_id WHERE i.number = 'INV-202702-000001'")" "3"
assert_contains "$(sqlite3 "$DB" "SELECT content FROM wa_message_queue WHERE stage = 3")" "dalam 3 hari"
"$FN_BIN" --db "$DB" jobs daily --date 2027-01-02 >/dev/null
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM wa_message_queue")" "1"

# promises: mitra1 for its own customer; dates checked; mitra2 may not
M1 customers promise PLG-000001 2>/dev/null; assert_eq "$?" "2"
M1 customers promise PLG-000001 --until 2027-13-01 2>/dev/null; assert_eq "$?" "2"
IN5=$(TZ=Asia/Jakarta date -d "+5 days" +%F)
M2 customers promise PLG-000001 --until "$IN5" 2>/dev/null; assert_eq "$?" "3"
out=$(M1 --json customers promise PLG-000001 --until "$IN5" --note "gajian")
assert_contains "$out" "\"promise_until\":\"$IN5\""
assert_eq "$(sqlite3 "$DB" "SELECT promise_until || '|' || promise_note FROM customers WHERE code = 'PLG-000001'")" "$IN5|gajian"
M1 customers promise PLG-000001 --until 2020-01-01 2>/dev/null; assert_eq "$?" "2"
assert_contains "$(M1 customers promise PLG-000001 --until none)" "dihapus"

# automatic isolation: off by default; on, the daily job isolates (more than 7 days past due)
A invoices generate --period 2027-03 >/dev/null
assert_contains "$("$FN_BIN" --db "$DB" --json jobs daily --date 2027-02-20)" '"isolated":[]'
A settings set isolation.auto true >/dev/null || fail "isolation.auto"
out=$("$FN_BIN" --db "$DB" --json jobs daily --date 2027-02-20)
assert_contains "$out" '"isolated":["PLG-000001","PLG-000002"]'
assert_eq "$(sqlite3 "$DB" "SELECT status || '|' || isolated_auto FROM customers WHERE code = 'PLG-000001'")" "isolated|1"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM message_outbox WHERE kind = 'isolation'")" "2"
# one isolated by hand stays isolated after paying; the automatic one is restored at once
A customers unisolate PLG-000003 >/dev/null; A customers isolate PLG-000003 >/dev/null
for n in $(sqlite3 "$DB" "SELECT number FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE c.code IN ('PLG-000001','PLG-000003') AND i.status != 'paid'"); do
  A invoices pay "$n" >/dev/null 2>&1 || fail "pay $n"
done
assert_eq "$(sqlite3 "$DB" "SELECT status || '|' || isolated_auto FROM customers WHERE code = 'PLG-000001'")" "active|0"
assert_eq "$(sqlite3 "$DB" "SELECT status FROM customers WHERE code = 'PLG-000003'")" "isolated"
# users unlock: a cron job with a wrong password locks mitra2; the superadmin lifts it (audited)
for i in $(seq 1 5); do FIBERNODE_PASSWORD='salah' "$FN_BIN" --db "$DB" --user mitra2 payments list >/dev/null 2>&1; done
M2 payments list 2>"$E2E_TMP/err" >/dev/null; assert_eq "$?" "3"
M1 users unlock mitra2 2>/dev/null; assert_eq "$?" "3"
assert_contains "$(A --json users unlock mitra2)" '"was_locked":true'
M2 payments list >/dev/null || fail "mitra2 still locked"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM activity_logs WHERE action = 'user.unlock'")" "1"

# a cron job with a wrong password: the CLI says why on stderr (exit 3), attempts left after
# the third failure, then the lock with its time; login_attempts says it came from the CLI
for i in 1 2; do FIBERNODE_PASSWORD='salah' "$FN_BIN" --db "$DB" --user mitra2 payments list >/dev/null 2>&1; done
FIBERNODE_PASSWORD='salah' "$FN_BIN" --db "$DB" --user mitra2 payments list >/dev/null 2>"$E2E_TMP/err"; assert_eq "$?" "3"
assert_contains "$(cat "$E2E_TMP/err")" "kata sandi salah"
assert_contains "$(cat "$E2E_TMP/err")" "percobaan sebelum akun dikunci"
for i in 1 2 3; do FIBERNODE_PASSWORD='salah' "$FN_BIN" --db "$DB" --user mitra2 payments list >/dev/null 2>"$E2E_TMP/err"; done
M2 payments list >/dev/null 2>"$E2E_TMP/err"; assert_eq "$?" "3"
assert_contains "$(cat "$E2E_TMP/err")" "dikunci sampai"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM login_attempts WHERE username = 'mitra2' AND success = 0 AND user_agent NOT LIKE 'fibernode cli%'")" "0"
A users unlock mitra2 >/dev/null || fail "unlock mitra2 again"

# inactive customers: superadmin only; audited; no invoices while inactive; and back
M1 customers deactivate PLG-000002 2>/dev/null; assert_eq "$?" "3"
A customers deactivate PLG-999999 2>/dev/null; assert_eq "$?" "2"
assert_contains "$(A --json customers deactivate PLG-000002)" '"status":"inactive"'
assert_contains "$(A customers deactivate PLG-000002)" "dinonaktifkan"
A invoices generate --period 2027-06 >/dev/null || fail "generate 2027-06"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE c.code = 'PLG-000002' AND i.period = '2027-06'")" "0"
assert_contains "$(A customers activate PLG-000002)" "aktif kembali"
assert_eq "$(sqlite3 "$DB" "SELECT status FROM customers WHERE code = 'PLG-000002'")" "active"
assert_eq "$(sqlite3 "$DB" "SELECT group_concat(action) FROM (SELECT action FROM activity_logs WHERE action IN ('customer.deactivate','customer.activate') ORDER BY rowid)")" "customer.deactivate,customer.activate"
assert_eq "$(sqlite3 "$DB" 'PRAGMA integrity_check')" "ok"
e2e_done
