#!/usr/bin/env bash
# The payment ledger in the TUI (issue 14): pay part with a reference, pay the rest, the
# invoice's payments list, void one payment with a reason; Keuangan → Uang masuk.
source "$(dirname "$0")/lib.sh"
e2e_setup
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"
NEXT=$(TZ=Asia/Jakarta date -d "$(TZ=Asia/Jakarta date +%Y-%m-15) +1 month" +%Y-%m)
FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin invoices generate >/dev/null || fail "generate"
INV="INV-${NEXT/-/}-000002"    # Dewi Lestari, mitra1, Rp 140.000

tui_start a --db "$FIBERNODE_DB"
wait_for a "Nama pengguna"
tui_type a mitra1; tui_keys a Enter; tui_type a 'Mitra123!'; tui_keys a Enter
wait_for a "mitra1 ("
tui_keys a 3; wait_for a "INV-"
tui_keys a Down                       # Dewi's invoice (second by due date and number)
tui_keys a p
wait_for a "Bayar $INV"
assert_contains "$(screen a)" "Referensi"
tui_keys a Down; tui_keys a C-u; tui_type a "40000"
tui_keys a Down; tui_type a "BCA 0042 7781"
tui_keys a F2
wait_for a "ditandai terbayar"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT p.amount || '|' || p.reference FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE i.number = '$INV'")" "40000|BCA 0042 7781"
# the rest by QRIS
tui_keys a p
wait_for a "Bayar $INV"
tui_keys a Right Right; tui_keys a Down; tui_keys a Down; tui_type a "QR-991"
tui_keys a F2
wait_for a "ditandai lunas"
# the invoice's payments; void the first with a reason
tui_keys a b
wait_for a "Pembayaran $INV"
wait_for a "BCA 0042 7781"
assert_contains "$(screen a)" "QR-991"
tui_keys a x
wait_for a "Batalkan pembayaran Rp 40.000"
tui_keys a F2
wait_for a "wajib diisi"
tui_type a "uang palsu"; tui_keys a F2
wait_for a "kini terbayar"
assert_contains "$(screen a)" "dibatalkan"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT status || '|' || paid_amount FROM invoices WHERE number = '$INV'")" "partial|100000"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT void_reason FROM payments WHERE amount = 40000")" "uang palsu"
tui_keys a Escape
# the receipt lists the live payment
tui_keys a Enter
wait_for a "NOTA PEMBAYARAN"
tui_keys a NPage
wait_for a "QR-991"
tui_keys a Escape
# Keuangan → Uang masuk: today's money by day and by method
tui_keys a 4; wait_for a "Keuangan"
tui_keys a U
wait_for a "Uang masuk"
wait_for a "Uang masuk Rp 100.000 dari 1 pembayaran"
assert_contains "$(screen a)" "Per metode"
assert_contains "$(screen a)" "QRIS"
tui_keys a F10; wait_for a "Keluar dari FiberNode?"; tui_keys a y; wait_exit a
e2e_done
