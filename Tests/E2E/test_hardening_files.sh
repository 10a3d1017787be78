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

# With receipt.base_url set, a mitra's export offers a one-time link served by `serve`.
PORT=$(( 20000 + RANDOM % 20000 ))
FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin settings set receipt.base_url "http://127.0.0.1:$PORT" >/dev/null \
  || fail "set base_url"
"$FN_BIN" --db "$FIBERNODE_DB" serve --port "$PORT" 2>/dev/null &
SPID=$!
trap 'kill $SPID 2>/dev/null; e2e_cleanup' EXIT
for _ in $(seq 1 100); do curl -s "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
tui_start c --db "$FIBERNODE_DB"
wait_for c "Nama pengguna"
tui_type c mitra1; tui_keys c Enter; tui_type c 'Mitra123!'; tui_keys c Enter
wait_for c "mitra1 ("
tui_keys c 4
wait_for c "m:Bulan"
tui_keys c E
wait_for c "Ekspor rekap tagihan"
tui_keys c Enter; tui_keys c Enter; tui_keys c Enter
tui_keys c C-u; tui_type c "unduh.csv"; tui_keys c Enter
wait_for c "/download/"
URL=$(screen c | grep -oE "http://127.0.0.1:$PORT/download/[0-9a-f]{40}" | head -1)
[ -n "$URL" ] || fail "no link on the screen"
curl -s -o "$E2E_TMP/got.csv" -w '%{http_code}' "$URL" > "$E2E_TMP/code"
assert_eq "$(cat "$E2E_TMP/code")" "200"
cmp -s "$E2E_TMP/got.csv" "$E2E_TMP/exports/mitra1/unduh.csv" || fail "the download differs from the file"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL")" != "200" ] || fail "the link worked twice"
kill "$SPID"; wait "$SPID" 2>/dev/null
echo ok
