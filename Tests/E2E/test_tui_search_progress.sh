#!/usr/bin/env bash
# Issue 13: in Tagihan an invoice is found by typing its number and paid from its row (with a
# reference); generating invoices for a few thousand customers shows its progress (count of
# total, then done) and the screen answers meanwhile.
source "$(dirname "$0")/lib.sh"
e2e_setup
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"
CSV="$E2E_TMP/banyak.csv"
{
  echo "nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar,nik,tanggal_register"
  for i in $(seq 1 4000); do
    printf 'Uji Cari %04d,62813%07d,0,%d,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15\n' "$i" "$i" $(( (i % 28) + 1 ))
  done
} >"$CSV"
FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin --json import customers "$CSV" >"$E2E_TMP/imp.json" \
  || fail "import failed"
assert_contains "$(cat "$E2E_TMP/imp.json")" '"imported":4000'
NEXT=$(TZ=Asia/Jakarta date -d "$(TZ=Asia/Jakarta date +%Y-%m-15) +1 month" +%Y-%m)
TOTAL=$(sqlite3 "$FIBERNODE_DB" "SELECT count(*) FROM customers WHERE deleted_at IS NULL AND status = 'active'")

tui_start a --db "$FIBERNODE_DB"
wait_for a "Nama pengguna"
tui_type a superadmin; tui_keys a Enter; tui_type a 'Admin123!'; tui_keys a Enter
wait_for a "superadmin ("
tui_keys a 3
wait_for a "Tagihan"

# generate: the progress dialog counts the customers, then says it is done
tui_keys a g
wait_for a "Buat tagihan"
tui_keys a F2
wait_for a "Lanjutkan?"
tui_keys a y
wait_for a "Membuat tagihan"
wait_for a "Selesai:" 60
GROUPED=$(echo "$TOTAL" | sed ':a;s/\B[0-9]\{3\}\b/.&/;ta')   # 4003 → 4.003
assert_contains "$(screen a)" "$GROUPED dari $GROUPED"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT count(*) FROM invoices WHERE period = '$NEXT'")" "$TOTAL"
tui_keys a Escape
wait_for a "tagihan dibuat"

# search an invoice by its number and pay it from the row
NUM="INV-${NEXT/-/}-002345"
tui_keys a /
wait_for a "Cari: _"
tui_type a "$NUM"
wait_for a "Cari: $NUM"
wait_for a "Uji Cari 2342"   # PLG-002345 is the 2,342nd imported (three demo customers first)
assert_not_contains "$(screen a)" "INV-${NEXT/-/}-002344"
tui_keys a Enter
tui_keys a p
wait_for a "Bayar $NUM"
tui_keys a Tab; tui_keys a Tab; tui_type a "BRI-9001"; tui_keys a F2
wait_for a "ditandai lunas"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT i.status || '|' || p.reference FROM invoices i JOIN payments p ON p.invoice_id = i.id WHERE i.number = '$NUM'")" "paid|BRI-9001"
tui_keys a F10; wait_for a "Keluar dari FiberNode?"; tui_keys a y; wait_exit a
e2e_done
