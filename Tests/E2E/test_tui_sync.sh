#!/usr/bin/env bash
# The field laptop in a real terminal (issue 16): the header on a laptop database, the
# Sinkronisasi pane's sync key with its result, against a server over --remote-command.
source "$(dirname "$0")/lib.sh"
e2e_setup
SRV="$E2E_TMP/server.db"; LAP="$E2E_TMP/laptop.db"
"$FN_BIN" --db "$SRV" demo >/dev/null || fail "demo"
FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$SRV" --user superadmin invoices generate --period 2027-01 >/dev/null || fail "generate"
FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$LAP" --user mitra1 sync clone --remote-command "$FN_BIN --db $SRV sync-serve" >/dev/null || fail "clone"
INV=$(FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$LAP" --user mitra1 --json invoices list | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["number"])')
FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$LAP" --user mitra1 invoices pay "$INV" --amount 10000 >/dev/null 2>&1 || fail "offline pay"

export FIBERNODE_DB="$LAP"
tui_start lap
wait_for lap "Nama pengguna" || fail "login screen"
tui_type lap mitra1; tui_keys lap Enter; tui_type lap 'Mitra123!'; tui_keys lap Enter
wait_for lap "LAPTOP · sinkron terakhir" || { screen lap >&2; fail "laptop header"; }
wait_for lap "1 perubahan menunggu" || { screen lap >&2; fail "pending count"; }
# Tab through the menu until the pane title (row 2) says Sinkronisasi, waiting for each change.
for _ in $(seq 1 14); do
  title=$(screen lap | sed -n 2p)
  if printf '%s' "$title" | grep -q "Sinkronisasi"; then break; fi
  tui_keys lap Tab
  for _ in $(seq 1 100); do [ "$(screen lap | sed -n 2p)" != "$title" ] && break; sleep 0.05; done
done
screen lap | sed -n 2p | grep -q "Sinkronisasi" || { screen lap >&2; fail "Sinkronisasi pane"; }
tui_keys lap s
wait_for lap "Sinkron selesai" 20 || { screen lap >&2; fail "sync result"; }
wait_for lap "0 perubahan menunggu" || { screen lap >&2; fail "nothing waits"; }
assert_eq "$(sqlite3 "$SRV" "SELECT count(*) FROM payments")" "1"
e2e_done
