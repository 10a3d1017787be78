#!/usr/bin/env bash
# The superadmin changes the business name in the Settings pane: the header shows it at once,
# a receipt (CLI and the Tagihan pane) carries it; a secret is masked on screen; the audit
# view shows the change; a mitra never sees any of it.
source "$(dirname "$0")/lib.sh"
e2e_setup
DB="$FIBERNODE_DB"
"$FN_BIN" --db "$DB" demo >/dev/null || fail "demo"
export FIBERNODE_PASSWORD='Admin123!'
"$FN_BIN" --db "$DB" --user superadmin invoices generate >/dev/null || fail "generate"
NUM=$(sqlite3 "$DB" "SELECT number FROM invoices ORDER BY number LIMIT 1")
"$FN_BIN" --db "$DB" --user superadmin invoices pay "$NUM" --method cash >/dev/null || fail "pay"
TOKEN=$(sqlite3 "$DB" "SELECT receipt_token FROM invoices WHERE number='$NUM'")
"$FN_BIN" --db "$DB" --user superadmin settings set wa.waha.api_key 'KUNCI-RAHASIA-1' >/dev/null || fail "set key"
assert_not_contains "$("$FN_BIN" --db "$DB" receipt "$TOKEN" --width 48)" "Jaya Net"

login() { # NAME USER PASSWORD
  tui_start "$1" --db "$DB"
  wait_for "$1" "Nama pengguna"
  tui_type "$1" "$2"; tui_keys "$1" Enter; tui_type "$1" "$3"; tui_keys "$1" Enter
  wait_for "$1" "$2 ("
}
login a superadmin 'Admin123!'
tui_keys a 8
wait_for a "── Usaha & tampilan"
wait_for a "Bawaan: FiberNode Internet"
# app.name → app.logo → business.name
tui_keys a j; tui_keys a j
wait_for a "Bawaan: —"
tui_keys a Enter
wait_for a "Ubah Nama usaha"
tui_type a "Jaya Net"; tui_keys a Enter
wait_for a "Pengaturan Nama usaha disimpan."
assert_contains "$(screen a | head -1)" "FiberNode Internet · Jaya Net"
assert_eq "$(sqlite3 "$DB" "SELECT value FROM settings WHERE key='business.name'")" "Jaya Net"
# the secret is masked
assert_not_contains "$(screen a)" "KUNCI-RAHASIA"
for _ in $(seq 1 20); do tui_keys a j; done
wait_for a "WAHA: kunci API"
assert_contains "$(screen a)" "••••••••"
assert_not_contains "$(screen a)" "KUNCI-RAHASIA"
# the audit view shows the change, newest first, with before → after
tui_keys a A
wait_for a "Baris 1–"
wait_for a "Pengaturan diubah"
tui_keys a Enter
wait_for a "Detail aktivitas"
assert_contains "$(screen a)" "Jaya Net"
assert_contains "$(screen a)" "Sesudah"
tui_keys a Escape; wait_gone a "Detail aktivitas"
tui_keys a Escape; wait_for a "Zona waktu"

# the receipt: from the CLI and in the Tagihan pane
R=$("$FN_BIN" --db "$DB" receipt "$TOKEN" --width 48)
assert_contains "$R" "Jaya Net"
assert_contains "$R" "NOTA PEMBAYARAN"
tui_keys a 3
wait_for a "$NUM"
tui_keys a Enter
wait_for a "NOTA PEMBAYARAN"
wait_for a "Jaya Net"
tui_keys a Escape

# another terminal that logs in later sees the new name in its header too
login b superadmin 'Admin123!'
assert_contains "$(screen b | head -1)" "Jaya Net"

# a mitra has no Settings pane and no key reaches the audit view
login m mitra1 'Mitra123!'
for k in 8 a l b; do tui_keys m "$k"; done
settle m
assert_not_contains "$(screen m)" "Pengaturan"
assert_not_contains "$(screen m)" "settings.update"
assert_not_contains "$(screen m)" "Pengaturan di"
assert_not_contains "$(screen m)" "Cadangan"
for t in a b m; do tui_keys $t F10; wait_for $t "Keluar dari FiberNode?"; tui_keys $t y; wait_exit $t; done
e2e_done
