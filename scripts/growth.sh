#!/usr/bin/env bash
# The growth table of BENCHMARKS.md (issue 17 item 3) from the tables `scripts/bench.sh SIZE`
# keeps in bench-data/results-SIZE.md: each operation's median at s, m, l and xl side by side,
# the exponent of growth b in t ≈ c·nᵇ (least squares of ln t against ln n over the sizes
# measured), the same exponent over the last step alone (between the two largest sizes
# measured, where constant costs no longer hide the trend) and a class from it: flat
# (b < 0.1), sub-linear / log (b < 0.5), linear.
#
# n is the row's own data count (customers, invoices, payments, messages) where it changes
# with the size, otherwise the size's customers (1,000 / 10,000 / 50,000 / 500,000).
# Usage: bash scripts/growth.sh [DIR] [SUFFIX]   (DIR: bench-data; SUFFIX "-debug" reads the
# debug build's results-SIZE-debug.md)
set -euo pipefail
DIR=${1:-bench-data}
SUF=${2:-}
files=()
for s in s m l xl; do [ -f "$DIR/results-$s$SUF.md" ] && files+=("$s=$DIR/results-$s$SUF.md"); done
[ ${#files[@]} -ge 2 ] || { echo "growth: need at least two of $DIR/results-{s,m,l,xl}$SUF.md" >&2; exit 1; }
for f in "${files[@]}"; do
  size=${f%%=*}; path=${f#*=}
  # size <TAB> operation <TAB> data <TAB> median
  awk -F' \\| ' -v size="$size" '/^\| / && !/^\| operation/ && !/^\|---/ {
      op = $1; sub(/^\| /, "", op); med = $3; gsub(/%/, "", med)
      if (med + 0 != med && med !~ /^[0-9.]+$/) next
      printf "%s\t%s\t%s\t%s\n", size, op, $2, med
    }' "$path"
done | awk -F'\t' '
  BEGIN { cust["s"] = 1000; cust["m"] = 10000; cust["l"] = 50000; cust["xl"] = 500000; split("s m l xl", order, " ") }
  {
    op = $2; if (!(op in seen)) { seen[op] = 1; ops[++nops] = op }
    t[op, $1] = $4 + 0; d = $3; sub(/ .*/, "", d)
    data[op, $1] = (d ~ /^[0-9]+$/) ? d + 0 : 0
    have[op, $1] = 1
  }
  function fmt(x) { return x >= 100 ? sprintf("%.0f", x) : x >= 10 ? sprintf("%.1f", x) : sprintf("%.2f", x) }
  END {
    print "| operation | s | m | l | xl | exponent (fit) | exponent (last step) | growth |"
    print "|---|---:|---:|---:|---:|---:|---:|---|"
    for (i = 1; i <= nops; i++) {
      op = ops[i]
      # n per size: the row data count when it varies across sizes, else customers
      varies = 0; first = -1
      for (k = 1; k <= 4; k++) { s = order[k]; if (have[op, s]) { if (first < 0) first = data[op, s]; else if (data[op, s] != first) varies = 1 } }
      sx = sy = sxx = sxy = m = 0; line = "| " op
      for (k = 1; k <= 4; k++) {
        s = order[k]
        if (!have[op, s]) { line = line " | "; continue }
        line = line " | " fmt(t[op, s])
        n[s] = (varies && data[op, s] > 0) ? data[op, s] : cust[s]
        if (t[op, s] > 0) { x = log(n[s]); y = log(t[op, s]); sx += x; sy += y; sxx += x * x; sxy += x * y; m++ }
      }
      b = ""; bl = ""; cls = ""
      if (m >= 2 && (m * sxx - sx * sx) > 0) b = (m * sxy - sx * sy) / (m * sxx - sx * sx)
      # the last step: between the two largest sizes measured (l → xl, else m → l, …)
      hi = lo = ""
      for (k = 4; k >= 1; k--) { s = order[k]; if (have[op, s] && t[op, s] > 0) { if (hi == "") hi = s; else if (lo == "") lo = s } }
      if (hi != "" && lo != "" && n[hi] != n[lo]) bl = log(t[op, hi] / t[op, lo]) / log(n[hi] / n[lo])
      key = (bl != "") ? bl : b
      if (key != "") cls = (key < 0.1) ? "flat" : (key < 0.5) ? "sub-linear (log)" : "linear"
      printf "%s | %s | %s | %s |\n", line, (b == "" ? "" : sprintf("%.2f", b)), (bl == "" ? "" : sprintf("%.2f", bl)), cls
    }
  }'
