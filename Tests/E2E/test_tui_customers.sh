#!/usr/bin/env bash
# mitra1 adds a customer and edits a discount but cannot change a name; search narrows
# the list while typing; superadmin imports the example CSV through the preview.
source "$(dirname "$0")/lib.sh"
e2e_setup
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"

tui_start m1 --db "$FIBERNODE_DB"
wait_for m1 "Nama pengguna"
tui_type m1 "mitra1"; tui_keys m1 Enter; tui_type m1 'Mitra123!'; tui_keys m1 Enter
wait_for m1 "mitra1 (Mitra)"
tui_keys m1 2
wait_for m1 "PLG-000002"
assert_not_contains "$(screen m1)" "Rudi Hartono"
# add a customer
tui_keys m1 a
wait_for m1 "Tambah pelanggan"
tui_type m1 "Joko Anwar"; tui_keys m1 Tab
tui_type m1 "0812-5555-0001"; tui_keys m1 Tab
tui_keys m1 Right Tab            # package: next one (Paket 20 Mbps)
tui_keys m1 C-u; tui_type m1 "12"; tui_keys m1 F2
wait_for m1 "ditambahkan"
wait_for m1 "Joko Anwar"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT c.phone || '|' || c.billing_date || '|' || u.username FROM customers c JOIN users u ON u.id = c.owner_id WHERE c.name = 'Joko Anwar'")" "6281255550001|12|mitra1"
# bad input gets a message and changes nothing
tui_keys m1 a
wait_for m1 "Tambah pelanggan"
tui_type m1 "Salah Nomor"; tui_keys m1 Tab; tui_type m1 "12345"; tui_keys m1 F2
wait_for m1 "Nomor telepon tidak valid"
tui_keys m1 Escape
wait_gone m1 "Tambah pelanggan"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT count(*) FROM customers WHERE name = 'Salah Nomor'")" "0"
# search narrows while typing
tui_keys m1 /
tui_type m1 "jo"
wait_gone m1 "Dewi Lestari"
assert_contains "$(screen m1)" "Joko Anwar"
tui_keys m1 Escape
wait_for m1 "Dewi Lestari"
# edit: name is read-only for a mitra, discount is editable
tui_keys m1 Home
tui_type m1 "/"; tui_type m1 "dewi"; tui_keys m1 Enter
wait_gone m1 "Joko Anwar"
tui_keys m1 e
wait_for m1 "Ubah pelanggan PLG-000002"
assert_contains "$(screen m1)" "Mitra hanya dapat mengubah telepon dan diskon."
tui_type m1 "X"              # focus is on the phone (name is read-only): typing goes there
tui_keys m1 BSpace Tab
tui_keys m1 C-u; tui_type m1 "25000"; tui_keys m1 F2
wait_for m1 "disimpan"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT name || '|' || discount || '|' || total_bill FROM customers WHERE code = 'PLG-000002'")" "Dewi Lestari|25000|125000"
tui_keys m1 F10; wait_for m1 "Keluar dari FiberNode?"; tui_keys m1 y; wait_exit m1

# superadmin: import through the preview
tui_start sa --db "$FIBERNODE_DB"
wait_for sa "Nama pengguna"
tui_type sa "superadmin"; tui_keys sa Enter; tui_type sa 'Admin123!'; tui_keys sa Enter
wait_for sa "superadmin (Superadmin)"
tui_keys sa 2
wait_for sa "Rudi Hartono"
tui_keys sa i
wait_for sa "Impor pelanggan dari CSV"
tui_type sa "$PWD/Resources/customers-example.csv"; tui_keys sa Enter
wait_for sa "Pratinjau impor: 8 valid, 0 ditolak"
assert_eq "$(sqlite3 "$FIBERNODE_DB" 'SELECT count(*) FROM customers')" "4"
tui_keys sa Enter
wait_for sa "8 baris diimpor, 0 ditolak."
assert_eq "$(sqlite3 "$FIBERNODE_DB" 'SELECT count(*) FROM customers')" "12"
# the same file again: every row rejected in the preview, nothing imported
tui_keys sa i
wait_for sa "Impor pelanggan dari CSV"
tui_type sa "$PWD/Resources/customers-example.csv"; tui_keys sa Enter
wait_for sa "Pratinjau impor: 0 valid, 8 ditolak"
assert_contains "$(screen sa)" "nomor telepon sudah terdaftar"
tui_keys sa Escape
wait_gone sa "Pratinjau impor"
assert_eq "$(sqlite3 "$FIBERNODE_DB" 'SELECT count(*) FROM customers')" "12"
tui_keys sa q; wait_for sa "Keluar dari FiberNode?"; tui_keys sa Enter; wait_exit sa
assert_eq "$(sqlite3 "$FIBERNODE_DB" 'PRAGMA integrity_check')" "ok"
e2e_done
