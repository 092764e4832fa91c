"""What one worker costs and what a page weighs: peak RSS under gunicorn, bytes transferred."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSET_LINK = re.compile(r'(?:href=|src=|from |import )["\'](/static/[^"\']+)["\']')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[str, int]:
    """The text and the number of bytes transferred compressed, as a browser that accepts br/gzip gets it."""
    compressed = urllib.request.Request(url, headers={"Accept-Encoding": "br, gzip"})
    with urllib.request.urlopen(compressed, timeout=30) as response:
        transferred = len(response.read())
    with urllib.request.urlopen(url, timeout=30) as response:
        text = response.read().decode("utf-8", "replace")
    return text, transferred


def page_weight(base: str, path: str) -> int:
    """Bytes transferred for a page and everything it loads from us (CSS, JS modules, images)."""
    body, total = fetch(base + path)
    seen: set[str] = set()
    queue = ASSET_LINK.findall(body)
    while queue:
        asset = queue.pop()
        if asset in seen:
            continue
        seen.add(asset)
        text, transferred = fetch(base + asset)
        total += transferred
        if asset.endswith((".mjs", ".js")):
            queue.extend(ASSET_LINK.findall(text))
    return total


class Server:
    """gunicorn with one sync worker on 127.0.0.1, stopped when the block ends."""

    def __init__(self, database_url: str) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench",
            "SEARCH_RATE_LIMIT": "100000 per minute",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                fetch(self.base + "/healthz")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def close(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def rss_mb(pid: int, field: str = "VmHWM") -> float:
    """A process's peak (VmHWM) or current (VmRSS) resident set, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def post_json(url: str, body: dict) -> int:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode("utf-8"), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        return response.status


# What loads every model a worker holds: searches (lexical), a need in plain words (the search's embedding
# model), a search in another language (the same model, translating) and an "Ask us" message (its own model).
WARM_UP_SEARCHES = (
    "carers",
    "demensia",
    "lunch club",
    "falls",
    "dementia",
    "money worries",
    "live in fear of my partner",
    "نادي الغداء",
)


def worker_rss_and_page_weight(database_url: str, service_id: str) -> dict:
    """Serve the directory from one worker, warm every model up, then read the worker's RSS and page weights."""
    with Server(database_url) as server:
        for query in WARM_UP_SEARCHES:
            fetch(f"{server.base}/directory/search?{urllib.parse.urlencode({'q': query, 'postcode': 'SG1 1AA'})}")
        asked = post_json(f"{server.base}/api/v1/ask", {"message": "My dad keeps falling and I can't cope"})
        weights = {
            name: page_weight(server.base, path)
            for name, path in (
                ("home", "/"),
                ("search", "/directory/search?q=carers&postcode=SG1+1AA"),
                ("service", f"/directory/services/{service_id}"),
            )
        }
        workers = server.worker_pids()
        peak = max((rss_mb(pid) for pid in workers), default=0.0)
        now = max((rss_mb(pid, "VmRSS") for pid in workers), default=0.0)
    return {
        "worker_rss_mb": peak,
        "worker_rss_now_mb": now,
        "warmed_up": {"searches": list(WARM_UP_SEARCHES), "ask_us_status": asked},
        "page_bytes": weights,
    }
