#!/usr/bin/env python3
"""Hostile clients against `fibernode serve` (issue 12, item 4), loopback only, bounded.

For DURATION seconds: 3 clients keep sending 1 MB header lines (reconnecting whenever the
server closes), 1 client keeps streaming a 400 MB body (chunked, then with Content-Length);
meanwhile /healthz is polled and the server's resident memory and CPU time are sampled
from /proc. Prints one `key=value` line per figure; exit 1 when a limit is broken.
"""
import os, socket, sys, threading, time

port, pid = int(sys.argv[1]), int(sys.argv[2])
DURATION = float(os.environ.get("HOSTILE_SECONDS", "8"))
stop = time.monotonic() + DURATION
lock = threading.Lock()
stats = {"h431": 0, "hclosed": 0, "b413": 0, "bclosed": 0, "body_mb_sent": 0}

def bump(k, n=1):
    with lock: stats[k] += n

def status_of(data):
    parts = data.split(b" ", 2)
    return int(parts[1]) if len(parts) >= 2 and parts[0].startswith(b"HTTP/1.") and parts[1].isdigit() else 0

def read_status(s):
    if s is None: return 0
    s.settimeout(2)
    try:
        return status_of(s.recv(4096))
    except OSError:
        return 0

def header_client():
    line = b"a" * 65536
    while time.monotonic() < stop:
        s = None
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Huge: ")
            for _ in range(16):                        # 1 MB in one header line
                if time.monotonic() >= stop: break
                s.sendall(line)
            s.sendall(b"\r\n\r\n")
            code = read_status(s)
        except OSError:
            code = read_status(s)          # the 431 may already be waiting (or the connection was reset)
        finally:
            try: s.close()
            except Exception: pass
        if code == 431: bump("h431")
        else: bump("hclosed")

def body_client():
    chunk = b"z" * 65536
    total = 400 << 20
    variant = 0
    while time.monotonic() < stop:
        chunked = variant % 2 == 0
        variant += 1
        s = None
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            if chunked:
                s.sendall(b"POST /webhooks/waha?token=x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            else:
                s.sendall(b"POST /webhooks/waha?token=x HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % total)
            sent = 0
            while sent < total and time.monotonic() < stop:
                s.sendall((b"10000\r\n" + chunk + b"\r\n") if chunked else chunk)
                sent += len(chunk)
                if sent % (1 << 20) == 0: bump("body_mb_sent")
            code = read_status(s)
        except OSError:
            code = read_status(s)
        finally:
            try: s.close()
            except Exception: pass
        if code == 413: bump("b413")
        else: bump("bclosed")

def rss_kb():
    with open(f"/proc/{pid}/status") as f:
        for l in f:
            if l.startswith("VmRSS:"): return int(l.split()[1])
    return 0

def cpu_s():
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def healthz():
    t0 = time.monotonic()
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=3)
        s.settimeout(3)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            b = s.recv(4096)
            if not b: break
            data += b
        s.close()
        ok = status_of(data) == 200 and data.endswith(b"ok\n")
    except OSError:
        ok = False
    return ok, time.monotonic() - t0

cpu0, rss0 = cpu_s(), rss_kb()
threads = [threading.Thread(target=header_client) for _ in range(3)] + [threading.Thread(target=body_client)]
for t in threads: t.start()
polls, failures, worst, max_rss = 0, 0, 0.0, rss0
time.sleep(0.3)
while time.monotonic() < stop:
    ok, dt = healthz()
    polls += 1
    if not ok: failures += 1
    worst = max(worst, dt)
    max_rss = max(max_rss, rss_kb())
    time.sleep(0.1)
for t in threads: t.join(timeout=10)
max_rss = max(max_rss, rss_kb())
cpu = cpu_s() - cpu0
print(f"duration_s={DURATION}")
print(f"healthz_polls={polls}")
print(f"healthz_failures={failures}")
print(f"healthz_worst_ms={worst * 1000:.0f}")
print(f"rss_start_mb={rss0 / 1024:.1f}")
print(f"rss_max_mb={max_rss / 1024:.1f}")
print(f"server_cpu_s={cpu:.2f}")
for k, v in stats.items(): print(f"{k}={v}")
# 431/413 themselves are asserted by the unit tests (ServeTests); here a hostile client may
# also see its connection reset, since the server stops reading what it refused.
bad = failures > 0 or polls < 5 or worst >= 1.0 or max_rss >= 100 * 1024
sys.exit(1 if bad else 0)
