#!/usr/bin/env bash
# Five wrong passwords, then the right one is refused as locked; nothing reveals whether
# the username exists.
source "$(dirname "$0")/lib.sh"
e2e_setup
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"

tui_start t --db "$FIBERNODE_DB"
wait_for t "Nama pengguna"
tui_type t "mitra1"; tui_keys t Enter
for i in 1 2 3 4; do
  tui_type t "salah$i"; tui_keys t Enter
  wait_for t "Nama pengguna atau kata sandi salah"
done
tui_type t "salah5"; tui_keys t Enter
wait_for t "dikunci sampai"
tui_type t 'Mitra123!'; tui_keys t Enter
# the sixth attempt (the right password) is recorded as refused
for _ in $(seq 1 100); do
  n=$(sqlite3 "$FIBERNODE_DB" "SELECT count(*) FROM login_attempts WHERE username='mitra1' AND success=0")
  [ "$n" = 6 ] && break
  sleep 0.05
done
assert_eq "$n" "6"
settle t
assert_contains "$(screen t)" "dikunci sampai"
assert_not_contains "$(screen t)" "mitra1 (Mitra)"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT count(*) FROM login_attempts WHERE username='mitra1' AND success=1")" "0"
# an unknown user gets the same words as a wrong password
tui_keys t Up C-u
tui_type t "tidakada"; tui_keys t Enter
tui_type t "apasaja"; tui_keys t Enter
wait_for t "Nama pengguna atau kata sandi salah"
tui_keys t F10
wait_exit t
e2e_done
