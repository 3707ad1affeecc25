#!/usr/bin/python3
"""Drives the load benchmark for bench/run-load.sh (standard library, plus wrk for the pollers).

load_bench.py load --url U --secret S --pid P --park-zip Z --big-zip Z --label L --json OUT
        [--pollers 500] [--uploads 10] [--alone 10] [--upload-delay 1] [--timeout 5]
    parks one job (ModelGrain:StagePause holds it running), then polls its two status routes with --pollers keep-alive
    connections (half on each route) for --alone seconds, then again while --uploads large zips are POSTed at once,
    from --upload-delay seconds into the run until the last upload is answered (then wrk is stopped with SIGINT, which
    makes it report); the server's RSS is sampled throughout.
load_bench.py memory --url U --secret S --pid P --zip Z --jobs N --label L --json OUT
    on a fresh server: N PassThroughModel jobs submitted at once, run to completion; the growth of the server's peak RSS.
load_bench.py report JSON...
    the tables of one or more builds, side by side.
"""
import argparse
import concurrent.futures
import http.client
import json
import re
import signal
import statistics
import subprocess
import threading
import time
import urllib.parse

from bench_client import ENDED, MODEL, request, start, wait

MAX_POLL_SECONDS = 900  # the pollers beside the uploads stop when the last upload is answered


def proc_status_mb(pid):
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmHWM:", "VmRSS:")):
                key, kb = line.split()[:2]
                values[key[:-1]] = int(kb) / 1024
    return values


def loadavg():
    """The machine's 1-minute load average: other work on a shared machine moves every figure."""
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


class RssSampler:
    """Samples the server's VmRSS every `interval` seconds; VmHWM is the kernel's own peak."""

    def __init__(self, pid, interval=0.05):
        self.pid, self.interval = pid, interval
        self.start = proc_status_mb(pid)
        self.peak_rss = self.start["VmRSS"]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(self.interval):
            try:
                self.peak_rss = max(self.peak_rss, proc_status_mb(self.pid)["VmRSS"])
            except OSError:
                return

    def stop(self):
        self._stop.set()
        self._thread.join()
        end = proc_status_mb(self.pid)
        self.peak_rss = max(self.peak_rss, end["VmRSS"])
        return {"rss_before": self.start["VmRSS"], "hwm_before": self.start["VmHWM"], "peak_rss": self.peak_rss,
                "hwm": end["VmHWM"], "rss_after": end["VmRSS"]}


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def millis(text):
    value, unit = re.fullmatch(r"([0-9.]+)([a-z]+)", text).groups()
    return float(value) * UNITS[unit]


def start_wrk(args, path, connections, duration):
    return subprocess.Popen(["wrk", "-t1", f"-c{connections}", f"-d{duration}s", f"--timeout={args.timeout}s", "--latency",
                             "-H", f"API_AUTH_SECRET: {args.secret}", "-H", "Accept: text/html", args.url + path],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wrk_result(proc):
    out, _ = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed:\n{out}")
    m = re.search(r"(\d+) requests in ([0-9.]+)([a-z]+)", out)
    requests, seconds = int(m.group(1)), millis(m.group(2) + m.group(3)) / 1e3
    dist = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    if "50" not in dist or "99" not in dist:
        raise RuntimeError(f"no latency distribution in wrk's output:\n{out}")
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    connect, read, write, timeout = (int(x) for x in sock.groups()) if sock else (0, 0, 0, 0)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"requests": requests, "seconds": seconds, "rate": requests / seconds, "p50_ms": millis(dist["50"]),
            "p99_ms": millis(dist["99"]), "non2xx": int(non2xx.group(1)) if non2xx else 0, "connect_errors": connect,
            "read_errors": read, "write_errors": write, "timeouts": timeout}


def poll_routes(job):
    return [("results", f"/v1/model/results/{job}"), ("status", f"/api/v1/models/{MODEL}/segmentation/{job}")]


def run_pollers(args, job, duration):
    """--pollers connections, half on each status route, for `duration` seconds; returns the wrk processes."""
    half = args.pollers // 2
    return [(name, start_wrk(args, path, n, duration))
            for (name, path), n in zip(poll_routes(job), (half, args.pollers - half))]


def upload(args, data, t0):
    u = urllib.parse.urlsplit(args.url)
    began = time.perf_counter()
    try:
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
        conn.request("POST", f"/v1/model/start/{MODEL}", body=data,
                     headers={"API_AUTH_SECRET": args.secret, "Content-Type": "application/zip"})
        r = conn.getresponse()
        body = r.read()
        conn.close()
        status, error = r.status, None if r.status == 201 else body[:200].decode(errors="replace")
    except OSError as e:
        status, error = None, repr(e)
    ended = time.perf_counter()
    return {"status": status, "error": error, "start": began - t0, "end": ended - t0, "seconds": ended - began}


def load(args):
    with open(args.park_zip, "rb") as f:
        job = start(args, f.read())
    wait(args, job, lambda s: s["status"] == "running")
    codes = [request(args, "GET", p)[0] for _, p in poll_routes(job)]
    assert codes == [202, 200], codes
    with open(args.big_zip, "rb") as f:
        big = f.read()
    result = {"label": args.label, "pollers": args.pollers, "uploads": args.uploads, "upload_mb": len(big) / 1e6,
              "timeout_s": args.timeout, "loadavg_start": loadavg()}

    sampler = RssSampler(args.pid)
    result["alone"] = {name: wrk_result(p) for name, p in run_pollers(args, job, args.alone)}
    result["alone_memory"] = sampler.stop()

    sampler = RssSampler(args.pid)
    t0 = time.perf_counter()
    procs = run_pollers(args, job, MAX_POLL_SECONDS)
    try:
        time.sleep(args.upload_delay)
        with concurrent.futures.ThreadPoolExecutor(args.uploads) as pool:
            uploads = list(pool.map(lambda _: upload(args, big, t0), range(args.uploads)))
    finally:
        for _, p in procs:
            p.send_signal(signal.SIGINT)
    result["beside"] = {name: wrk_result(p) for name, p in procs}
    result["beside_window_s"] = time.perf_counter() - t0
    result["beside_memory"] = sampler.stop()
    result["upload_runs"] = uploads
    result["loadavg_end"] = loadavg()
    # The polled job is still the one it was: held running, answering both routes.
    assert [request(args, "GET", p)[0] for _, p in poll_routes(job)] == [202, 200]
    with open(args.json, "w") as f:
        json.dump(result, f, indent=1)
    print_load([result])


def memory(args):
    with open(args.zip, "rb") as f:
        data = f.read()
    sampler = RssSampler(args.pid, interval=0.02)
    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        ids = list(pool.map(lambda _: start(args, data), range(args.jobs)))
    finals = [wait(args, j, lambda s: s["status"] in ENDED, interval=0.25) for j in ids]
    wall = time.perf_counter() - t0
    mem = sampler.stop()
    time.sleep(args.settle)
    mem["rss_settled"] = proc_status_mb(args.pid)["VmRSS"]
    completed = sum(1 for s in finals if s["status"] == "completed")
    result = {"label": args.label, "jobs": args.jobs, "completed": completed, "wall_s": wall, "zip_mb": len(data) / 1e6,
              **mem}
    result["growth"] = max(mem["hwm"], mem["peak_rss"]) - mem["rss_before"]
    runs = []
    try:
        with open(args.json) as f:
            runs = json.load(f)
    except FileNotFoundError:
        pass
    runs = [r for r in runs if r["jobs"] != args.jobs] + [result]
    with open(args.json, "w") as f:
        json.dump(sorted(runs, key=lambda r: r["jobs"]), f, indent=1)
    print(f"{args.jobs} job(s): {completed} completed in {wall:.1f} s; RSS before {mem['rss_before']:,.0f} MB, "
          f"peak {max(mem['hwm'], mem['peak_rss']):,.0f} MB, growth {result['growth']:,.0f} MB, "
          f"{mem['rss_settled']:,.0f} MB {args.settle:g} s after the last job ended")


def errors(w):
    return w["non2xx"] + w["connect_errors"] + w["read_errors"] + w["write_errors"] + w["timeouts"]


def print_load(results):
    labels = [r["label"] for r in results]
    r0 = results[0]
    print(f"\n{r0['pollers']} pollers ({r0['pollers'] // 2} per status route, keep-alive), "
          f"beside {r0['uploads']} uploads of {r0['upload_mb']:.1f} MB:")
    print("| " + " | ".join(["figure"] + labels) + " |")
    print("|" + "---|" * (len(labels) + 1))

    def row(name, f):
        print("| " + " | ".join([name] + [f(r) for r in results]) + " |")

    for phase, title in (("alone", "pollers alone"), ("beside", "beside uploads")):
        row(f"polls/s, {title} (results + status)",
            lambda r: f"{sum(w['rate'] for w in r[phase].values()):,.0f} "
                      f"({r[phase]['results']['rate']:,.0f} + {r[phase]['status']['rate']:,.0f})")
        row(f"p50 latency, {title} (results / status)",
            lambda r: f"{r[phase]['results']['p50_ms']:.1f} / {r[phase]['status']['p50_ms']:.1f} ms")
        row(f"p99 latency, {title} (results / status)",
            lambda r: f"{r[phase]['results']['p99_ms']:.1f} / {r[phase]['status']['p99_ms']:.1f} ms")
        row(f"poll errors, {title} (non-2xx, resets, timeouts)",
            lambda r: f"{sum(errors(w) for w in r[phase].values())} "
                      f"({sum(w['non2xx'] for w in r[phase].values())}, "
                      f"{sum(w['connect_errors'] + w['read_errors'] + w['write_errors'] for w in r[phase].values())}, "
                      f"{sum(w['timeouts'] for w in r[phase].values())})")

    def uploads(r):
        ok = [u["seconds"] for u in r["upload_runs"] if u["status"] == 201]
        if not ok:
            return "none succeeded"
        return (f"{len(ok)}/{len(r['upload_runs'])} ok; median {statistics.median(ok):.1f} s, max {max(ok):.1f} s")

    row("uploads (201, duration)", uploads)
    row("uploads' window in the poll run",
        lambda r: f"{min(u['start'] for u in r['upload_runs']):.1f}–{max(u['end'] for u in r['upload_runs']):.1f} s "
                  f"of {r['beside']['results']['seconds']:.1f} s")
    row("upload throughput (all uploads)",
        lambda r: f"{r['uploads'] * r['upload_mb'] / (max(u['end'] for u in r['upload_runs']) - min(u['start'] for u in r['upload_runs'])):,.0f} MB/s")
    row("server RSS before / peak (VmHWM)",
        lambda r: f"{r['alone_memory']['rss_before']:,.0f} / {max(r['beside_memory']['hwm'], r['beside_memory']['peak_rss']):,.0f} MB")
    row("server peak RSS, pollers alone",
        lambda r: f"{max(r['alone_memory']['hwm'], r['alone_memory']['peak_rss']):,.0f} MB")
    row("machine load average (1 min), start / end",
        lambda r: f"{r.get('loadavg_start', float('nan')):.1f} / {r.get('loadavg_end', float('nan')):.1f}")
    for r in results:
        failed = [u for u in r["upload_runs"] if u["status"] != 201]
        for u in failed:
            print(f"  {r['label']}: upload failed: {u['status']} {u['error']}")


def print_memory(results):
    labels = [r[0]["label"] for r in results]
    zip_mb = results[0][0]["zip_mb"]
    print(f"\nmemory per job, PassThroughModel on a 512x512x200 zip ({zip_mb:.1f} MB), fresh server each:")
    print("| " + " | ".join(["concurrent jobs"] + labels) + " |")
    print("|" + "---|" * (len(labels) + 1))
    counts = sorted({r["jobs"] for runs in results for r in runs})
    for n in counts:
        cells = []
        for runs in results:
            r = next((r for r in runs if r["jobs"] == n), None)
            cells.append("–" if r is None else
                         f"{r['growth']:,.0f} MB peak growth ({r['completed']}/{n} done, {r['wall_s']:.0f} s)")
        print("| " + " | ".join([str(n)] + cells) + " |")
    cells = []
    for runs in results:
        by = sorted((r["jobs"], r["growth"]) for r in runs)
        steps = [f"{(g1 - g0) / (n1 - n0):+,.0f} MB/job ({n0}→{n1})" for (n0, g0), (n1, g1) in zip(by, by[1:])]
        cells.append(", ".join(steps) or "–")
    print("| " + " | ".join(["increment per extra job"] + cells) + " |")
    for n in counts:
        cells = []
        for runs in results:
            r = next((r for r in runs if r["jobs"] == n), None)
            cells.append("–" if r is None else
                         f"{r['rss_before']:,.0f} / {r['rss_after']:,.0f} / {r.get('rss_settled', r['rss_after']):,.0f} MB")
        print("| " + " | ".join([f"server RSS before / at the end / 5 s after the jobs, {n} job(s)"] + cells) + " |")


def report(args):
    loads, memories = [], []
    for path in args.files:
        with open(path) as f:
            data = json.load(f)
        (memories if isinstance(data, list) else loads).append(data)
    if loads:
        print_load(loads)
    if memories:
        print_memory(memories)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    server = argparse.ArgumentParser(add_help=False)
    server.add_argument("--url", required=True)
    server.add_argument("--secret", required=True)
    server.add_argument("--pid", type=int, required=True)
    server.add_argument("--label", required=True)
    server.add_argument("--json", required=True)
    p = sub.add_parser("load", parents=[server])
    p.add_argument("--park-zip", required=True)
    p.add_argument("--big-zip", required=True)
    p.add_argument("--pollers", type=int, default=500)
    p.add_argument("--uploads", type=int, default=10)
    p.add_argument("--alone", type=int, default=10)
    p.add_argument("--upload-delay", type=float, default=1)
    p.add_argument("--timeout", type=int, default=5)
    m = sub.add_parser("memory", parents=[server])
    m.add_argument("--zip", required=True)
    m.add_argument("--jobs", type=int, default=1)
    m.add_argument("--settle", type=float, default=5, help="seconds to wait after the last job before reading RSS again")
    r = sub.add_parser("report")
    r.add_argument("files", nargs="+")
    args = parser.parse_args()
    {"load": load, "memory": memory, "report": report}[args.command](args)


if __name__ == "__main__":
    main()
