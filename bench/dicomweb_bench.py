#!/usr/bin/python3
"""Drives the DICOMweb benchmark for bench/run-dicomweb.sh (standard library, plus pydicom to read a study's UID).

dicomweb_bench.py intake --url U --secret S --phantoms D1,D2,...
    (a) each phantom's gateway zip (DIR/scan.zip) POSTed to /v1/model/start/PassThroughModel and (b) its 200 DICOM
    files (DIR/ct/*) POSTed to /dicomweb/studies as one multipart/related request, alternately, one pair per phantom.
    Both bodies are streamed from disk (the page cache, warmed first); the time runs from the request's first byte to
    its answer, and MB/s counts the bytes of the DICOM files for both. Each zip job runs to completion before the next
    upload, so no segmentation runs during an upload.
dicomweb_bench.py latency --url U --secret S --orthanc O --quiet SECONDS --log SERVER_LOG --phantoms D1,D2,...
    for each phantom: (c1) its zip job, timed from the submit's answer to completion and by its own stage timestamps
    (queued to completed); then (c2) its 200 files by one STOW-RS request, timed from the answer to the moment an
    RTSTRUCT of the study is in Orthanc (polled every 20 ms), less the quiet period; the DICOMweb job's own stage and
    delivery timestamps, and the server log's, split that time.
"""
import argparse
import http.client
import json
import os
import re
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timezone

import pydicom

from bench_client import ENDED, request

MODEL = "PassThroughModel"
CHUNK = 1 << 20


def files_of(phantom):
    folder = os.path.join(phantom, "ct")
    return [os.path.join(folder, f) for f in sorted(os.listdir(folder), key=lambda n: (len(n), n))]


def dicom_bytes(phantom):
    return sum(os.path.getsize(f) for f in files_of(phantom))


def warm(paths):
    for p in paths:
        with open(p, "rb") as f:
            while f.read(CHUNK):
                pass


def post_streamed(args, path, content_type, length, chunks):
    """POSTs a body of `length` bytes given as an iterable of chunks; returns (status, body, seconds from first byte to answer)."""
    url = urllib.parse.urlsplit(args.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=900)
    conn.putrequest("POST", path, skip_accept_encoding=True)
    conn.putheader("API_AUTH_SECRET", args.secret)
    conn.putheader("Content-Type", content_type)
    conn.putheader("Content-Length", str(length))
    conn.putheader("Accept", "application/dicom+json, text/plain")
    t0 = time.perf_counter()
    conn.endheaders()
    for chunk in chunks:
        conn.send(chunk)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - t0
    conn.close()
    return response.status, body, elapsed


def file_chunks(path):
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            yield chunk


def post_zip(args, phantom):
    zip_path = os.path.join(phantom, "scan.zip")
    status, body, seconds = post_streamed(args, f"/v1/model/start/{MODEL}", "application/zip", os.path.getsize(zip_path),
                                          file_chunks(zip_path))
    assert status == 201, (status, body[:300])
    return body.decode(), seconds


def stow_body(paths, boundary):
    """The multipart/related body as (length, chunks): each file is read from disk while the body is sent."""
    head = f"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n".encode()
    tail = f"--{boundary}--\r\n".encode()
    length = sum(len(head) + os.path.getsize(p) + 2 for p in paths) + len(tail)

    def chunks():
        for p in paths:
            yield head
            yield from file_chunks(p)
            yield b"\r\n"
        yield tail
    return length, chunks()


def stow(args, phantom):
    paths = files_of(phantom)
    boundary = f"bench-{uuid.uuid4().hex}"
    length, chunks = stow_body(paths, boundary)
    status, body, seconds = post_streamed(args, "/dicomweb/studies",
                                          f'multipart/related; type="application/dicom"; boundary={boundary}', length, chunks)
    assert status == 200, (status, body[:500])
    answer = json.loads(body)
    referenced = answer.get("00081199", {}).get("Value", [])
    assert len(referenced) == len(paths) and "00081198" not in answer, body[:500]
    return seconds


def status_of(args, job):
    code, body = request(args, "GET", f"/api/v1/models/{MODEL}/segmentation/{job}")
    assert code == 200, (code, body[:300])
    return json.loads(body)


def wait_job(args, job, interval=0.02, timeout=900):
    deadline = time.time() + timeout
    while time.time() < deadline:
        s = status_of(args, job)
        if s["status"] in ENDED:
            return s
        time.sleep(interval)
    raise TimeoutError(job)


def parse_time(t):
    return datetime.fromisoformat(t).timestamp()


def stages_of(s):
    return {st["stage"]: parse_time(st["at"]) for st in s["stages"]}


def summary(values):
    return min(values), statistics.median(values)


def intake(args):
    phantoms = args.phantoms.split(",")
    for p in phantoms:
        warm([os.path.join(p, "scan.zip"), *files_of(p)])
    if args.warmup:
        # Both routes once, untimed, on a small series of its own: compiled code, not first calls, is what is compared.
        job, _ = post_zip(args, args.warmup)
        wait_job(args, job, interval=0.1)
        stow(args, args.warmup)
    rows = []
    for i, p in enumerate(phantoms, 1):
        mb = dicom_bytes(p) / 1e6
        zip_mb = os.path.getsize(os.path.join(p, "scan.zip")) / 1e6
        job, zip_s = post_zip(args, p)
        done = wait_job(args, job, interval=0.1)
        assert done["status"] == "completed", done
        # The service gives the finished job's memory back once it is idle (one compacting collection): let that pass
        # before the next upload, as it does before each zip upload.
        time.sleep(1.0)
        stow_s = stow(args, p)
        rows.append((mb, zip_s, stow_s))
        print(f"run {i} ({os.path.basename(p)}): {mb:.1f} MB of DICOM files ({zip_mb:.1f} MB zip); "
              f"(a) zip {zip_s:.3f} s = {mb / zip_s:.1f} MB/s; (b) STOW-RS {stow_s:.3f} s = {mb / stow_s:.1f} MB/s; "
              f"(b)/(a) {zip_s / stow_s:.2f}", flush=True)
    zip_rates = [mb / s for mb, s, _ in rows]
    stow_rates = [mb / s for mb, _, s in rows]
    za, zm = max(zip_rates), statistics.median(zip_rates)
    sa, sm = max(stow_rates), statistics.median(stow_rates)
    print(f"\nintake, {len(rows)} runs, MB = bytes of the DICOM files ({rows[0][0]:.1f} MB):")
    print("| route | best s | median s | best MB/s | median MB/s | vs zip (median) |")
    print("|---|---|---|---|---|---|")
    print(f"| (a) POST /v1/model/start (gateway zip) | {min(r[1] for r in rows):.3f} | {statistics.median(r[1] for r in rows):.3f} "
          f"| {za:.1f} | {zm:.1f} | 100% |")
    print(f"| (b) STOW-RS, one request of {len(files_of(phantoms[0]))} parts | {min(r[2] for r in rows):.3f} "
          f"| {statistics.median(r[2] for r in rows):.3f} | {sa:.1f} | {sm:.1f} | {sm / zm:.0%} |")
    print(f"(b)/(a): best {sa / za:.0%}, median {sm / zm:.0%}; target >= 80%: {'met' if sm / zm >= 0.8 else 'not met'}")


def orthanc_json(args, method, path, body=None):
    req = urllib.request.Request(args.orthanc + path, data=body, method=method)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def rt_in_orthanc(args, study_uid):
    found = orthanc_json(args, "POST", "/tools/lookup", study_uid.encode())
    for hit in found:
        if hit.get("Type") == "Study":
            series = orthanc_json(args, "GET", f"/studies/{hit['ID']}/series")
            if any(s.get("MainDicomTags", {}).get("Modality") == "RTSTRUCT" for s in series):
                return hit["ID"]
    return None


LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\dT[0-9:.]+Z) (\w+): ([\w.]+)\[\d+\]$")


def log_events(path):
    """(unix time, category, message) of each entry of the server's console log (written with UTC timestamps)."""
    events = []
    with open(path, errors="replace") as f:
        lines = f.read().splitlines()
    for i, line in enumerate(lines):
        m = LOG_LINE.match(line)
        if m and i + 1 < len(lines):
            at = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp()
            events.append((at, m.group(3), lines[i + 1].strip()))
    return events


def latency(args):
    phantoms = args.phantoms.split(",")
    for p in phantoms:
        warm([os.path.join(p, "scan.zip"), *files_of(p)])
    rows = []
    for i, p in enumerate(phantoms, 1):
        # (c1) the zip job
        job, _ = post_zip(args, p)
        submitted = time.time()
        done = wait_job(args, job)
        seen_done = time.time()
        assert done["status"] == "completed", done
        st = stages_of(done)
        zip_pipeline = st["completed"] - st["queued"]
        zip_seen = seen_done - submitted

        # (c2) the same series by STOW-RS, until its RT Structure Set is in Orthanc
        study_uid = str(pydicom.dcmread(files_of(p)[0], stop_before_pixels=True).StudyInstanceUID)
        assert rt_in_orthanc(args, study_uid) is None, "the study is already in Orthanc"
        log_mark = len(log_events(args.log))
        stow_s = stow(args, p)
        answered = time.time()
        deadline = answered + 600
        while (orthanc_id := rt_in_orthanc(args, study_uid)) is None:
            assert time.time() < deadline, "no RT Structure Set reached Orthanc"
            time.sleep(0.02)
        in_orthanc = time.time()
        web = in_orthanc - answered - args.quiet

        # where the DICOMweb job's time went: the server's log and the job's own timestamps
        events = log_events(args.log)[log_mark:]
        started = [e for e in events if "started for model" in e[2]]
        routed = [e for e in events if "is complete and routed" in e[2]]
        split = ""
        if started:
            web_job = re.search(r"Segmentation (\w+) started", started[-1][2]).group(1)
            s = status_of(args, web_job)
            for _ in range(100):
                if s.get("deliveries") and s["deliveries"][0].get("deliveredAt"):
                    break
                time.sleep(0.05)
                s = status_of(args, web_job)
            ws = stages_of(s)
            delivered = parse_time(s["deliveries"][0]["deliveredAt"]) if s.get("deliveries") and s["deliveries"][0].get(
                "deliveredAt") else float("nan")
            routed_at = routed[-1][0] if routed else float("nan")
            split = (f"answer -> routed {routed_at - answered:.3f} s (quiet period {args.quiet:.0f} s), routed -> queued "
                     f"{ws['queued'] - routed_at:.3f} s, queued -> completed {ws['completed'] - ws['queued']:.3f} s "
                     f"(queued -> decode {ws.get('decode', float('nan')) - ws['queued']:.3f} s), completed -> delivered "
                     f"{delivered - ws['completed']:.3f} s, delivered -> seen in Orthanc {in_orthanc - delivered:.3f} s")
            rows.append({"zip_pipeline": zip_pipeline, "zip_seen": zip_seen, "stow": stow_s, "web": web,
                         "web_pipeline": ws["completed"] - ws["queued"], "to_queued": ws["queued"] - answered,
                         "to_routed": routed_at - answered, "delivery": delivered - ws["completed"],
                         "seen": in_orthanc - delivered})
        else:
            rows.append({"zip_pipeline": zip_pipeline, "zip_seen": zip_seen, "stow": stow_s, "web": web})
        print(f"run {i} ({os.path.basename(p)}): zip job queued -> completed {zip_pipeline:.3f} s (submit answer -> seen "
              f"completed {zip_seen:.3f} s); STOW-RS {stow_s:.3f} s, answer -> RT in Orthanc {in_orthanc - answered:.3f} s, "
              f"less the quiet period {web:.3f} s = {web / zip_pipeline:.2f}x the zip pipeline", flush=True)
        if split:
            print(f"  DICOMweb job: {split}", flush=True)
        if args.delete:
            orthanc_json(args, "DELETE", f"/studies/{orthanc_id}")
        time.sleep(args.pause)

    def med(key):
        return statistics.median(r[key] for r in rows if key in r)
    print(f"\nresult latency, PassThroughModel, {len(rows)} runs (median):")
    print("| path | seconds |")
    print("|---|---|")
    print(f"| zip route: queued -> completed (job's own stages) | {med('zip_pipeline'):.3f} |")
    print(f"| zip route: submit answer -> completed seen by a 20 ms poll | {med('zip_seen'):.3f} |")
    print(f"| DICOMweb: last STOW-RS answer -> RT in Orthanc, less the {args.quiet:.0f} s quiet period | {med('web'):.3f} |")
    if all("web_pipeline" in r for r in rows):
        print(f"|   answer -> series routed (log), less the quiet period | {med('to_routed') - args.quiet:.3f} |")
        print(f"|   answer -> job queued, less the quiet period | {med('to_queued') - args.quiet:.3f} |")
        print(f"|   queued -> completed (job's own stages) | {med('web_pipeline'):.3f} |")
        print(f"|   completed -> delivered (STOW-RS to Orthanc answered) | {med('delivery'):.3f} |")
        print(f"|   delivered -> seen in Orthanc by the 20 ms poll | {med('seen'):.3f} |")
    ratios = [r["web"] / r["zip_pipeline"] for r in rows]
    ratio = med("web") / med("zip_pipeline")
    print(f"DICOMweb / zip pipeline: {ratio:.2f}x (medians; per run {', '.join(f'{x:.2f}' for x in ratios)}); "
          f"target <= 1.2x: {'met' if ratio <= 1.2 else 'not met'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    server = argparse.ArgumentParser(add_help=False)
    server.add_argument("--url", required=True)
    server.add_argument("--secret", required=True)
    server.add_argument("--phantoms", required=True, help="comma-separated phantom folders (each with scan.zip and ct/)")
    i = sub.add_parser("intake", parents=[server])
    i.add_argument("--warmup", help="a small phantom folder sent once by each route, untimed, before the timed runs")
    p = sub.add_parser("latency", parents=[server])
    p.add_argument("--orthanc", required=True, help="Orthanc's REST base URL, without the trailing '/'")
    p.add_argument("--quiet", type=float, required=True, help="DicomWeb:SeriesQuietPeriod in seconds")
    p.add_argument("--log", required=True, help="the server's console log (UTC timestamps)")
    p.add_argument("--delete", action="store_true", help="delete each study from Orthanc after its run")
    p.add_argument("--pause", type=float, default=2.0, help="seconds between runs")
    args = parser.parse_args()
    {"intake": intake, "latency": latency}[args.command](args)


if __name__ == "__main__":
    main()
