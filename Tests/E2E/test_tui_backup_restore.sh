#!/usr/bin/env bash
# Backups from the Settings pane: back up now, then a restore that is refused while a second
# terminal has the database open (naming its PID) and goes through once it has quit; the
# restoring terminal returns to the login and sees the restored data.
source "$(dirname "$0")/lib.sh"
e2e_setup
DB="$FIBERNODE_DB"
"$FN_BIN" --db "$DB" demo >/dev/null || fail "demo"
export FIBERNODE_PASSWORD='Admin123!'
"$FN_BIN" --db "$DB" --user superadmin settings set business.name "Lama Net" >/dev/null || fail "set"

login() { # NAME USER PASSWORD
  tui_start "$1" --db "$DB"
  wait_for "$1" "Nama pengguna"
  tui_type "$1" "$2"; tui_keys "$1" Enter; tui_type "$1" "$3"; tui_keys "$1" Enter
  wait_for "$1" "$2 ("
}
login a superadmin 'Admin123!'
tui_keys a 8
wait_for a "── Usaha & tampilan"
tui_keys a b
wait_for a "Cadangan dibuat: fibernode-"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM backups WHERE kind='manual'")" "1"
"$FN_BIN" --db "$DB" --user superadmin settings set business.name "Baru Net" >/dev/null || fail "set 2"

login b mitra1 'Mitra123!'
B_PID=$(tmux -L "$E2E_SOCK" display-message -p -t b '#{pane_pid}')
tui_keys a l
wait_for a "Enter/r: pulihkan"
tui_keys a Enter
wait_for a "Pulihkan database dari"
tui_keys a y
wait_for a "sedang dibuka proses lain"
assert_contains "$(screen a)" "$B_PID"
assert_eq "$(sqlite3 "$DB" "SELECT value FROM settings WHERE key='business.name'")" "Baru Net"

tui_keys b F10; wait_for b "Keluar dari FiberNode?"; tui_keys b y; wait_exit b
tui_keys a Enter
wait_for a "Pulihkan database dari"
tui_keys a y
wait_for a "Silakan masuk"
assert_eq "$(sqlite3 "$DB" "SELECT value FROM settings WHERE key='business.name'")" "Lama Net"
[ "$(ls "$(dirname "$DB")/backups" | grep -c pre-restore)" = 1 ] || fail "no pre-restore copy"
tui_type a superadmin; tui_keys a Enter; tui_type a 'Admin123!'; tui_keys a Enter
wait_for a "superadmin ("
assert_contains "$(screen a | head -1)" "Lama Net"
tui_keys a F10; wait_for a "Keluar dari FiberNode?"; tui_keys a y; wait_exit a
assert_eq "$(sqlite3 "$DB" 'PRAGMA integrity_check')" "ok"
e2e_done
