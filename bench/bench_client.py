"""The service calls both API benchmark drivers make (standard library only): authorised requests, submit, status, wait."""
import json
import time
import urllib.error
import urllib.request

MODEL = "PassThroughModel:1729"
ENDED = ("completed", "failed", "cancelled")


def request(args, method, path, body=None, headers=None, timeout=600):
    h = {"API_AUTH_SECRET": args.secret, "Accept": "text/html"}
    h.update(headers or {})
    req = urllib.request.Request(args.url + path, data=body, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def start(args, zip_bytes):
    status, body = request(args, "POST", f"/v1/model/start/{MODEL}", zip_bytes, {"Content-Type": "application/zip"})
    assert status == 201, (status, body[:300])
    return body.decode()


def status_of(args, job):
    status, body = request(args, "GET", f"/api/v1/models/{MODEL}/segmentation/{job}")
    assert status == 200, (status, body[:300])
    return json.loads(body)


def wait(args, job, until, interval=0.1, timeout=900):
    deadline = time.time() + timeout
    while time.time() < deadline:
        s = status_of(args, job)
        if until(s):
            return s
        time.sleep(interval)
    raise TimeoutError(job)
