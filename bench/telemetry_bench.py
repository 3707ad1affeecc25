#!/usr/bin/python3
"""Drives the telemetry benchmark for bench/run-telemetry.sh (standard library only).

telemetry_bench.py polls --url U --secret S --zip Z --duration D
    completes one job, then runs wrk on its status route; prints requests/s.
telemetry_bench.py scrapes --url U --secret S --pid P --zip Z --metrics-url M [--interval 5]
    runs one job; with --metrics-url scrapes /metrics every interval while it runs; prints the server's CPU seconds
    (utime + stime from /proc/P/stat) from the submit to the job's end, the wall seconds and the scrapes made.
telemetry_bench.py scrape-cost --url U --secret S --zip Z --pid P --metrics-url M [--count 100]
    the server's CPU seconds per /metrics scrape: COUNT scrapes back to back, less the idle CPU of as long a pause.
"""
import argparse
import os
import re
import subprocess
import threading
import time
import urllib.request

from bench_client import ENDED, MODEL, start, wait

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14 and 15 of stat)


def polls(args):
    with open(args.zip, "rb") as f:
        job = start(args, f.read())
    done = wait(args, job, lambda s: s["status"] in ENDED, interval=0.05)
    assert done["status"] == "completed", done
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{args.duration}s", "-H", f"API_AUTH_SECRET: {args.secret}",
                          f"{args.url}/api/v1/models/{MODEL}/segmentation/{job}"], capture_output=True, text=True, check=True).stdout
    assert "Non-2xx" not in out, out
    print(float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1)))


def scrapes(args):
    with open(args.zip, "rb") as f:
        body = f.read()
    stop = threading.Event()
    count = [0]

    def scrape():
        while not stop.wait(args.interval):
            with urllib.request.urlopen(args.metrics_url, timeout=30) as r:
                assert r.status == 200 and b"innereye_" in r.read()
            count[0] += 1

    before = cpu_seconds(args.pid)
    t0 = time.perf_counter()
    scraper = threading.Thread(target=scrape) if args.metrics_url else None
    if scraper:
        scraper.start()
    job = start(args, body)
    done = wait(args, job, lambda s: s["status"] in ENDED, interval=0.5)
    stop.set()
    if scraper:
        scraper.join()
    assert done["status"] == "completed", done
    print(f"{cpu_seconds(args.pid) - before:.2f} {time.perf_counter() - t0:.1f} {count[0]}")


def scrape_cost(args):
    def scrape():
        with urllib.request.urlopen(args.metrics_url, timeout=30) as r:
            return len(r.read())

    size = scrape()
    before, t0 = cpu_seconds(args.pid), time.perf_counter()
    for _ in range(args.count):
        scrape()
    busy, wall = cpu_seconds(args.pid) - before, time.perf_counter() - t0
    before = cpu_seconds(args.pid)
    time.sleep(max(wall, 1))
    idle = (cpu_seconds(args.pid) - before) * wall / max(wall, 1)
    print(f"{(busy - idle) / args.count:.5f} {size}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["polls", "scrapes", "scrape-cost"])
    p.add_argument("--url", required=True)
    p.add_argument("--secret", required=True)
    p.add_argument("--zip", required=True)
    p.add_argument("--duration", type=int, default=10)
    p.add_argument("--pid", type=int)
    p.add_argument("--metrics-url")
    p.add_argument("--interval", type=float, default=5)
    p.add_argument("--count", type=int, default=100)
    args = p.parse_args()
    {"polls": polls, "scrapes": scrapes, "scrape-cost": scrape_cost}[args.mode](args)


if __name__ == "__main__":
    main()
