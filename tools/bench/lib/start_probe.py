#!/usr/bin/env python3
"""Time N starts of scenariod from exec to /health answering 200, then its idle RSS.

usage: start_probe.py N IDLE_S -- scenariod args... (the port is taken from --listen)
Prints: START_MS <median> <min> <max> RSS_KB <kb> THREADS <n>
"""
import os, signal, statistics, subprocess, sys, time, urllib.request

def healthy(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as r:
            return r.status == 200
    except Exception:
        return False

def main():
    n, idle = int(sys.argv[1]), float(sys.argv[2])
    args = sys.argv[sys.argv.index("--") + 1:]
    port = args[args.index("--listen") + 1].rsplit(":", 1)[1]
    times, rss, threads = [], 0, 0
    for i in range(n):
        t0 = time.monotonic()
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not healthy(port):
            if p.poll() is not None or time.monotonic() - t0 > 60:
                p.kill(); sys.exit(f"start {i}: no /health 200 (exit {p.poll()})")
            time.sleep(0.002)
        times.append((time.monotonic() - t0) * 1000)
        if i == n - 1 and idle > 0:
            time.sleep(idle)
            for line in open(f"/proc/{p.pid}/status"):
                if line.startswith("VmRSS:"): rss = int(line.split()[1])
                if line.startswith("Threads:"): threads = int(line.split()[1])
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=60)
    print(f"START_MS {statistics.median(times):.1f} {min(times):.1f} {max(times):.1f} RSS_KB {rss} THREADS {threads}")

main()
