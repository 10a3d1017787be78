#!/usr/bin/env bash
# Issue 12, item 1 in a real terminal: the attack that turned the live database into a CSV.
# mitra1: Keuangan → E → the database path → refused, nothing replaced, a clear message.
# The superadmin: the database path is refused even though it may choose paths; an existing
# file is replaced only after a yes; files are 0600 under umask 022.
source "$(dirname "$0")/lib.sh"
e2e_setup
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"
sum() { sha256sum "$1" | cut -d' ' -f1; }
umask 022

tui_start a --db "$FIBERNODE_DB"
wait_for a "Nama pengguna"
tui_type a mitra1; tui_keys a Enter; tui_type a 'Mitra123!'; tui_keys a Enter
wait_for a "mitra1 ("
tui_keys a 4
wait_for a "m:Bulan"
BEFORE=$(sum "$FIBERNODE_DB")
tui_keys a E
wait_for a "Ekspor rekap tagihan"
tui_keys a Enter; tui_keys a Enter; tui_keys a Enter
wait_for a "Folder: $E2E_TMP/exports/mitra1"
tui_keys a C-u; tui_type a "$FIBERNODE_DB"; tui_keys a Enter
wait_for a "Mitra hanya dapat menyimpan di folder"
tui_keys a C-u; tui_type a "../../fibernode.db"; tui_keys a Enter
wait_for a "Mitra hanya dapat menyimpan di folder"
tui_keys a Escape
wait_gone a "Ekspor rekap tagihan"
[ "$(sum "$FIBERNODE_DB")" = "$BEFORE" ] || fail "the database was modified"
head -c 16 "$FIBERNODE_DB" | grep -q "SQLite format 3" || fail "the database is no longer SQLite"

# choosing XLSX changes the proposed name's extension
tui_keys a E
wait_for a "Ekspor rekap tagihan"
tui_keys a Enter; tui_keys a Enter; tui_keys a Right
wait_for a ".xlsx"
tui_keys a Escape
wait_gone a "Ekspor rekap tagihan"

# the superadmin may choose a path, but never the database
tui_start b --db "$FIBERNODE_DB"
wait_for b "Nama pengguna"
tui_type b superadmin; tui_keys b Enter; tui_type b 'Admin123!'; tui_keys b Enter
wait_for b "superadmin ("
tui_keys b 4
wait_for b "w:Mitra"
tui_keys b E
wait_for b "Ekspor rekap tagihan"
tui_keys b Enter; tui_keys b Enter; tui_keys b Enter
tui_keys b C-u; tui_type b "${FIBERNODE_DB%.db}.csv"; tui_keys b Enter
wait_for b "diekspor ke ${FIBERNODE_DB%.db}.csv"
[ "$(stat -c %a "${FIBERNODE_DB%.db}.csv")" = "600" ] || fail "export is not 0600 under umask 022"
# -wal name (SQLite would read it as the database's log) and the database itself
ln -s "$FIBERNODE_DB" "$E2E_TMP/link.csv"
tui_keys b E
wait_for b "Ekspor rekap tagihan"
tui_keys b Enter; tui_keys b Enter; tui_keys b Enter
tui_keys b C-u; tui_type b "$E2E_TMP/link.csv"; tui_keys b Enter
wait_for b "tautan simbolik"
# an existing file: asked first; "n" keeps it, "y" replaces it
echo "old" > "$E2E_TMP/old.csv"
tui_keys b C-u; tui_type b "$E2E_TMP/old.csv"; tui_keys b Enter
wait_for b "sudah ada. Timpa"
tui_keys b n
wait_gone b "sudah ada. Timpa"
[ "$(cat "$E2E_TMP/old.csv")" = "old" ] || fail "replaced without a yes"
tui_keys b E
wait_for b "Ekspor rekap tagihan"
tui_keys b Enter; tui_keys b Enter; tui_keys b Enter
tui_keys b C-u; tui_type b "$E2E_TMP/old.csv"; tui_keys b Enter
wait_for b "sudah ada. Timpa"
tui_keys b y
wait_for b "diekspor ke $E2E_TMP/old.csv"
grep -q "TOTAL" "$E2E_TMP/old.csv" || fail "not replaced after yes"
[ "$(sum "$FIBERNODE_DB")" = "$BEFORE" ] || fail "the database was modified"
echo ok
