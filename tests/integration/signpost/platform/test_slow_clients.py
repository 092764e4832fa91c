"""gunicorn keeps answering /healthz while 20 clients dribble their headers (a "slowloris"), on 127.0.0.1.

Starts the real server with the production gunicorn.conf.py and 2 workers, opens 20 connections that send
one header line a second and never finish, and checks /healthz still answers quickly. Bounded: about 10 s.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.paths import ROOT

SLOW_CLIENTS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthz(port: int, timeout: float) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout) as response:
        return response.status


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite'}",
        "SECRET_KEY": "slow-client-test",
        "WEB_CONCURRENCY": "2",
        "BIND": f"127.0.0.1:{port}",
        "LOG_LEVEL": "warning",
    }
    env.pop("THREADS", None)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                healthz(port, 1)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("gunicorn did not start")
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_healthz_keeps_answering_while_twenty_clients_send_headers_slowly(server):
    stop = threading.Event()
    sockets = []
    for _ in range(SLOW_CLIENTS):
        client = socket.create_connection(("127.0.0.1", server), timeout=5)
        client.sendall(b"GET /directory/search HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        sockets.append(client)

    def dribble() -> None:
        n = 0
        while not stop.wait(1.0):
            n += 1
            for client in sockets:
                try:
                    client.sendall(f"X-Slow-{n}: x\r\n".encode())
                except OSError:
                    pass

    dribbler = threading.Thread(target=dribble, daemon=True)
    dribbler.start()
    try:
        time.sleep(2)  # every slow client is now holding whatever it can
        timings = []
        for _ in range(5):
            started = time.monotonic()
            assert healthz(server, timeout=3) == 200
            timings.append(time.monotonic() - started)
        assert max(timings) < 3
    finally:
        stop.set()
        dribbler.join(timeout=5)
        for client in sockets:
            client.close()
