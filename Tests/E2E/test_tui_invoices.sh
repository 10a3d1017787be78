#!/usr/bin/env bash
# mitra1 marks an invoice paid from the list: the status and the footer totals change;
# a second terminal still showing the old version is refused and nothing is written.
source "$(dirname "$0")/lib.sh"
e2e_setup
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"
NEXT=$(TZ=Asia/Jakarta date -d "$(TZ=Asia/Jakarta date +%Y-%m-15) +1 month" +%Y-%m)
FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin invoices generate >/dev/null || fail "generate"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT count(*) FROM invoices WHERE period = '$NEXT'")" "3"

login() { # NAME USER PASSWORD
  tui_start "$1" --db "$FIBERNODE_DB"
  wait_for "$1" "Nama pengguna"
  tui_type "$1" "$2"; tui_keys "$1" Enter; tui_type "$1" "$3"; tui_keys "$1" Enter
  wait_for "$1" "$2 ("
}
login a mitra1 'Mitra123!'
login b mitra1 'Mitra123!'
for t in a b; do tui_keys $t 3; wait_for $t "INV-"; done
assert_contains "$(screen a)" "2 tagihan · total Rp 240.000 · terbayar Rp 0 · belum Rp 240.000"
assert_not_contains "$(screen a)" "Rudi Hartono"

# terminal b opens the payment form first (holding version 1)
tui_keys b p
wait_for b "Bayar INV-"
# terminal a pays the first invoice in full
tui_keys a p
wait_for a "Bayar INV-"
tui_keys a F2
wait_for a "ditandai lunas"
wait_for a "terbayar Rp 100.000 · belum Rp 140.000"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT status || '|' || version FROM invoices WHERE number = 'INV-${NEXT/-/}-000001'")" "paid|2"
# terminal b submits the stale form: refused, nothing written
tui_keys b C-u; tui_type b "50000"; tui_keys b F2
wait_for b "Data sudah diubah oleh pengguna lain, silakan muat ulang."
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT status || '|' || paid_amount || '|' || version FROM invoices WHERE number = 'INV-${NEXT/-/}-000001'")" "paid|100000|2"
tui_keys b Escape
wait_for b "terbayar Rp 100.000"
# the receipt of the paid invoice
tui_keys a Enter
wait_for a "NOTA PEMBAYARAN"
tui_keys a NPage                      # the receipt now lists the payments above the stamp
wait_for a "LUNAS"
tui_keys a Escape
# unpay needs a reason
tui_keys a u
wait_for a "Batalkan pembayaran"
tui_keys a F2
wait_for a "wajib diisi"
tui_type a "salah pelanggan"; tui_keys a F2
wait_for a "ditandai belum bayar"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT status || '|' || unpaid_reason FROM invoices WHERE number = 'INV-${NEXT/-/}-000001'")" "unpaid|salah pelanggan"
for t in a b; do tui_keys $t F10; wait_for $t "Keluar dari FiberNode?"; tui_keys $t y; wait_exit $t; done
e2e_done
