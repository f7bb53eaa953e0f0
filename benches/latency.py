#!/usr/bin/env python3
"""How long an edit takes to reach open pages under `archive serve`, for two binaries in
turn on the same archive: from writing an article to the "reload" event, the same nine
edits as tests/serve.rs's reload_latency (text only; a new day; countries most articles
name). Prints each binary's times and the ratio of the medians.

    python3 benches/latency.py --root ARCHIVE BINARY [BINARY...]
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import time


def first_article(content):
    names = sorted(n for n in os.listdir(content) if n.endswith((".md", ".txt")))
    return os.path.join(content, names[0])


def content_dir(root):
    for line in open(os.path.join(root, "site.toml"), encoding="utf-8"):
        if line.strip().startswith("content_dir"):
            return os.path.join(root, line.split("=", 1)[1].strip().strip('"'))
    return os.path.join(root, "seeds")


def events(port):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /__archive/events HTTP/1.1\r\nHost: x\r\n\r\n")
    return s.makefile("rb")


def wait_line(stream, prefix):
    while True:
        line = stream.readline()
        if not line:
            raise RuntimeError("the server closed the event stream")
        if line.startswith(prefix):
            return


def run(binary, root, port, rounds):
    out = open(f"/tmp/latency-{port}.log", "w")
    server = subprocess.Popen([binary, "serve", "--root", root, "--port", str(port), "--timings"],
                              stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 900
        while "serving " not in open(out.name, encoding="utf-8").read():
            if time.time() > deadline or server.poll() is not None:
                raise RuntimeError(f"{binary} did not start serving: see {out.name}")
            time.sleep(0.2)
        article = first_article(content_dir(root))
        original = open(article, "rb").read()
        times = []
        try:
            for r in range(rounds):
                stream = events(port)
                wait_line(stream, b": archive serve")
                addition = [f"\n\nتعديل رقم {r}.\n",
                            f"\n\nتعديل رقم {r} في {r} مارس 1899.\n",
                            f"\n\nتعديل رقم {r} عن سوريا والعراق ولبنان ومصر.\n"][r % 3]
                started = time.perf_counter()
                open(article, "wb").write(original + addition.encode())
                wait_line(stream, b"event: reload")
                times.append((time.perf_counter() - started) * 1000)
                stream.close()
                time.sleep(0.3)
        finally:
            open(article, "wb").write(original)
            time.sleep(1.0)
        return times
    finally:
        server.terminate()
        server.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("binaries", nargs="+")
    args = parser.parse_args()
    medians = []
    for i, binary in enumerate(args.binaries):
        times = run(binary, args.root, 18000 + i, args.rounds)
        medians.append(statistics.median(times))
        print(f"{binary}: write → reload, ms: {[round(t) for t in times]}, median {medians[-1]:.0f}")
    for binary, median in zip(args.binaries[1:], medians[1:]):
        print(f"{binary} / {args.binaries[0]}: {median / medians[0]:.2f}")


if __name__ == "__main__":
    sys.exit(main())
