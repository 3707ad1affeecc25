#!/usr/bin/python3
"""Drives the API for bench/run-api.sh (standard library only).

api_bench.py polls --url U --secret S --zip Z --duration D
    parks a job, then runs wrk on /ping (bare), GET /v1/model/results/{id} (202) and the seed status route (JSON).
api_bench.py jobs --url U --secret S --pid P --big-zip Z --small-zip Z --concurrent N
    one PassThroughModel job on the big zip, timed by phase (3 runs, median), then N concurrent jobs on the small zip.
api_bench.py throughput --url U --secret S --model M --zip Z --count N
    N jobs submitted at once; prints jobs per minute from the first submit to the last completion.
"""
import argparse
import concurrent.futures
import io
import re
import statistics
import subprocess
import time
import zipfile
from datetime import datetime

from bench_client import ENDED, MODEL, request, start, wait


def wrk(args, path):
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{args.duration}s", "-H", f"API_AUTH_SECRET: {args.secret}",
                          "-H", "Accept: text/html", args.url + path], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    latency = re.search(r"Latency\s+(\S+)", out).group(1)
    return rate, latency, int(non2xx.group(1)) if non2xx else 0


def polls(args):
    with open(args.zip, "rb") as f:
        job = start(args, f.read())
    wait(args, job, lambda s: s["status"] == "running")
    rows = [("GET /ping (bare endpoint, baseline)", "/ping"),
            ("GET /v1/model/results/{id} -> 202", f"/v1/model/results/{job}"),
            ("GET /api/v1/models/{m}/segmentation/{id} -> JSON", f"/api/v1/models/{MODEL}/segmentation/{job}")]
    results = [(name, *wrk(args, path)) for name, path in rows]
    base = results[0][1]
    print("| route | requests/s | mean latency | vs bare |")
    print("|---|---|---|---|")
    for name, rate, latency, _ in results:
        print(f"| {name} | {rate:,.0f} | {latency} | {rate / base:.0%} |")
    codes = [request(args, "GET", p)[0] for _, p in rows]
    print(f"status codes: {codes} (the 202 of a running job, answered with an empty body)")


def parse(t):
    return datetime.fromisoformat(t)


def one_job(args, zip_bytes):
    t0 = time.perf_counter()
    job = start(args, zip_bytes)
    upload = time.perf_counter() - t0
    done = wait(args, job, lambda s: s["status"] in ENDED, interval=0.05)
    assert done["status"] == "completed", done
    stages = {s["stage"]: parse(s["at"]) for s in done["stages"]}
    t1 = time.perf_counter()
    code, body = request(args, "GET", f"/v1/model/results/{job}")
    download = time.perf_counter() - t1
    assert code == 200 and zipfile.ZipFile(io.BytesIO(body)).namelist() == ["segmentation.dcm"]
    queueing = (stages["decode"] - stages["queued"]).total_seconds()
    pipeline = (stages["completed"] - stages["decode"]).total_seconds()
    per_stage = {name: (stages[b] - stages[name]).total_seconds()
                 for name, b in zip(["decode", "resample", "inference", "postprocess", "contour"],
                                    ["resample", "inference", "postprocess", "contour", "completed"])}
    return {"upload": upload, "queueing": queueing, "pipeline": pipeline, "download": download,
            "total": upload + queueing + pipeline + download, "stages": per_stage, "result_bytes": len(body)}


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def jobs(args):
    with open(args.big_zip, "rb") as f:
        big = f.read()
    runs = [one_job(args, big) for _ in range(3)]
    med = {k: statistics.median(r[k] for r in runs) for k in ("upload", "queueing", "pipeline", "download", "total")}
    print(f"\none PassThroughModel job, 512x512x200 phantom ({len(big) / 1e6:.1f} MB zip), median of 3:")
    print("| phase | seconds | share |")
    print("|---|---|---|")
    for k in ("upload", "queueing", "pipeline", "download"):
        print(f"| {k} | {med[k]:.2f} | {med[k] / med['total']:.0%} |")
    print(f"| total | {med['total']:.2f} | |")
    print("pipeline stages (median): " + ", ".join(
        f"{k} {statistics.median(r['stages'][k] for r in runs):.2f} s" for k in runs[0]["stages"]))
    single_peak = peak_rss_mb(args.pid)
    print(f"server peak RSS after the single jobs: {single_peak:.0f} MB")

    with open(args.small_zip, "rb") as f:
        small = f.read()
    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(args.concurrent) as pool:
        ids = list(pool.map(lambda _: start(args, small), range(args.concurrent)))
    assert len(set(ids)) == len(ids)
    finals = [wait(args, j, lambda s: s["status"] in ENDED, interval=0.5) for j in ids]
    wall = time.perf_counter() - t0
    completed = sum(1 for s in finals if s["status"] == "completed"
                    and sum(1 for st in s["stages"] if st["stage"] == "completed") == 1)
    downloads = 0
    for j in ids:
        code, body = request(args, "GET", f"/v1/model/results/{j}")
        downloads += code == 200 and zipfile.ZipFile(io.BytesIO(body)).namelist() == ["segmentation.dcm"]
    print(f"\n{args.concurrent} concurrent PassThroughModel jobs ({len(small) / 1e6:.1f} MB zips): {completed} completed once, "
          f"{downloads} downloaded, {args.concurrent - completed} lost or failed; {wall:.1f} s wall, "
          f"{args.concurrent / wall * 60:.1f} jobs/min")
    print(f"server peak RSS: {peak_rss_mb(args.pid):.0f} MB (after one 512x512x200 job: {single_peak:.0f} MB)")


def throughput(args):
    global MODEL
    MODEL = args.model
    with open(args.zip, "rb") as f:
        data = f.read()
    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(args.count) as pool:
        ids = list(pool.map(lambda _: start(args, data), range(args.count)))
    finals = [wait(args, j, lambda s: s["status"] in ENDED, interval=0.25) for j in ids]
    wall = time.perf_counter() - t0
    completed = sum(1 for s in finals if s["status"] == "completed")
    print(f"{args.model}: {completed}/{args.count} completed in {wall:.1f} s = {completed / wall * 60:.1f} jobs/min")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    server = argparse.ArgumentParser(add_help=False)
    server.add_argument("--url", required=True)
    server.add_argument("--secret", required=True)
    p = sub.add_parser("polls", parents=[server])
    p.add_argument("--zip", required=True)
    p.add_argument("--duration", type=int, default=10)
    j = sub.add_parser("jobs", parents=[server])
    j.add_argument("--pid", type=int, required=True)
    j.add_argument("--big-zip", required=True)
    j.add_argument("--small-zip", required=True)
    j.add_argument("--concurrent", type=int, default=20)
    t = sub.add_parser("throughput", parents=[server])
    t.add_argument("--model", required=True)
    t.add_argument("--zip", required=True)
    t.add_argument("--count", type=int, default=10)
    args = parser.parse_args()
    {"polls": polls, "jobs": jobs, "throughput": throughput}[args.command](args)


if __name__ == "__main__":
    main()
