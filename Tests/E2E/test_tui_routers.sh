#!/usr/bin/env bash
# The superadmin adds a router in the Router pane (key 0) and tests it, links Rudi to his
# PPPoE secret from the customer list (L), isolates him (I) and sees the router change
# applied; with the router gone, an unisolation stays pending with its reason in the
# customer detail and the Router pane. A new customer is linked in the add form itself.
# A mitra sees no router of another owner.
source "$(dirname "$0")/lib.sh"
e2e_setup
source "$(dirname "$0")/router_lib.sh"
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"
fake_router_start --secret rudi:50M

tui_start sa --db "$FIBERNODE_DB"
wait_for sa "Nama pengguna"
tui_type sa "superadmin"; tui_keys sa Enter; tui_type sa 'Admin123!'; tui_keys sa Enter
wait_for sa "superadmin (Superadmin)"
tui_keys sa 0
wait_for sa "Belum ada router."
tui_keys sa a
wait_for sa "Tambah router"
tui_type sa "core"; tui_keys sa Tab Tab
tui_keys sa C-u; tui_type sa "http://127.0.0.1:$ROUTER_PORT"; tui_keys sa Tab
tui_type sa "fibernode"; tui_keys sa Tab
tui_type sa "rahasia"; tui_keys sa F2
wait_for sa "Router core ditambahkan"
assert_not_contains "$(screen sa)" "rahasia"
tui_keys sa t
wait_for sa "terhubung: FakeTik"

# Link Rudi (third by name) and isolate him.
tui_keys sa 2
wait_for sa "Rudi Hartono"
tui_keys sa Down Down
tui_keys sa L
wait_for sa "Tautan router PLG-000003"
tui_keys sa Tab; tui_type sa "rudi"; tui_keys sa F2
wait_for sa "ditautkan ke router core"
tui_keys sa I
wait_for sa "Isolir pelanggan PLG-000003"
tui_keys sa y
wait_for sa "diterapkan dan sudah dicek ulang"
router_state_has "secret rudi isolir"
router_state_lacks "active rudi"
tui_keys sa Enter
wait_for sa "Router core · PPPoE rudi"
wait_for sa "Router: isolir sudah diterapkan"
tui_keys sa Escape

# The router goes away: the restore is kept pending and says why.
fake_router_stop
tui_keys sa I
wait_for sa "Buka isolir pelanggan"
tui_keys sa y
wait_for sa "diantrekan"
tui_keys sa Enter
wait_for sa "Perubahan router menunggu"
tui_keys sa Escape
tui_keys sa 0
wait_for sa "tak terjangkau"
wait_for sa "PLG-000003 Rudi Hartono"
tui_keys sa 1
wait_for sa "perubahan menunggu 1"

# A new customer linked in the add form itself: customer and link in one save.
tui_keys sa 2
wait_for sa "Rudi Hartono"
tui_keys sa a
wait_for sa "Tambah pelanggan"
tui_type sa "Sari Link"; tui_keys sa Enter; tui_type sa "081299990001"
for _ in 1 2 3 4 5 6 7 8 9; do tui_keys sa Enter; done
wait_for sa "(tanpa router)"
tui_keys sa Right
wait_for sa "◂ core ▸"
tui_keys sa Enter Enter; tui_type sa "sari"; tui_keys sa Enter
wait_for sa "ditambahkan"
tui_keys sa /; tui_type sa "Sari Link"; tui_keys sa Enter Enter
wait_for sa "Router core · PPPoE sari"
tui_keys sa Escape
tui_keys sa q; wait_for sa "Keluar dari FiberNode?"; tui_keys sa y
wait_exit sa

# A mitra sees only its own routers (none here), read only.
tui_start m1 --db "$FIBERNODE_DB"
wait_for m1 "Nama pengguna"
tui_type m1 "mitra1"; tui_keys m1 Enter; tui_type m1 'Mitra123!'; tui_keys m1 Enter
wait_for m1 "mitra1 (Mitra)"
tui_keys m1 7
wait_for m1 "Hanya lihat"
assert_not_contains "$(screen m1)" "core"
e2e_done
