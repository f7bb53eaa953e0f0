#!/usr/bin/env python3
"""How long an edit takes to reach open pages under `archive serve`, for each binary: from writing an article to the first "reload" event (the
edited article's page), and to the end of the update (every page written, as the
server's log says), for the same nine edits as tests/serve.rs's reload_latency (text
only; a new day; countries most articles name). The next edit waits for the update to
end. The binaries take turns, each serving its own copy of the archive, so that both are
timed on the same machine at the same moments. Prints each binary's times and the ratio
of the medians. A server's background work (the search index) also slows the others': to
compare changes to that work, run one binary at a time, alternating.

    python3 benches/latency.py --root ARCHIVE BINARY [BINARY...]
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
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


class Server:
    """One binary serving its own copy of the archive."""

    def __init__(self, binary, root, port):
        self.binary, self.root, self.port = binary, root, port
        self.log = open(f"/tmp/latency-{port}.log", "w")
        self.process = subprocess.Popen([binary, "serve", "--root", root, "--port", str(port), "--timings"],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.article = first_article(content_dir(root))
        self.original = open(self.article, "rb").read()
        self.times = []
        self.whole = []

    def wait_serving(self):
        deadline = time.time() + 900
        while "serving " not in open(self.log.name, encoding="utf-8").read():
            if time.time() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"{self.binary} did not start serving: see {self.log.name}")
            time.sleep(0.2)

    def updates(self):
        return open(self.log.name, encoding="utf-8").read().count(" pages written in ")

    def edit(self, r):
        done = self.updates()
        stream = events(self.port)
        wait_line(stream, b": archive serve")
        addition = [f"\n\nتعديل رقم {r}.\n",
                    f"\n\nتعديل رقم {r} في {r} مارس 1899.\n",
                    f"\n\nتعديل رقم {r} عن سوريا والعراق ولبنان ومصر.\n"][r % 3]
        started = time.perf_counter()
        open(self.article, "wb").write(self.original + addition.encode())
        wait_line(stream, b"event: reload")
        self.times.append((time.perf_counter() - started) * 1000)
        stream.close()
        while self.updates() == done:
            time.sleep(0.005)
        self.whole.append((time.perf_counter() - started) * 1000)

    def stop(self):
        open(self.article, "wb").write(self.original)
        self.process.terminate()
        self.process.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("binaries", nargs="+")
    args = parser.parse_args()
    # Each binary serves its own copy, and the edits alternate between them: both see the
    # same machine at the same time.
    work = tempfile.mkdtemp(prefix="latency-")
    servers = []
    try:
        for i, binary in enumerate(args.binaries):
            root = os.path.join(work, str(i))
            shutil.copytree(args.root, root, ignore=shutil.ignore_patterns("public"))
            servers.append(Server(binary, root, 18000 + i))
            # One build at a time: the machine is small.
            servers[-1].wait_serving()
        # The first edit waits for the previous site to be removed: not what is measured.
        for server in servers:
            server.edit(0)
            time.sleep(2.0)
            server.times.clear()
            server.whole.clear()
        for r in range(1, args.rounds + 1):
            for server in servers:
                server.edit(r)
                time.sleep(0.5)
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    for name, of in [("write → first reload", lambda s: s.times), ("write → update done", lambda s: s.whole)]:
        medians = [statistics.median(of(s)) for s in servers]
        for server, median in zip(servers, medians):
            print(f"{server.binary}: {name}, ms: {[round(t) for t in of(server)]}, median {median:.0f}")
        for server, median in zip(servers[1:], medians[1:]):
            print(f"{server.binary} / {servers[0].binary}: {name}: {median / medians[0]:.2f}")


if __name__ == "__main__":
    sys.exit(main())
