#!/usr/bin/env python3
"""Start-up time to the first successful request, and working set, of the Orders sample: Native AOT
binary against the JIT build, each started several times (median reported).

    python3 benchmarks/aot/startup.py --aot PATH/Orders --jit PATH/Orders.dll [--starts 7] [--out results.json]

Usually called by benchmarks/aot/startup.sh, which builds both first. For each start: a free loopback
port, the process is spawned (t = 0 just before the fork), GET /health is polled over a fresh TCP
connection every millisecond until it answers 200 (the "first successful request"), then one
POST /api/v1/orders with a bearer token holding orders:write must answer 201 (authentication,
permission, binding, validation and the handler all ran). The working set is the process's VmRSS (and
the peak VmHWM) from /proc after those two requests, and again after 90 more GET /health requests on
one keep-alive connection (the sample's default per-client limit is 100/minute). The sample runs in
Production with a throw-away HS256 key (the token is signed here with the standard library's HMAC),
plain HTTP allowed and a new empty SQLite folder (so every start creates its database and runs the
migrations), the configuration a fresh container behind a TLS proxy would have. Standard library only.
"""
import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time


ISSUER, AUDIENCE, KEY_ID = "https://startup.rampart.invalid", "orders-api", "startup"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def access_token(secret, scope="orders:write"):
    """An RFC 9068 access token (typ at+jwt) signed with HS256, as the sample's profile requires."""
    now = int(time.time())
    header = {"alg": "HS256", "typ": "at+jwt", "kid": KEY_ID}
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "startup-client", "jti": secrets.token_urlsafe(16),
              "iat": now, "nbf": now, "exp": now + 3600, "scope": scope}
    signing_input = b64url(json.dumps(header, separators=(",", ":")).encode()) + b"." + \
        b64url(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + b64url(signature)).decode()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory(pid):
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024  # kB -> MiB
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def request(port, method, path, body=None, timeout=2.0, token=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = "Bearer " + token
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def one_start(command, environment, token, deadline_seconds=30.0):
    port = free_port()
    # A new, empty SQLite folder per start (the sample creates its database and runs its migrations, as a
    # fresh container would); the working directory is the build's own folder, so the content root holds
    # its appsettings.json and Migrations/ and nothing is written into the repository.
    data = tempfile.mkdtemp(prefix="orders-startup-")
    env = dict(os.environ, **environment, ASPNETCORE_URLS=f"http://127.0.0.1:{port}",
               Rampart__Data__DataDirectory=data, Orders__DataPath=data)
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, cwd=os.path.dirname(command[-1]),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        first = None
        while time.monotonic() - started < deadline_seconds:
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {process.returncode}: {process.stderr.read().decode()[-2000:]}")
            try:
                if request(port, "GET", "/health", timeout=1.0) == 200:
                    first = time.monotonic() - started
                    break
            except (ConnectionError, OSError, http.client.HTTPException):
                pass
            time.sleep(0.001)
        if first is None:
            raise RuntimeError(f"{command[0]} did not answer 200 within {deadline_seconds} s")
        order = request(port, "POST", "/api/v1/orders", body=b'{"productId":"ABCD1234","quantity":3}', token=token)
        if order != 201:
            raise RuntimeError(f"POST /api/v1/orders answered {order}, not 201")
        rss_first, _ = memory(process.pid)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        for _ in range(90):
            conn.request("GET", "/health")
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"GET /health answered {response.status}")
        conn.close()
        rss_after, peak = memory(process.pid)
        return {"first_request_ms": first * 1000, "rss_first_mib": rss_first, "rss_after_90_mib": rss_after, "peak_mib": peak}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(data, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--aot", required=True, help="the Native AOT binary (published samples/Orders)")
    parser.add_argument("--jit", required=True, help="the JIT build's Orders.dll, run with dotnet")
    parser.add_argument("--starts", type=int, default=7)
    parser.add_argument("--out", help="write the figures as JSON here")
    args = parser.parse_args()

    secret = secrets.token_bytes(32)
    environment = {
        "ASPNETCORE_ENVIRONMENT": "Production",
        "DOTNET_CLI_TELEMETRY_OPTOUT": "1",
        "Rampart__RequireHttps": "false",
        "Rampart__Authentication__Issuer": ISSUER,
        "Rampart__Authentication__Audience": AUDIENCE,
        "Rampart__Authentication__Keys__0__Id": KEY_ID,
        "Rampart__Authentication__Keys__0__Secret": base64.b64encode(secret).decode(),
    }
    token = access_token(secret)
    builds = {"Native AOT": [os.path.abspath(args.aot)], "JIT": ["dotnet", os.path.abspath(args.jit)]}
    results = {}
    # Interleaved: AOT, JIT, AOT, JIT, ... so a noisy moment affects both.
    runs = {name: [] for name in builds}
    for i in range(args.starts):
        for name, command in builds.items():
            run = one_start(command, environment, token)
            runs[name].append(run)
            print(f"{name} start {i + 1}: first request {run['first_request_ms']:.1f} ms, "
                  f"RSS {run['rss_first_mib']:.1f} MiB, after 90 more requests {run['rss_after_90_mib']:.1f} MiB",
                  file=sys.stderr)
    for name, values in runs.items():
        results[name] = {key: statistics.median(v[key] for v in values) for key in values[0]}
        results[name]["starts"] = len(values)
        results[name]["first_request_ms_min"] = min(v["first_request_ms"] for v in values)
        results[name]["first_request_ms_max"] = max(v["first_request_ms"] for v in values)

    print()
    print("| build | first successful request (median) | min – max | working set after it | after 90 more requests | peak |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['first_request_ms']:.0f} ms | {r['first_request_ms_min']:.0f} – {r['first_request_ms_max']:.0f} ms | "
              f"{r['rss_first_mib']:.1f} MiB | {r['rss_after_90_mib']:.1f} MiB | {r['peak_mib']:.1f} MiB |")
    aot, jit = results["Native AOT"], results["JIT"]
    print()
    print(f"Native AOT / JIT: start-up {aot['first_request_ms'] / jit['first_request_ms']:.2f}x, "
          f"working set {aot['rss_first_mib'] / jit['rss_first_mib']:.2f}x")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
