#!/usr/bin/env bash
# SIGHUP (a dropped SSH connection) in the middle of an edit: nothing is written, the
# database passes integrity_check, and the terminal is left usable (echo, canonical mode).
source "$(dirname "$0")/lib.sh"
e2e_setup
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"

tui_shell sh
tui_type sh "exec_marker=1; \"$FN_BIN\" --no-splash --db \"$FIBERNODE_DB\""; tui_keys sh Enter
wait_for sh "Nama pengguna"
tui_type sh "superadmin"; tui_keys sh Enter
tui_type sh 'Admin123!'; tui_keys sh Enter
wait_for sh "superadmin (Superadmin)"
tui_keys sh 8
wait_for sh "Zona waktu"
# move to wa.max_per_hour and start editing it
found=0
for _ in $(seq 1 60); do
  tui_keys sh Enter
  wait_for sh "Esc:" 5
  if screen sh | grep -q "Ubah Batas pesan per jam"; then found=1; break; fi
  tui_keys sh Escape; wait_gone sh "Esc:"
  tui_keys sh Down
done
[ "$found" = 1 ] || fail "could not reach wa.max_per_hour"
tui_keys sh C-u; tui_type sh "12"
# the TUI must have read "12" before the hang-up, or the leftover keys reach the shell
deadline=$((SECONDS + 10))
until screen sh | grep -qE '│ 12 +│'; do [ $SECONDS -le $deadline ] || fail "the edit never showed 12"; sleep 0.05; done
pid=$(pgrep -f -- "--db $FIBERNODE_DB" | head -1)
[ -n "$pid" ] || fail "no fibernode process"
kill -HUP "$pid"
wait_pid_gone "$pid"
tui_type sh "stty -a | tr ' ;' '\n\n' | grep -c -x -e echo -e icanon > \"$E2E_TMP/stty.txt\""; tui_keys sh Enter
wait_file "$E2E_TMP/stty.txt"
assert_eq "$(cat "$E2E_TMP/stty.txt")" "2"
assert_eq "$(sqlite3 "$FIBERNODE_DB" 'PRAGMA integrity_check')" "ok"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT count(*) FROM settings WHERE key='wa.max_per_hour'")" "0"
e2e_done
