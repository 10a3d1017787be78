#!/usr/bin/env bash
# `fibernode demo --history MONTHS` and `make run`'s first start (issue 13 item 10): months
# of invoices, payments and messages made by the real use cases; a bad length writes nothing;
# the TUI opened with --demo-if-missing shows money, invoices and charts, not zeros.
source "$(dirname "$0")/lib.sh"
e2e_setup
H="$E2E_TMP/h.db"
out=$("$FN_BIN" --db "$H" --json demo --history 3) || fail "demo --history: $out"
for k in customers invoices payments messages; do
  n=$(printf '%s' "$out" | python3 -c "import sys,json; print(json.load(sys.stdin)['$k'])")
  [ "$n" -gt 0 ] || fail "$k is $n"
done
assert_eq "$(stat -c %a "$H")" "600"
# the ledger and the invoices agree, and the plain seed is still the spec's
assert_eq "$(sqlite3 "$H" "SELECT count(*) FROM invoices i WHERE paid_amount != (SELECT coalesce(sum(amount),0) FROM payments p WHERE p.invoice_id = i.id AND p.voided_at IS NULL)")" "0"
assert_eq "$(sqlite3 "$H" "SELECT group_concat(username, ',') FROM (SELECT username FROM users ORDER BY username)")" "mitra1,mitra2,superadmin"
# a length out of range: exit 2, nothing created
"$FN_BIN" --db "$E2E_TMP/bad.db" demo --history 0 2>"$E2E_TMP/err"; assert_eq "$?" "2"
[ ! -e "$E2E_TMP/bad.db" ] || fail "a refused demo left a file"
assert_contains "$(cat "$E2E_TMP/err")" "history"
# an existing database is never replaced
"$FN_BIN" --db "$H" demo --history 2 >/dev/null 2>&1 && fail "demo --history over an existing database"

# make run's first start: the TUI creates the history demo itself and shows what happened
rm -f "$FIBERNODE_DB"
tui_start a --demo-if-missing
wait_for a "Nama pengguna" 60
tui_type a superadmin; tui_keys a Enter; tui_type a 'Admin123!'; tui_keys a Enter
wait_for a "Dasbor"
wait_for a "bulan ini Rp"
assert_not_contains "$(screen a)" "bulan ini Rp 0 "
tui_keys a 3; wait_for a "INV-"
tui_keys a F10; wait_for a "Keluar dari FiberNode?"; tui_keys a y; wait_exit a
e2e_done
