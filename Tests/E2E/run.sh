#!/usr/bin/env bash
# Runs every Tests/E2E/test_*.sh against the given binary; prints "N passed, M failed".
set -u
BIN=${1:?usage: run.sh path/to/fibernode}
[ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }
cd "$(dirname "$0")/../.."
export FN_BIN="$PWD/$BIN"
[ -x "$FN_BIN" ] || FN_BIN="$BIN"
pass=0; failed=0; names=()
for t in Tests/E2E/test_*.sh; do
  name=$(basename "$t" .sh)
  start=$SECONDS
  if out=$(bash "$t" 2>&1); then
    pass=$((pass + 1)); echo "e2e $name ... ok ($((SECONDS - start))s)"
  else
    failed=$((failed + 1)); names+=("$name"); echo "e2e $name ... FAILED ($((SECONDS - start))s)"
    printf '%s\n' "$out" | tail -40 | sed 's/^/    /'
  fi
done
echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
