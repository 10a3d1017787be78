#!/usr/bin/env bash
# The payment ledger through the CLI (issue 14): pay with a reference and Indonesian method
# names, partial payments, payments list / void, unpay voids all, finance collected, export.
source "$(dirname "$0")/lib.sh"
e2e_setup
DB="$FIBERNODE_DB"
"$FN_BIN" --db "$DB" demo >/dev/null || fail "demo"
export FIBERNODE_PASSWORD='Admin123!'
"$FN_BIN" --db "$DB" --user superadmin invoices generate --period 2027-01 >/dev/null || fail "generate"
M1() { FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$DB" --user mitra1 "$@"; }
M2() { FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$DB" --user mitra2 "$@"; }

# two partial payments, the second with a reference and an Indonesian method name
out=$(M1 --json invoices pay INV-202701-000002 --method tunai --amount 40000 --expect-version 1)
assert_contains "$out" '"status":"partial"'
assert_contains "$out" '"method":"cash"'
out=$(M1 --json invoices pay INV-202701-000002 --method transfer --reference "BCA 0042 7781" --expect-version 2)
assert_contains "$out" '"status":"paid"'
assert_contains "$out" '"reference":"BCA 0042 7781"'
M1 invoices pay INV-202701-000002 --method qris 2>"$E2E_TMP/err"; assert_eq "$?" "4"          # already paid
M1 invoices pay INV-202701-000001 --method kripto 2>"$E2E_TMP/err"; assert_eq "$?" "2"
assert_contains "$(cat "$E2E_TMP/err")" "tunai"
M1 invoices pay INV-202701-000001 --amount 999999 2>/dev/null; assert_eq "$?" "2"             # overpayment refused
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE i.number = 'INV-202701-000001'")" "0"
M1 --json invoices pay INV-202701-000001 --method e-wallet >/dev/null || fail "e-wallet"

# payments list: the user's scope, JSON fields of CLI.md
list=$(M1 --json payments list --invoice INV-202701-000002)
python3 - "$list" <<'PY' || fail "payments list json"
import json, sys
rows = json.loads(sys.argv[1])
assert len(rows) == 2, rows
for r in rows:
    for k in ("id", "invoice", "amount", "method", "reference", "paid_at", "recorded_by", "voided"):
        assert k in r, (k, r)
assert sorted(r["amount"] for r in rows) == [40000, 100000], rows
assert all(r["voided"] is False for r in rows)
PY
assert_eq "$(M2 --json payments list)" "[]"
M2 payments list --invoice INV-202701-000002 2>/dev/null; assert_eq "$?" "3"
assert_contains "$(M1 payments list)" "BCA 0042 7781"

# void one payment: kept, marked; the invoice goes back to partial
PID=$(M1 --json payments list --invoice INV-202701-000002 | python3 -c 'import sys,json; print([r for r in json.load(sys.stdin) if r["amount"]==40000][0]["id"])')
M1 payments void "$PID" 2>/dev/null; assert_eq "$?" "2"                                       # --reason required
M1 payments void "$PID" --reason "" 2>/dev/null; assert_eq "$?" "2"
M2 payments void "$PID" --reason "bukan punyaku" 2>/dev/null; assert_eq "$?" "2"             # not visible to mitra2
M1 payments void "$PID" --reason "uang palsu" --expect-version 1 2>/dev/null; assert_eq "$?" "4"
out=$(M1 --json payments void "$PID" --reason "uang palsu")
assert_contains "$out" '"status":"partial"'
assert_contains "$out" '"paid_amount":100000'
M1 payments void "$PID" --reason "lagi" 2>/dev/null; assert_eq "$?" "4"
assert_eq "$(sqlite3 "$DB" "SELECT void_reason FROM payments WHERE id = '$PID'")" "uang palsu"
assert_contains "$(M1 --json payments list --invoice INV-202701-000002)" '"voided":true'

# unpay voids all of them
M1 invoices unpay INV-202701-000002 --reason "salah pelanggan" >/dev/null || fail "unpay"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE i.number = 'INV-202701-000002' AND p.voided_at IS NULL")" "0"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE i.number = 'INV-202701-000002'")" "2"

# finance collected: by payment date, voids excluded, scoped
TODAY=$(sqlite3 "$DB" "SELECT max(paid_on) FROM payments")
c=$("$FN_BIN" --db "$DB" --user superadmin --json finance collected --from "$TODAY" --to "$TODAY")
python3 - "$c" <<'PY' || fail "collected json"
import json, sys
c = json.loads(sys.argv[1])
assert c["total"] == 100000 and c["count"] == 1, c          # only INV-…1 (100.000, e-wallet) is live
assert c["by_method"] == {"ewallet": 100000}, c
assert [o["owner"] for o in c["by_owner"]] == ["WiFi Sukamaju"], c
PY
assert_contains "$(M2 --json finance collected --from "$TODAY" --to "$TODAY")" '"total":0'
M2 finance collected --from "$TODAY" --to "$TODAY" --owner "WiFi Sukamaju" 2>/dev/null; assert_eq "$?" "3"
"$FN_BIN" --db "$DB" --user superadmin finance collected --from 2027-02-01 --to 2027-01-01 2>/dev/null; assert_eq "$?" "2"
"$FN_BIN" --db "$DB" --user superadmin finance collected --from 2027-1-1 --to 2027-01-31 2>/dev/null; assert_eq "$?" "2"
assert_contains "$("$FN_BIN" --db "$DB" --user superadmin finance collected --from "$TODAY" --to "$TODAY")" "Rp 100.000"

# export payments by payment date (the invoice export's writers)
"$FN_BIN" --db "$DB" --user superadmin --json export payments --from "$TODAY" --to "$TODAY" -o "$E2E_TMP/p.csv" > "$E2E_TMP/x" || fail "export"
assert_contains "$(cat "$E2E_TMP/x")" '"total":100000'
assert_eq "$(head -1 "$E2E_TMP/p.csv" | cut -d, -f1-3)" "tanggal_bayar,waktu_bayar,nota"
assert_eq "$(grep -c 'INV-202701-' "$E2E_TMP/p.csv")" "3"
"$FN_BIN" --db "$DB" --user superadmin export payments --from "$TODAY" --to "$TODAY" --format xlsx -o "$E2E_TMP/p.xlsx" >/dev/null || fail "xlsx"
assert_eq "$(head -c 2 "$E2E_TMP/p.xlsx")" "PK"

# the receipt lists the payments
TOKEN=$(sqlite3 "$DB" "SELECT receipt_token FROM invoices WHERE number='INV-202701-000001'")
assert_contains "$("$FN_BIN" --db "$DB" receipt "$TOKEN")" "Pembayaran"
assert_eq "$(sqlite3 "$DB" 'PRAGMA integrity_check')" "ok"
e2e_done
