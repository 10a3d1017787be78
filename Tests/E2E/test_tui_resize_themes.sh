#!/usr/bin/env bash
# Below 80x24 the screen says the terminal is too small; growing it redraws the pane.
# NO_COLOR and TERM=vt100 still give a working screen (mono, ASCII boxes); --lang en works.
source "$(dirname "$0")/lib.sh"
e2e_setup
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"
E2E_W=80 E2E_H=24 tui_start r --db "$FIBERNODE_DB"
wait_for r "Nama pengguna"
tui_type r "mitra1"; tui_keys r Enter; tui_type r 'Mitra123!'; tui_keys r Enter
wait_for r "mitra1 (Mitra)"
tmux -L "$E2E_SOCK" resize-window -t r -x 70 -y 20
wait_for r "Terminal terlalu kecil (70x20)"
tmux -L "$E2E_SOCK" resize-window -t r -x 100 -y 30
wait_for r "1 Dasbor"
assert_not_contains "$(screen r)" "terlalu kecil"
tui_keys r q; wait_for r "Keluar dari FiberNode?"; tui_keys r y; wait_exit r

tmux -L "$E2E_SOCK" new-session -d -s v -x 80 -y 24 -e "LANG=C.UTF-8" \
  env TERM=vt100 NO_COLOR=1 "$FN_BIN" --no-splash --lang en --db "$FIBERNODE_DB"
tmux -L "$E2E_SOCK" set-option -t v remain-on-exit on >/dev/null
wait_for v "Username"
assert_contains "$(screen v)" "+-"
tui_type v "superadmin"; tui_keys v Tab; tui_type v 'Admin123!'; tui_keys v Enter
wait_for v "superadmin (Superadmin)"
assert_contains "$(screen v)" "9 Profile"
assert_not_contains "$(screen v)" "│"
# vt100 has no F10: q quits
tui_keys v q; wait_for v "Quit FiberNode?"; tui_keys v Enter; wait_exit v
e2e_done
