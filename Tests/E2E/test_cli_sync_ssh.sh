#!/usr/bin/env bash
# The field laptop through a real sshd on a loopback port (issue 16): the server's account
# allows only `fibernode sync-serve` (authorized_keys command=); the laptop clones, pays
# offline and syncs with `--remote USER@127.0.0.1:PORT` through the system ssh.
source "$(dirname "$0")/lib.sh"
if [ ! -x /usr/sbin/sshd ] || ! command -v ssh >/dev/null || ! command -v ssh-keygen >/dev/null; then
  echo "skip: sshd/ssh not installed (scripts/install-deps.sh installs openssh-server and openssh-client)"
  exit 0
fi
e2e_setup
SRV="$E2E_TMP/server.db"; LAP="$E2E_TMP/laptop.db"; S="$E2E_TMP/ssh"
mkdir -p "$S" && chmod 700 "$S"
"$FN_BIN" --db "$SRV" demo >/dev/null || fail "demo"
FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$SRV" --user superadmin invoices generate --period 2027-01 >/dev/null || fail "generate"

ssh-keygen -q -t ed25519 -N '' -f "$S/host" || fail "host key"
ssh-keygen -q -t ed25519 -N '' -f "$S/laptop" || fail "client key"
ssh-keygen -q -t ed25519 -N '' -f "$S/tui" || fail "tui key"
echo "command=\"$FN_BIN --db $SRV sync-serve\",no-pty,no-port-forwarding,no-agent-forwarding,no-X11-forwarding $(cat "$S/laptop.pub")" > "$S/authorized_keys"
# The README's account whose forced command is the TUI: it runs sync-serve when asked, nothing else.
echo "restrict,command=\"FIBERNODE_DB=$SRV $FN_BIN\" $(cat "$S/tui.pub")" >> "$S/authorized_keys"
chmod 600 "$S/authorized_keys"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
cat > "$S/sshd_config" <<CFG
ListenAddress 127.0.0.1
HostKey $S/host
AuthorizedKeysFile $S/authorized_keys
PidFile $S/sshd.pid
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
AllowTcpForwarding no
CFG
# sshd wants its privilege-separation directory (made by the service unit, absent in containers).
[ -d /run/sshd ] || mkdir -p /run/sshd 2>/dev/null || [ "$(id -u)" != 0 ] || fail "cannot make /run/sshd"
/usr/sbin/sshd -D -e -f "$S/sshd_config" -p "$PORT" 2>"$S/sshd.log" &
SSHD=$!
trap 'kill $SSHD 2>/dev/null; e2e_cleanup' EXIT
up=0
for _ in $(seq 1 100); do
  if (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null; then up=1; break; fi
  sleep 0.05
done
[ "$up" = 1 ] || { cat "$S/sshd.log" >&2; fail "sshd did not start"; }
export FIBERNODE_SSH_OPTIONS="-i $S/laptop -o IdentitiesOnly=yes -o UserKnownHostsFile=$S/known_hosts -o StrictHostKeyChecking=accept-new"
L() { FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$LAP" --user mitra1 "$@"; }
ME=$(id -un)

out=$(L --json sync clone --remote "$ME@127.0.0.1:$PORT") || { cat "$S/sshd.log" >&2; fail "clone over ssh: $out"; }
assert_contains "$out" '"customers":2'
INV=$(L --json invoices list | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["number"])')
L invoices pay "$INV" --method tunai >/dev/null 2>&1 || fail "offline pay"
out=$(L --json sync) || fail "sync over ssh: $out"          # remembered remote
assert_contains "$out" '"applied":1'
assert_eq "$(sqlite3 "$SRV" "SELECT status FROM invoices WHERE number = '$INV'")" "paid"
out=$(L --json sync --remote "$ME@127.0.0.1:$PORT") || fail "sync again: $out"
assert_contains "$out" '"pushed":0'
assert_eq "$(sqlite3 "$SRV" "SELECT count(*) FROM payments")" "1"

# Through the TUI account: `fibernode sync-serve` runs on the account's own database, any
# other command does not (the TUI needs a terminal and exits).
export FIBERNODE_SSH_OPTIONS="-i $S/tui -o IdentitiesOnly=yes -o UserKnownHostsFile=$S/known_hosts -o StrictHostKeyChecking=accept-new"
L invoices pay "$(L --json invoices list | python3 -c 'import json,sys; print([i for i in json.load(sys.stdin) if i["status"]=="unpaid"][0]["number"])')" >/dev/null 2>&1 || fail "second offline pay"
out=$(L --json sync --remote "$ME@127.0.0.1:$PORT" --remote-db /etc/passwd) || fail "sync through the TUI account: $out"
assert_contains "$out" '"applied":1'
assert_eq "$(sqlite3 "$SRV" "SELECT count(*) FROM payments")" "2"
ssh -p "$PORT" -T $FIBERNODE_SSH_OPTIONS "$ME@127.0.0.1" "touch $E2E_TMP/pwned" </dev/null >/dev/null 2>&1 || true
[ ! -e "$E2E_TMP/pwned" ] || fail "the TUI account ran another command"
echo "ok"
