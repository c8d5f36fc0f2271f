"""Warm latency of ``POST /api/ask`` through a running ``matcher serve`` (not a test).

    python benchmarks/web_latency.py --model minilm            # index in benchmarks/.cache/
    python benchmarks/web_latency.py --model mpnet --index-dir index

Starts the server on a free port over the default corpus, sends one question to warm
it, then times N labelled questions one after another over one keep-alive connection,
and prints the median and 95th percentile in milliseconds. Each question is also asked
in this process through ``Matcher.ask`` on the same index, interleaved, so the cost of
the server itself is read as a ratio measured side by side, whatever the machine's load.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="minilm")
    parser.add_argument("--index-dir", type=Path, default=None)
    parser.add_argument("-n", type=int, default=50, help="questions to time")
    args = parser.parse_args()
    index_dir = args.index_dir or REPO / "benchmarks" / ".cache" / f"web-{args.model}"
    questions = [json.loads(line)["question"] for line in (REPO / "benchmarks/questions/test.jsonl").open()][: args.n]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "matcher", "serve", "--port", str(port), "--model", args.model,
         "--index-dir", str(index_dir)],
        env={**os.environ, "PYTHONPATH": str(REPO)}, stderr=subprocess.DEVNULL,
    )
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        deadline = time.monotonic() + 900
        while True:
            try:
                connection.request("GET", "/api/status")
                connection.getresponse().read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit("matcher serve did not start")
                connection.close()
                time.sleep(0.5)

        def ask(question: str) -> float:
            body = json.dumps({"question": question})
            start = time.perf_counter()
            connection.request("POST", "/api/ask", body, {"content-type": "application/json"})
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - start
            assert response.status == 200, response.status
            return elapsed * 1000

        from matcher import Matcher

        local = Matcher.open(None, index_dir, args.model, notify=lambda _: None)

        def ask_here(question: str) -> float:
            start = time.perf_counter()
            local.ask(question)
            return (time.perf_counter() - start) * 1000

        ask("Tell me about a time you failed")  # warm-up
        ask_here("Tell me about a time you failed")
        pairs = [(ask(q), ask_here(q)) for q in questions]
        for name, times in (("POST /api/ask", [a for a, _ in pairs]), ("Matcher.ask in-process", [b for _, b in pairs])):
            times = sorted(times)
            p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
            print(f"model {args.model}, {name}: {len(times)} questions, median {statistics.median(times):.1f} ms, "
                  f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms")
        ratio = statistics.median(a / b for a, b in pairs)
        print(f"median ratio server / in-process: {ratio:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
