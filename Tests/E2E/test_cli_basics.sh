#!/usr/bin/env bash
# The command-line contract of CLI.md for init, demo, settings, import and export.
source "$(dirname "$0")/lib.sh"
e2e_setup
X="$E2E_TMP/x.db"; Y="$E2E_TMP/y.db"

"$FN_BIN" --version >/dev/null || fail "--version"
FIBERNODE_ADMIN_PASSWORD='Secret123!' "$FN_BIN" --db "$X" init --business "Uji Net" >/dev/null || fail "init"
assert_eq "$(stat -c %a "$X")" "600"
FIBERNODE_ADMIN_PASSWORD='Secret123!' "$FN_BIN" --db "$X" init --business "Lagi" 2>"$E2E_TMP/err"; rc=$?
assert_eq "$rc" "4"
assert_contains "$(cat "$E2E_TMP/err")" "Database sudah ada"
FIBERNODE_ADMIN_PASSWORD='short' "$FN_BIN" --db "$E2E_TMP/z.db" init --business "Z" 2>/dev/null; assert_eq "$?" "2"
[ -e "$E2E_TMP/z.db" ] && [ -s "$E2E_TMP/z.db" ] && fail "a refused init left a database"

"$FN_BIN" --db "$Y" demo >/dev/null || fail "demo"
export FIBERNODE_PASSWORD='Admin123!'
"$FN_BIN" --db "$Y" --user superadmin settings set wa.max_per_hour 40 >/dev/null || fail "settings set"
assert_eq "$("$FN_BIN" --db "$Y" settings get wa.max_per_hour)" "40"
"$FN_BIN" --db "$Y" --user superadmin settings set wa.max_per_hour abc 2>"$E2E_TMP/err"; assert_eq "$?" "2"
assert_contains "$(cat "$E2E_TMP/err")" "harus berupa angka"
"$FN_BIN" --db "$Y" --user superadmin --lang en settings set wa.max_per_hour abc 2>"$E2E_TMP/err"; assert_eq "$?" "2"
assert_contains "$(cat "$E2E_TMP/err")" "must be a number"
assert_eq "$("$FN_BIN" settings get wa.max_per_hour --db "$Y")" "40"
FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$Y" --user mitra1 settings set wa.max_per_hour 41 2>/dev/null; assert_eq "$?" "3"
FIBERNODE_PASSWORD='wrong' "$FN_BIN" --db "$Y" --user superadmin settings set wa.max_per_hour 42 2>/dev/null; assert_eq "$?" "3"
assert_eq "$("$FN_BIN" --db "$Y" settings get wa.max_per_hour)" "40"
"$FN_BIN" --db "$Y" --user superadmin settings set wa.waha.api_key 'kunci-rahasia' >/dev/null
assert_not_contains "$("$FN_BIN" --db "$Y" settings list)" "kunci-rahasia"
assert_not_contains "$(cat "$XDG_STATE_HOME"/fibernode/fibernode.log 2>/dev/null)" "kunci-rahasia"
"$FN_BIN" --db "$E2E_TMP/none.db" settings list 2>/dev/null; assert_eq "$?" "2"

# import: dry run writes nothing; the real run imports; a second run imports nothing new
CSV="$PWD/Resources/customers-example.csv"
out=$("$FN_BIN" --db "$Y" --user superadmin --json import customers "$CSV" --dry-run)
assert_contains "$out" '"imported":0'
assert_contains "$out" '"rejected":0'
assert_eq "$(sqlite3 "$Y" 'SELECT count(*) FROM customers')" "3"
out=$("$FN_BIN" import customers "$CSV" --db "$Y" --user superadmin --json)
assert_contains "$out" '"imported":8'
out=$("$FN_BIN" --db "$Y" --user superadmin --json import customers "$CSV")
assert_contains "$out" '"imported":0'
assert_contains "$out" '"rejected":8'
assert_contains "$out" '"line":2'
FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$Y" --user mitra1 import customers "$CSV" 2>/dev/null; assert_eq "$?" "3"

# export re-imports
"$FN_BIN" --db "$Y" --user superadmin export customers --format csv -o "$E2E_TMP/out.csv" >/dev/null || fail "export"
assert_eq "$(($(wc -l < "$E2E_TMP/out.csv") - 1))" "11"
"$FN_BIN" --db "$Y" --user superadmin export customers --format xlsx -o "$E2E_TMP/out.xlsx" >/dev/null || fail "xlsx"
assert_eq "$(head -c 2 "$E2E_TMP/out.xlsx")" "PK"
FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$Y" --user mitra1 export customers --format csv -o "$E2E_TMP/m.csv" 2>/dev/null; assert_eq "$?" "3"
"$FN_BIN" --db "$Y" --user superadmin export customers --format pdf -o "$E2E_TMP/m.pdf" 2>/dev/null; assert_eq "$?" "2"
assert_eq "$(sqlite3 "$Y" 'PRAGMA integrity_check')" "ok"
e2e_done
