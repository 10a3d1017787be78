#!/usr/bin/env bash
# mitra1 logs in, sees no superadmin pane, jumps panes with digits and quits;
# superadmin sees every pane.
source "$(dirname "$0")/lib.sh"
e2e_setup
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"

tui_start m1 --db "$FIBERNODE_DB"
wait_for m1 "Nama pengguna"
tui_type m1 "mitra1"; tui_keys m1 Enter
tui_type m1 'Mitra123!'; tui_keys m1 Enter
wait_for m1 "mitra1 (Mitra)"
menu=$(screen m1 | cut -c1-15 | grep -E '^ [0-9] ' | sed 's/ *$//' | tr '\n' '|')
assert_eq "$menu" " 1 Dasbor| 2 Pelanggan| 3 Tagihan| 4 Keuangan| 5 WhatsApp| 6 Profil| 7 Router|"
assert_not_contains "$(screen m1)" "Pengaturan"
# digits jump; 8 and 9 reach nothing for a mitra (7 is its read-only Router pane)
tui_keys m1 6
wait_for m1 "Nama usaha"
assert_contains "$(screen m1)" "WiFi Sukamaju"
tui_keys m1 8
settle m1
assert_contains "$(screen m1)" "Nama usaha"
tui_keys m1 2
wait_for m1 "PLG-000001"
# help lists the keys of the pane
tui_keys m1 '?'
wait_for m1 "Semua panel"
tui_keys m1 Escape
wait_gone m1 "Semua panel"
# quit asks first
tui_keys m1 q
wait_for m1 "Keluar dari FiberNode?"
tui_keys m1 n
wait_gone m1 "Keluar dari FiberNode?"
tui_keys m1 q
wait_for m1 "Keluar dari FiberNode?"
tui_keys m1 y
wait_exit m1

tui_start sa --db "$FIBERNODE_DB"
wait_for sa "Nama pengguna"
tui_type sa "superadmin"; tui_keys sa Tab
tui_type sa 'Admin123!'; tui_keys sa Enter
wait_for sa "superadmin (Superadmin)"
menu=$(screen sa | cut -c1-15 | grep -E '^ [0-9] ' | sed 's/ *$//' | tr '\n' '|')
assert_eq "$menu" " 1 Dasbor| 2 Pelanggan| 3 Tagihan| 4 Keuangan| 5 WhatsApp| 6 Mitra| 7 Paket| 8 Pengaturan| 9 Profil|"
tui_keys sa 8
wait_for sa "Zona waktu"
tui_keys sa F10
wait_for sa "Keluar dari FiberNode?"
tui_keys sa Enter
wait_exit sa
e2e_done
