#!/usr/bin/env bash
# A promise to pay in the customer detail (issue 14): key j, a date and a note; a date in the
# past is refused with a reason and nothing changes; the detail says how a customer was isolated.
source "$(dirname "$0")/lib.sh"
e2e_setup
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"
IN5=$(TZ=Asia/Jakarta date -d "+5 days" +%F)
FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin customers isolate PLG-000002 >/dev/null 2>&1 || fail "isolate"

tui_start a --db "$FIBERNODE_DB"
wait_for a "Nama pengguna"
tui_type a mitra1; tui_keys a Enter; tui_type a 'Mitra123!'; tui_keys a Enter
wait_for a "mitra1 ("
tui_keys a 2; wait_for a "PLG-000001"
tui_keys a Enter
wait_for a "Janji bayar"
assert_contains "$(screen a)" "Ahmad Fauzi"
tui_keys a j
wait_for a "Janji bayar Ahmad Fauzi"
tui_keys a C-u; tui_type a "2020-01-01"; tui_keys a F2
wait_for a "Sampai tanggal tidak valid"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT coalesce(promise_until, '-') FROM customers WHERE code = 'PLG-000001'")" "-"
tui_keys a C-u; tui_type a "$IN5"; tui_keys a Down; tui_type a "gajian tanggal 25"; tui_keys a F2
wait_for a "isolir otomatis menunggu"
wait_for a "gajian tanggal 25"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT promise_until || '|' || promise_note FROM customers WHERE code = 'PLG-000001'")" "$IN5|gajian tanggal 25"
tui_keys a Escape
# Dewi was isolated by hand: the detail says a person restores it
tui_keys a Down; tui_keys a Enter
wait_for a "Dewi Lestari"
wait_for a "terisolir (manual"
tui_keys a Escape
tui_keys a F10; wait_for a "Keluar dari FiberNode?"; tui_keys a y; wait_exit a
e2e_done
