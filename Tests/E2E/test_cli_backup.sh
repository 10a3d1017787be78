#!/usr/bin/env bash
# backup create/list/verify/restore/run-due through the CLI: a consistent copy while another
# process writes, encryption and a wrong passphrase, truncated and foreign files refused with
# the database byte-for-byte untouched, restore refused while others hold the file open, a
# good restore that keeps the previous copy, and a mitra refused everywhere.
source "$(dirname "$0")/lib.sh"
e2e_setup
DB="$FIBERNODE_DB"
DIR=$(dirname "$DB")
"$FN_BIN" --db "$DB" demo >/dev/null || fail "demo"
export FIBERNODE_PASSWORD='Admin123!'
fn() { "$FN_BIN" --db "$DB" --user superadmin "$@"; }
# The CLI's own login writes login_attempts and last_login_at, so compare the business data
# (the unit tests compare the file byte for byte).
dbsum() { sqlite3 "$DB" ".dump settings customers invoices packages backups" | sha256sum | cut -d' ' -f1; }

# 1. Online backup while another process commits continuously.
( n=0; while [ ! -f "$E2E_TMP/stop" ]; do n=$((n+1))
    sqlite3 "$DB" ".timeout 5000" "INSERT INTO activity_logs(id, action, resource, resource_id, created_at) VALUES ('w$n', 'test.write', 'load', '$n', '2026-01-01 00:00:00.000')" >/dev/null || exit 1
    echo "$n" > "$E2E_TMP/committed.tmp" && mv "$E2E_TMP/committed.tmp" "$E2E_TMP/committed"   # never read half-written
  done ) &
WRITER=$!
deadline=$((SECONDS + 20))
while [ "$(cat "$E2E_TMP/committed" 2>/dev/null || echo 0)" -lt 30 ]; do [ $SECONDS -le $deadline ] || fail "writer did not start"; sleep 0.05; done
BEFORE=$(cat "$E2E_TMP/committed")
out=$(fn --json backup create) || fail "backup create: $out"
touch "$E2E_TMP/stop"; wait "$WRITER" || fail "writer failed"
B1=$(printf '%s' "$out" | python3 -c 'import sys,json; print(json.load(sys.stdin)["path"])')
[ -f "$B1" ] || fail "no backup file $B1"
assert_contains "$B1" "$DIR/backups/fibernode-"
assert_eq "$(stat -c %a "$B1")" "600"
assert_eq "$(sqlite3 "$B1" 'PRAGMA integrity_check')" "ok"
IN=$(sqlite3 "$B1" "SELECT count(*) FROM activity_logs WHERE action='test.write'")
MAXN=$(sqlite3 "$B1" "SELECT coalesce(max(CAST(resource_id AS INTEGER)),0) FROM activity_logs WHERE action='test.write'")
[ "$IN" -ge "$BEFORE" ] || fail "backup holds $IN writes, $BEFORE were committed before it started"
assert_eq "$IN" "$MAXN"
assert_eq "$(printf '%s' "$out" | python3 -c 'import sys,json; print(json.load(sys.stdin)["sha256"])')" "$(sha256sum "$B1" | cut -d' ' -f1)"

# 2. list and verify
assert_contains "$(fn backup list)" "$(basename "$B1")"
assert_contains "$(fn backup verify "$B1")" "Cadangan valid"

# 3. Encryption and a wrong passphrase
FIBERNODE_BACKUP_PASSPHRASE='kuda-laut-77' fn backup create -o "$E2E_TMP/enc.db.enc" >/dev/null || fail "encrypted create"
assert_eq "$(head -c 8 "$E2E_TMP/enc.db.enc")" "FNBKENC1"
FIBERNODE_BACKUP_PASSPHRASE='salah' fn backup verify "$E2E_TMP/enc.db.enc" 2>"$E2E_TMP/err"; assert_eq "$?" "2"
assert_contains "$(cat "$E2E_TMP/err")" "Frasa sandi cadangan salah."
fn --lang en backup verify "$E2E_TMP/enc.db.enc" </dev/null 2>"$E2E_TMP/err"; assert_eq "$?" "2"
FIBERNODE_BACKUP_PASSPHRASE='kuda-laut-77' fn backup verify "$E2E_TMP/enc.db.enc" >/dev/null || fail "verify with the right passphrase"
fn backup create -o "$E2E_TMP/enc.db.enc" 2>"$E2E_TMP/err"; assert_eq "$?" "4"

# 4. Truncated and foreign files are refused; the database is untouched.
head -c $(( $(stat -c %s "$B1") / 2 )) "$B1" > "$E2E_TMP/half.db"
printf 'nama,telepon\nBudi,62812\n' > "$E2E_TMP/foreign.db"
sqlite3 "$E2E_TMP/otherapp.db" "CREATE TABLE notes(x); INSERT INTO notes VALUES (1);"
SUM=$(dbsum)
fn backup restore "$E2E_TMP/half.db" 2>"$E2E_TMP/err"; assert_eq "$?" "2"
assert_contains "$(cat "$E2E_TMP/err")" "terpotong atau rusak"
fn backup restore "$E2E_TMP/foreign.db" 2>"$E2E_TMP/err"; assert_eq "$?" "2"
assert_contains "$(cat "$E2E_TMP/err")" "bukan cadangan FiberNode"
fn --lang en backup restore "$E2E_TMP/otherapp.db" 2>"$E2E_TMP/err"; assert_eq "$?" "2"
assert_contains "$(cat "$E2E_TMP/err")" "is not a FiberNode backup"
FIBERNODE_BACKUP_PASSPHRASE='salah' fn backup restore "$E2E_TMP/enc.db.enc" 2>/dev/null; assert_eq "$?" "2"
assert_eq "$(dbsum)" "$SUM"
assert_eq "$(ls "$DIR/backups" | grep -c pre-restore)" "0"

# 5. A mitra is refused everywhere (exit 3).
for cmd in "backup create" "backup list" "backup verify $B1" "backup restore $B1"; do
  FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$DB" --user mitra1 $cmd 2>"$E2E_TMP/err"; assert_eq "$?" "3"
  assert_contains "$(cat "$E2E_TMP/err")" "tidak berhak"
done
assert_eq "$(dbsum)" "$SUM"

# 6. Restore is refused while another process holds the database open.
# (a sqlite3 shell reading from a FIFO we hold open: it keeps its connection until we close it)
mkfifo "$E2E_TMP/fifo"
sqlite3 "$DB" < "$E2E_TMP/fifo" >/dev/null 2>&1 &
HOLDER=$!
exec 9>"$E2E_TMP/fifo"
echo "SELECT count(*) FROM users;" >&9
deadline=$((SECONDS + 10))
until grep -q " $HOLDER " /proc/locks; do [ $SECONDS -le $deadline ] || fail "sqlite3 never opened the database"; sleep 0.05; done
fn backup restore "$B1" 2>"$E2E_TMP/err"; rc=$?
exec 9>&-
wait "$HOLDER"
assert_eq "$rc" "4"
assert_contains "$(cat "$E2E_TMP/err")" "$HOLDER"
assert_contains "$(cat "$E2E_TMP/err")" "sedang dibuka proses lain (PID"
assert_eq "$(dbsum)" "$SUM"

# 7. A good restore swaps and keeps the previous copy.
fn settings set business.name "Sesudah Backup" >/dev/null || fail "settings set"
out=$(fn backup restore "$B1") || fail "restore: $out"
assert_contains "$out" "Database dipulihkan dari"
assert_eq "$(fn settings get business.name)" ""
PRE=$(ls "$DIR/backups" | grep pre-restore)
[ -n "$PRE" ] || fail "no pre-restore copy"
assert_eq "$(sqlite3 "$DIR/backups/$PRE" "SELECT value FROM settings WHERE key='business.name'")" "Sesudah Backup"
assert_eq "$(sqlite3 "$DB" 'PRAGMA integrity_check')" "ok"
assert_contains "$(fn backup list)" "sebelum pulih"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM activity_logs WHERE action='backup.restore'")" "1"
FIBERNODE_BACKUP_PASSPHRASE='kuda-laut-77' fn backup restore "$E2E_TMP/enc.db.enc" >/dev/null || fail "encrypted restore"

# 8. The worker's entry point: one scheduled backup per slot.
assert_contains "$("$FN_BIN" --db "$DB" backup run-due)" "Cadangan terjadwal dibuat"
assert_contains "$("$FN_BIN" --db "$DB" backup run-due)" "Belum waktunya mencadangkan"
e2e_done
