#!/usr/bin/env bash
# One phone number for several connections of a household (issue 14 §5): the import takes a
# second name on a used number with a warning on stderr and in --json; the same name and
# number again is still rejected, so a file imports once.
source "$(dirname "$0")/lib.sh"
e2e_setup
DB="$FIBERNODE_DB"
"$FN_BIN" --db "$DB" demo >/dev/null || fail "demo"
export FIBERNODE_PASSWORD='Admin123!'
{ echo "nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar,nik,tanggal_register"
  echo "Ahmad Kios,6281234567890,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15"
  echo "Ahmad Fauzi,6281234567890,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15"; } > "$E2E_TMP/h.csv"
"$FN_BIN" --db "$DB" --user superadmin import customers "$E2E_TMP/h.csv" >"$E2E_TMP/out" 2>"$E2E_TMP/err" || fail "import"
assert_contains "$(cat "$E2E_TMP/err")" "h.csv:2: peringatan: nomor telepon juga dipakai pelanggan terdaftar"
assert_contains "$(cat "$E2E_TMP/err")" "1 baris dengan peringatan"
assert_contains "$(cat "$E2E_TMP/out")" "1 baris diimpor, 1 ditolak."
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM customers WHERE phone='6281234567890'")" "2"
out=$("$FN_BIN" --db "$DB" --user superadmin --json import customers "$E2E_TMP/h.csv" --dry-run 2>/dev/null) || fail "json"
assert_contains "$out" '"warnings":0'
assert_contains "$out" '"rejected":2'
e2e_done
