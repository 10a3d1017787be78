#!/usr/bin/env bash
# Issue 13: paging shows every customer exactly once at 80x24, 120x40 and 200x60, and
# after a resize in the middle of the list. 1,000 customers imported through the CLI;
# each page read with capture-pane, the codes collected and counted.
source "$(dirname "$0")/lib.sh"
e2e_setup
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"
CSV="$E2E_TMP/seribu.csv"
{
  echo "nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar,nik,tanggal_register"
  for i in $(seq 1 1000); do
    printf 'Uji Halaman %04d,62813%07d,0,%d,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15\n' "$i" "$i" $(( (i % 28) + 1 ))
  done
} >"$CSV"
FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin --json import customers "$CSV" >"$E2E_TMP/imp.json" \
  || fail "import failed"
assert_contains "$(cat "$E2E_TMP/imp.json")" '"imported":1000'
TOTAL=$(sqlite3 "$FIBERNODE_DB" "SELECT count(*) FROM customers WHERE deleted_at IS NULL")
[ "$TOTAL" -ge 1000 ] || fail "only $TOTAL customers"

# footer_range NAME: "A B" from "… · baris A–B"
# (counts are grouped like money on screen: "baris 1.001–1.015"; the range comes back plain)
footer_range() { screen "$1" | sed -n 's/.*baris \([0-9.]*\)–\([0-9.]*\).*/\1 \2/p' | tail -1 | tr -d .; }
# g N: N grouped as the screen shows it ("1.000")
g() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/.&/;ta'; }

# page_through NAME OUT: PgDn from the first page to the last, appending each page's codes to OUT.
page_through() {
  local name=$1 out=$2 range last prev=""
  : >"$out"
  while true; do
    range=$(footer_range "$name")
    [ -n "$range" ] || { screen "$name" >&2; fail "no footer on $name"; }
    # the codes on screen are exactly the rows the footer claims
    screen "$name" | grep -o 'PLG-[0-9]\{6\}' >"$E2E_TMP/page"
    set -- $range
    assert_eq "$(wc -l <"$E2E_TMP/page" | tr -d ' ')" "$(( $2 - $1 + 1 ))"
    cat "$E2E_TMP/page" >>"$out"
    last=$2
    [ "$last" -ge "$TOTAL" ] && break
    tui_keys "$name" PageDown
    wait_gone "$name" "baris $(g $1)–$(g $2)"
  done
}

check_once() {
  local out=$1 label=$2
  assert_eq "$(wc -l <"$out" | tr -d ' ')" "$TOTAL"
  assert_eq "$(sort -u "$out" | wc -l | tr -d ' ')" "$TOTAL"
  assert_eq "$(sort "$out" | uniq -d | wc -l | tr -d ' ')" "0"
  echo "  $label: $TOTAL customers, each seen once"
}

for size in 80x24 120x40 200x60; do
  E2E_W=${size%x*}; E2E_H=${size#*x}
  name="p$E2E_W"
  tui_start "$name" --db "$FIBERNODE_DB"
  wait_for "$name" "Nama pengguna"
  tui_type "$name" "superadmin"; tui_keys "$name" Enter; tui_type "$name" 'Admin123!'; tui_keys "$name" Enter
  wait_for "$name" "superadmin"
  tui_keys "$name" 2
  wait_for "$name" "$(g $TOTAL) pelanggan · baris 1–"
  page_through "$name" "$E2E_TMP/codes-$size"
  check_once "$E2E_TMP/codes-$size" "$size"
  tui_keys "$name" F10; wait_for "$name" "Keluar dari FiberNode?"; tui_keys "$name" y
  wait_exit "$name"
done

# resize mid-list: 80x24, two pages down, then 120x40, 200x60 and back to 100x30 while paging on
E2E_W=80; E2E_H=24
tui_start rs --db "$FIBERNODE_DB"
wait_for rs "Nama pengguna"
tui_type rs "superadmin"; tui_keys rs Enter; tui_type rs 'Admin123!'; tui_keys rs Enter
wait_for rs "superadmin"
tui_keys rs 2
wait_for rs "$(g $TOTAL) pelanggan · baris 1–"
OUT="$E2E_TMP/codes-resize"; : >"$OUT"
sizes=(120x40 200x60 100x30 80x24 200x60)
n=0
prev_end=0
while true; do
  range=$(footer_range rs); set -- $range
  # paging on after a resize continues right after the last row shown: none skipped
  assert_eq "$1" "$(( prev_end + 1 ))"
  screen rs | grep -o 'PLG-[0-9]\{6\}' >"$E2E_TMP/page"
  assert_eq "$(wc -l <"$E2E_TMP/page" | tr -d ' ')" "$(( $2 - $1 + 1 ))"
  grep -vxF -f "$OUT" "$E2E_TMP/page" >>"$OUT" || true
  [ "$2" -ge "$TOTAL" ] && break
  if [ $((n % 3)) -eq 2 ]; then
    # resize: the page keeps its first row and fills the new height, no empty rows
    s=${sizes[$(( (n / 3) % ${#sizes[@]} ))]}
    tmux -L "$E2E_SOCK" resize-window -t rs -x "${s%x*}" -y "${s#*x}"
    first=$1
    # redrawn: the new height, the function bar on the last line, and as many codes on
    # screen as the footer claims (a stale screen cropped or padded by tmux fails one of these)
    ok=""
    for _ in $(seq 1 200); do
      cap=$(screen rs)
      r2=$(printf '%s\n' "$cap" | sed -n 's/.*baris \([0-9.]*\)–\([0-9.]*\).*/\1 \2/p' | tail -1 | tr -d .)
      if [ -n "$r2" ] && [ "$(printf '%s\n' "$cap" | wc -l | tr -d ' ')" = "${s#*x}" ] && printf '%s\n' "$cap" | tail -1 | grep -q "F1"; then
        set -- $r2
        if [ "$(printf '%s\n' "$cap" | grep -o 'PLG-[0-9]\{6\}' | wc -l | tr -d ' ')" = "$(( $2 - $1 + 1 ))" ] \
           && [ "$(( $2 - $1 + 1 ))" -ge "$(( ${s#*x} - 9 < TOTAL - $1 + 1 ? ${s#*x} - 9 : TOTAL - $1 + 1 ))" ]; then ok=1; break; fi
      fi
      sleep 0.05
    done
    [ -n "$ok" ] || { screen rs >&2; fail "no redraw after resize to $s"; }
    settle rs
    range=$(footer_range rs); set -- $range
    [ "$1" -le "$first" ] || fail "resize skipped rows: page started at $first, now at $1"
    screen rs | grep -o 'PLG-[0-9]\{6\}' >"$E2E_TMP/page"
    assert_eq "$(wc -l <"$E2E_TMP/page" | tr -d ' ')" "$(( $2 - $1 + 1 ))"
    # rows already collected stay counted once (a smaller height shows again, on the next
    # page, the rows it cropped): keep only the new ones
    grep -vxF -f "$OUT" "$E2E_TMP/page" >>"$OUT" || true
    [ "$2" -ge "$TOTAL" ] && break
  fi
  prev_end=$2
  tui_keys rs PageDown
  wait_gone rs "baris $(g $1)–$(g $2)"
  n=$((n + 1))
done
# every customer seen, none skipped; each page started right after the previous one
assert_eq "$(sort -u "$OUT" | wc -l | tr -d ' ')" "$TOTAL"
echo "  resized mid-list: $TOTAL customers, none skipped, no empty rows"
e2e_done
