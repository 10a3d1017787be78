#!/usr/bin/env python3
"""A gateway that accepts connections and never answers (issue 12, item 5), on 127.0.0.1.

Usage: silent_gateway.py PORT -- COMMAND...
Listens on 127.0.0.1:PORT, holds every connection without reading or answering, runs
COMMAND, and prints the command's wall time and CPU time
(user + system, from wait4) and its stderr. Bounded: the command is killed after 60 s.
"""
import os, resource, socket, subprocess, sys, threading, time

port = int(sys.argv[1])
cmd = sys.argv[sys.argv.index("--") + 1:]
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(16)
held = []
accepted = [0]

def serve():
    srv.settimeout(0.5)
    end = time.monotonic() + 70
    while time.monotonic() < end:
        try:
            c, _ = srv.accept()
        except socket.timeout:
            continue
        except OSError:
            return
        accepted[0] += 1
        held.append(c)          # read nothing back, answer nothing, close nothing

threading.Thread(target=serve, daemon=True).start()

t0 = time.monotonic()
p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
killer = threading.Timer(60, p.kill)
killer.start()
out = p.stdout.read(); err = p.stderr.read()
_, status, ru = os.wait4(p.pid, 0)
killer.cancel()
wall = time.monotonic() - t0
print(f"wall_s={wall:.2f}")
print(f"cpu_user_s={ru.ru_utime:.2f}")
print(f"cpu_sys_s={ru.ru_stime:.2f}")
print(f"cpu_s={ru.ru_utime + ru.ru_stime:.2f}")
print(f"exit={os.waitstatus_to_exitcode(status)}")
print(f"connections={accepted[0]}")
print("stderr=" + err.decode(errors="replace").strip().replace("\n", " | "))
