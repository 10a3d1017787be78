#!/usr/bin/env bash
# Issue 12 on the command line: -o never clobbers (item 1), no control sequence from the data
# reaches the terminal (item 3), secrets from stdin or a no-echo prompt (item 6), refused files
# untouched (item 7), usage errors exit 2 in the chosen language (item 11).
source "$(dirname "$0")/lib.sh"
e2e_setup
DB="$FIBERNODE_DB"
DIR=$(dirname "$DB")
"$FN_BIN" --db "$DB" demo >/dev/null || fail "demo"
export FIBERNODE_PASSWORD='Admin123!'
fn() { "$FN_BIN" --db "$DB" --user superadmin "$@"; }
sum() { sha256sum "$1" | cut -d' ' -f1; }
rc() { set +e; "$@" >"$E2E_TMP/out" 2>"$E2E_TMP/err"; RC=$?; set -e; }
umask 022
cd "$E2E_TMP"

# --- item 1: -o
BEFORE=$(sum "$DB")
rc fn export customers --format csv -o "$DB" --force; assert_eq "$RC" "2"
ln -s "$DB" "$E2E_TMP/db.csv"
rc fn export customers --format csv -o "$E2E_TMP/db.csv" --force; assert_eq "$RC" "2"
assert_contains "$(cat "$E2E_TMP/err")" "tautan simbolik"
ln -s "$DB-wal" "$E2E_TMP/wal.csv"
rc fn export customers --format csv -o "$E2E_TMP/wal.csv" --force; assert_eq "$RC" "2"
rc fn export customers --format xlsx -o x.csv; assert_eq "$RC" "2"
assert_contains "$(cat "$E2E_TMP/err")" ".xlsx"
[ -e x.csv ] && fail "refused export wrote x.csv"
rc fn export customers --format csv -o c.csv; assert_eq "$RC" "0"
assert_eq "$(stat -c %a c.csv)" "600"
rc fn --lang en export customers --format csv -o c.csv; assert_eq "$RC" "4"
assert_contains "$(cat "$E2E_TMP/err")" "--force"
rc fn export customers --format csv -o c.csv --force; assert_eq "$RC" "0"
rc fn backup create -o "$DB"; assert_eq "$RC" "4"
fn invoices generate >/dev/null
TOKEN=$(fn --json invoices list | python3 -c 'import sys,json; print(json.load(sys.stdin)[0]["receipt_token"])')
rc "$FN_BIN" --db "$DB" receipt "$TOKEN" -o "$DB"; assert_eq "$RC" "2"
rc "$FN_BIN" --db "$DB" receipt "$TOKEN" --format html -o nota.txt; assert_eq "$RC" "2"
rc "$FN_BIN" --db "$DB" receipt "$TOKEN" --format html -o nota.html; assert_eq "$RC" "0"
assert_eq "$(stat -c %a nota.html)" "600"
# a mitra: only a name in its own folder
export FIBERNODE_PASSWORD='Mitra123!'
rc "$FN_BIN" --db "$DB" --user mitra1 export invoices --from 2020-01-01 --to 2030-12-31 -o ../fibernode.csv
assert_eq "$RC" "2"; assert_contains "$(cat "$E2E_TMP/err")" "Mitra hanya dapat menyimpan"
rc "$FN_BIN" --db "$DB" --user mitra1 --json export invoices --from 2020-01-01 --to 2030-12-31 -o m1.csv
assert_eq "$RC" "0"; [ -f "$DIR/exports/mitra1/m1.csv" ] || fail "mitra export not in its folder"
assert_eq "$(stat -c %a "$DIR/exports/mitra1")" "700"
export FIBERNODE_PASSWORD='Admin123!'
sqlite3 "$DB" "PRAGMA integrity_check" | grep -qx ok || fail "database damaged"

# --- item 3: no ESC/OSC/BEL/C1 from the data on the terminal
EVIL=$(printf 'Ahmad\033]52;c;aGk=\007X\033[2J\tY\302\233')
sqlite3 "$DB" "UPDATE customers SET name = '$EVIL' WHERE code = 'PLG-000001'"
SID=$(sqlite3 "$DB" "SELECT id FROM users WHERE username='mitra1'")
sqlite3 "$DB" "INSERT INTO wa_message_logs(id, owner_id, message_type, phone, content, status, error_message, sent_at)
  VALUES ('l1', '$SID', 'manual', '6281234567890', 'x', 'failed', '$(printf 'boom\033[31m\007')', '2026-01-01 00:00:00.000')"
check_clean() { if LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$1"; then od -c "$1" | head; fail "control bytes in $2"; fi; }
fn invoices list > "$E2E_TMP/list.txt"; check_clean "$E2E_TMP/list.txt" "invoices list"
assert_contains "$(cat "$E2E_TMP/list.txt")" "AhmadX Y"
fn customers list > "$E2E_TMP/cust.txt" 2>/dev/null || true; check_clean "$E2E_TMP/cust.txt" "customers list"
T1=$(fn --json invoices list | python3 -c 'import sys,json; print([i for i in json.load(sys.stdin) if "Ahmad" in i["customer"]][0]["receipt_token"])')
"$FN_BIN" --db "$DB" receipt "$T1" > "$E2E_TMP/r.txt"; check_clean "$E2E_TMP/r.txt" "receipt text"
FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$DB" --user mitra1 wa log > "$E2E_TMP/log.txt"; check_clean "$E2E_TMP/log.txt" "wa log"
FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$DB" --user mitra1 wa queue > "$E2E_TMP/q.txt"; check_clean "$E2E_TMP/q.txt" "wa queue"
# JSON stays escaped (and so free of raw controls)
fn --json invoices list > "$E2E_TMP/list.json"; check_clean "$E2E_TMP/list.json" "invoices list --json"
assert_contains "$(cat "$E2E_TMP/list.json")" '\u001b'
# import rejects control characters with a clear reason
printf 'nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar,nik,tanggal_register\n"Bad\033[2JName",6281299990000,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,\n' > bad.csv
fn import customers bad.csv > "$E2E_TMP/imp.txt" 2>&1 || true
assert_contains "$(cat "$E2E_TMP/imp.txt")" "karakter kontrol"
check_clean "$E2E_TMP/imp.txt" "import report"

# --- item 6: secrets from stdin, a no-echo prompt, a warning for an argument
echo 'kunci-rahasia-1' | fn settings set wa.waha.api_key - > "$E2E_TMP/set.txt" || fail "settings set -"
assert_eq "$(sqlite3 "$DB" "SELECT value FROM settings WHERE key='wa.waha.api_key'")" "kunci-rahasia-1"
rc fn settings set wa.waha.api_key kunci-rahasia-2; assert_eq "$RC" "0"
assert_contains "$(cat "$E2E_TMP/err")" "settings set wa.waha.api_key -"
tui_shell p
tui_type p "cd '$E2E_TMP' && FIBERNODE_PASSWORD='Admin123!' '$FN_BIN' --db '$DB' --user superadmin settings set wa.waha.api_key; echo RC=\$?"; tui_keys p Enter
wait_for p "tidak ditampilkan"
tui_type p "kunci-rahasia-3"; tui_keys p Enter
wait_for p "RC=0"
assert_not_contains "$(screen p)" "kunci-rahasia-3"
assert_eq "$(sqlite3 "$DB" "SELECT value FROM settings WHERE key='wa.waha.api_key'")" "kunci-rahasia-3"

# --- item 7: refused files stay byte-for-byte the same, no -wal/-shm
: > "$E2E_TMP/empty.db"
rc "$FN_BIN" --db "$E2E_TMP/empty.db" --lang en invoices list --user superadmin; assert_eq "$RC" "2"
assert_contains "$(cat "$E2E_TMP/err")" "not a FiberNode database — use \`fibernode init\`"
rc "$FN_BIN" --db "$E2E_TMP/empty.db" invoices list --user superadmin
assert_contains "$(cat "$E2E_TMP/err")" "pakai \`fibernode init\`"
assert_eq "$(stat -c %s "$E2E_TMP/empty.db")" "0"
sqlite3 "$E2E_TMP/other.db" "CREATE TABLE notes(x); INSERT INTO notes VALUES (1);"
OS=$(sum "$E2E_TMP/other.db")
rc "$FN_BIN" --db "$E2E_TMP/other.db" invoices list --user superadmin; assert_eq "$RC" "2"
assert_eq "$(sum "$E2E_TMP/other.db")" "$OS"
for f in empty.db-wal empty.db-shm other.db-wal other.db-shm; do [ -e "$E2E_TMP/$f" ] && fail "$f appeared"; done

# --- item 11: usage errors exit 2 in the chosen language
rc fn invoices unpay X; assert_eq "$RC" "2"; assert_contains "$(cat "$E2E_TMP/err")" "Argumen wajib belum diisi: --reason"
rc fn --lang en invoices unpay X; assert_eq "$RC" "2"; assert_contains "$(cat "$E2E_TMP/err")" "Missing required argument: --reason"
rc fn invoices list --bogus; assert_eq "$RC" "2"; assert_contains "$(cat "$E2E_TMP/err")" "Opsi tidak dikenal: --bogus"
rc fn invoices list --bogus --lang en; assert_eq "$RC" "2"; assert_contains "$(cat "$E2E_TMP/err")" "Unknown option: --bogus"
rc fn invoices pay X --amount -100; assert_eq "$RC" "2"
rc fn --lang en receipt abc --width wide; assert_eq "$RC" "2"; assert_contains "$(cat "$E2E_TMP/err")" "is not valid for --width"
fn settings set ui.language en >/dev/null
rc fn customers isolate; assert_eq "$RC" "2"; assert_contains "$(cat "$E2E_TMP/err")" "Missing required argument"
rc "$FN_BIN" --help; assert_eq "$RC" "0"
echo ok
