#!/usr/bin/env bash
# Issue 17: in Pelanggan a search matching more than 2,000 customers over every owner is listed
# by code straight from the full-text index, and the footer says "lebih dari 2.000 pelanggan
# cocok"; typing more narrows it to an exact count in name order again.
source "$(dirname "$0")/lib.sh"
e2e_setup
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"
CSV="$E2E_TMP/banyak.csv"
{
  echo "nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar,nik,tanggal_register"
  # names run backwards against the codes: by name the last code comes first
  for i in $(seq 1 2500); do
    printf 'Warga Luas %04d,62813%07d,0,%d,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15\n' "$((3000 - i))" "$i" $(( (i % 28) + 1 ))
  done
} >"$CSV"
FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin --json import customers "$CSV" >"$E2E_TMP/imp.json" \
  || fail "import failed"
assert_contains "$(cat "$E2E_TMP/imp.json")" '"imported":2500'
FIRST=$(sqlite3 "$FIBERNODE_DB" "SELECT code FROM customers WHERE name LIKE 'Warga Luas%' ORDER BY no LIMIT 1")

tui_start a --db "$FIBERNODE_DB"
wait_for a "Nama pengguna"
tui_type a superadmin; tui_keys a Enter; tui_type a 'Admin123!'; tui_keys a Enter
wait_for a "superadmin ("
tui_keys a 2
wait_for a "PLG-"
tui_keys a /
wait_for a "Cari:"
tui_type a "luas"
wait_for a "lebih dari 2.000 cocok · urut kode · ketik lebih banyak" 10
assert_contains "$(screen a)" "$FIRST"
# narrower: back to an exact count and name order
tui_type a " 10"
wait_for a "Cari: luas 10"
wait_for a " pelanggan · baris " 10
assert_not_contains "$(screen a)" "lebih dari"
tui_keys a Escape
tui_keys a F10; wait_for a "Keluar dari FiberNode?"; tui_keys a y; wait_exit a
e2e_done
