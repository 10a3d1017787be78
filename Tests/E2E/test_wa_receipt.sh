#!/usr/bin/env bash
# Marking an invoice paid sends the receipt from the owner's session to the fake WAHA, with
# the right chatId and text: from the TUI (mitra1, the Tagihan pane) and from the CLI.
source "$(dirname "$0")/lib.sh"
e2e_setup
source "$(dirname "$0")/wa_lib.sh"
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"
fake_waha_start --working mitra1 --working default
use_fake_waha
admin_set receipt.base_url https://bayar.example.id
FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin invoices generate >/dev/null || fail "generate"
NEXT=$(TZ=Asia/Jakarta date -d "$(TZ=Asia/Jakarta date +%Y-%m-15) +1 month" +%Y%m)

# TUI: mitra1 pays Ahmad Fauzi's invoice; the status line reports the receipt sent.
tui_start a --db "$FIBERNODE_DB"
wait_for a "Nama pengguna"
tui_type a mitra1; tui_keys a Enter; tui_type a 'Mitra123!'; tui_keys a Enter
wait_for a "mitra1 ("
tui_keys a 3
wait_for a "INV-$NEXT-000001"
tui_keys a p
wait_for a "Bayar INV-"
tui_keys a F2
wait_for a "ditandai lunas"
wait_for a "Pesan Nota terkirim ke Ahmad Fauzi" 20
sent=$(fake_sent)
assert_contains "$sent" '"chatId":"6281234567890@c.us"'
assert_contains "$sent" '"session":"mitra1"'
assert_contains "$sent" 'Nota Pembayaran WiFi'
assert_contains "$sent" 'Ahmad Fauzi'
assert_contains "$sent" "https://bayar.example.id/receipt/"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT status || '|' || message_type || '|' || phone FROM wa_message_logs")" "sent|receipt|6281234567890"

# CLI: the superadmin pays Rudi Hartono's invoice (its own customer) → session "default".
out=$(FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin --json invoices pay "INV-$NEXT-000003" 2>/dev/null) || fail "pay"
assert_contains "$out" '"whatsapp":"sent"'
sent=$(fake_sent)
assert_contains "$sent" '"chatId":"6281333444555@c.us"'
assert_contains "$sent" '"session":"default"'
assert_eq "$(printf '%s' "$sent" | grep -o '"chatId"' | wc -l)" "2"

# No gateway reachable: the payment still succeeds, the receipt is logged failed with a fallback link.
kill "$FAKE_PID"; wait "$FAKE_PID" 2>/dev/null
err=$(FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$FIBERNODE_DB" --user mitra1 invoices pay "INV-$NEXT-000002" 2>&1 >/dev/null) || fail "pay without gateway"
assert_contains "$err" "https://wa.me/6289876543210?text="
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT status FROM wa_message_logs WHERE phone = '6289876543210'")" "failed"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT status FROM invoices WHERE number = 'INV-$NEXT-000002'")" "paid"

# The WhatsApp pane shows the failed receipt in the log
tui_keys a 5
wait_for a "menunggu"
tui_keys a v; tui_keys a v
wait_for a "gagal"
tui_keys a F10; wait_for a "Keluar dari FiberNode?"; tui_keys a y; wait_exit a
e2e_done
