#!/usr/bin/env bash
# invoices generate / list / pay / unpay, customers isolate, receipt and serve through the CLI,
# including two processes generating at once.
source "$(dirname "$0")/lib.sh"
e2e_setup
DB="$FIBERNODE_DB"
"$FN_BIN" --db "$DB" demo >/dev/null || fail "demo"
export FIBERNODE_PASSWORD='Admin123!'
# add customers so two generators overlap
for n in $(seq 1 150); do
  printf 'Warga %s,62813%08d,0,%d,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-01\n' "$n" "$n" $(( n % 28 + 1 ))
done | { echo "nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar,nik,tanggal_register"; cat; } > "$E2E_TMP/many.csv"
"$FN_BIN" --db "$DB" --user superadmin import customers "$E2E_TMP/many.csv" >/dev/null || fail "import"
"$FN_BIN" --db "$DB" --user superadmin --json invoices generate --period 2027-01 > "$E2E_TMP/g1" &
"$FN_BIN" --db "$DB" --user superadmin --json invoices generate --period 2027-01 > "$E2E_TMP/g2" &
wait
total=$(cat "$E2E_TMP/g1" "$E2E_TMP/g2" | python3 -c 'import sys,json; print(sum(json.loads(l)["created"] for l in sys.stdin))')
assert_eq "$total" "153"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM invoices WHERE period='2027-01'")" "153"
assert_eq "$(sqlite3 "$DB" "SELECT due_date FROM invoices WHERE number='INV-202701-000001'")" "2026-12-05"
"$FN_BIN" --db "$DB" --user superadmin invoices generate --period 2027-13 2>/dev/null; assert_eq "$?" "2"

# pay with the optimistic lock
"$FN_BIN" --db "$DB" --user superadmin invoices pay INV-202701-000001 --expect-version 7 2>"$E2E_TMP/err"; assert_eq "$?" "4"
assert_contains "$(cat "$E2E_TMP/err")" "Data sudah diubah oleh pengguna lain"
out=$("$FN_BIN" --db "$DB" --user superadmin --json invoices pay INV-202701-000001 --method qris --amount 60000 --expect-version 1)
assert_contains "$out" '"status":"partial"'
assert_contains "$out" '"version":2'
"$FN_BIN" --db "$DB" --user superadmin invoices pay INV-202701-000001 --method bitcoin 2>/dev/null; assert_eq "$?" "2"
FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$DB" --user mitra2 invoices pay INV-202701-000001 2>/dev/null; assert_eq "$?" "3"
"$FN_BIN" --db "$DB" --user superadmin invoices pay INV-202701-000001 >"$E2E_TMP/out" 2>"$E2E_TMP/err" || fail "pay rest"
# With no gateway the payment reads as done and the receipt as not sent (never "Ditolak"), with
# how to send it by hand after the sentence (issue 13 item 9).
assert_contains "$(cat "$E2E_TMP/out")" "INV-202701-000001"
assert_contains "$(cat "$E2E_TMP/err")" "belum terkirim lewat WhatsApp"
assert_not_contains "$(cat "$E2E_TMP/err")" "Ditolak"
[ "$(head -1 "$E2E_TMP/err" | grep -c 'wa.me/')" = 0 ] || fail "the link came before the sentence"
"$FN_BIN" --db "$DB" --user superadmin invoices unpay INV-202701-000001 --reason "" 2>/dev/null; assert_eq "$?" "2"
list=$(FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$DB" --user mitra1 --json invoices list --period 2027-01 --status paid)
assert_contains "$list" '"number":"INV-202701-000001"'
assert_contains "$list" '"receipt_token":'
assert_not_contains "$(FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$DB" --user mitra2 --json invoices list)" "INV-202701-000001"

# receipt
TOKEN=$(sqlite3 "$DB" "SELECT receipt_token FROM invoices WHERE number='INV-202701-000001'")
"$FN_BIN" --db "$DB" receipt "$TOKEN" --width 32 > "$E2E_TMP/r.txt" || fail "receipt"
assert_contains "$(cat "$E2E_TMP/r.txt")" "LUNAS"
[ "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$E2E_TMP/r.txt")" -le 32 ] || fail "receipt wider than 32"
"$FN_BIN" --db "$DB" receipt "$TOKEN" --format html -o "$E2E_TMP/r.html" || fail "html receipt"
assert_contains "$(cat "$E2E_TMP/r.html")" "<!DOCTYPE html>"
"$FN_BIN" --db "$DB" receipt 0000 2>/dev/null; assert_eq "$?" "2"
# by invoice number as a user, only where the user may see it (issue 13 item 9)
"$FN_BIN" --db "$DB" --user superadmin receipt INV-202701-000001 --width 32 > "$E2E_TMP/rn.txt" || fail "receipt by number"
assert_eq "$(cat "$E2E_TMP/rn.txt")" "$(cat "$E2E_TMP/r.txt")"
FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$DB" --user mitra1 receipt inv-202701-000001 >/dev/null || fail "own receipt by number"
FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$DB" --user mitra2 receipt INV-202701-000001 >/dev/null 2>&1; assert_eq "$?" "3"
"$FN_BIN" --db "$DB" receipt INV-202701-000001 >/dev/null 2>&1; assert_eq "$?" "3"
"$FN_BIN" --db "$DB" --user superadmin receipt INV-209901-000001 >/dev/null 2>&1; assert_eq "$?" "2"
# an unpaid invoice's page is the invoice: no thanks for a payment
"$FN_BIN" --db "$DB" --user superadmin receipt INV-202701-000002 > "$E2E_TMP/ru.txt" || fail "unpaid receipt"
assert_contains "$(cat "$E2E_TMP/ru.txt")" "TAGIHAN"
assert_not_contains "$(cat "$E2E_TMP/ru.txt")" "Terima kasih"

# serve on loopback
PORT=$(( 20000 + RANDOM % 20000 ))
"$FN_BIN" --db "$DB" serve --port "$PORT" 2>/dev/null &
SPID=$!
for _ in $(seq 1 100); do curl -s "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
assert_eq "$(curl -s "http://127.0.0.1:$PORT/healthz")" "ok"
assert_eq "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/receipt/$TOKEN")" "200"
assert_eq "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/receipt/ffffffffffffffffffffffffffffffffffffffff")" "404"
assert_eq "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/")" "404"
# unpay voids the receipt page
"$FN_BIN" --db "$DB" --user superadmin invoices unpay INV-202701-000001 --reason "salah catat" >/dev/null || fail "unpay"
assert_contains "$(curl -s "http://127.0.0.1:$PORT/receipt/$TOKEN")" "DIBATALKAN"
kill "$SPID"; wait "$SPID" 2>/dev/null

# isolation
"$FN_BIN" --db "$DB" --user superadmin customers isolate PLG-000001 >/dev/null || fail "isolate"
FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$DB" --user mitra1 customers isolate PLG-000002 2>/dev/null; assert_eq "$?" "3"
"$FN_BIN" --db "$DB" --user superadmin --json invoices generate --period 2027-02 > "$E2E_TMP/g3"
assert_contains "$(cat "$E2E_TMP/g3")" '"created":152'
"$FN_BIN" --db "$DB" --user superadmin customers unisolate PLG-000001 >/dev/null || fail "unisolate"

# daily job: twice is safe
out=$("$FN_BIN" --db "$DB" --json jobs daily --date 2027-02-04)
assert_contains "$out" '"billing_day":5'
assert_contains "$out" '"period":"2027-03"'
assert_contains "$("$FN_BIN" --db "$DB" --json jobs daily --date 2027-02-04)" '"created":0'
assert_eq "$(sqlite3 "$DB" 'PRAGMA integrity_check')" "ok"
e2e_done
