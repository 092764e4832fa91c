"""`make load`: a bounded load test of gunicorn against PostgreSQL, on 127.0.0.1 only.

`python -m bench.load --seconds 60 --workers 2` with TEST_DATABASE_URL (its public schema is reset, so point
it at a scratch database):
1. resets the schema, migrates, loads the demo directory and creates N survey invitations through
   `surveys.signposting.record_contact` (the call handler's path), keeping their tokens. Each invitation's
   organisation name gets a marker (" [load 00042]"), which the anonymous response copies, so every stored
   response can be traced back to the submission that made it;
2. starts gunicorn with gunicorn.conf.py (gthread) and N workers on a free port of 127.0.0.1;
3. after a short warm-up (--warmup, default 5 s: the same traffic, not timed but checked), drives mixed
   traffic from a bounded pool of virtual users (threads), each with its own cookie jar, for the given
   seconds: ~60% of requests are searches (varied words, postcodes and filters), ~30% service pages,
   ~10% survey pages, where a new resident takes an unused token, GETs the start page and each question,
   reads the CSRF token from the form, answers every question and submits;
4. stops gunicorn and checks in the database that every completed submission was stored exactly once (and
   with the answers sent), that no response was stored twice and that claimed invitations match responses.

Rate limits stay on. Search and "Ask us" limits are raised through SEARCH_RATE_LIMIT / ASK_RATE_LIMIT; the
survey (30 POSTs a minute) and sign-in limits are per client address and not configurable, so the server
runs with BEHIND_PROXY=true, as in production, and each virtual resident sends its own X-Forwarded-For
address, as residents behind the TLS proxy would.

Prints one JSON object as the last line and saves it as bench/results/load-<timestamp>.json. Exits 1 when
any request failed or the stored-exactly-once check did not hold.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import itertools
import json
import os
import platform
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from flask_migrate import upgrade
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bench.__main__ import percentile, reset
from bench.serving import free_port
from directory.loading import load_demo
from directory.models import Service
from directory.postcodes import HERTFORDSHIRE_DISTRICTS
from directory.repository import categories
from signpost.app import create_app
from signpost.platform.config import normalise_database_url
from signpost.platform.extensions import db
from surveys import repository
from surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse
from surveys.signposting import (
    CHANNELS,
    DEFAULT_INVITATION_DAYS,
    SIGNPOSTING_SURVEY,
    ContactDetails,
    hash_token,
    new_token,
    record_contact,
)

try:
    import brotli
except ImportError:  # pragma: no cover - flask-compress installs it
    brotli = None

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = Path(__file__).resolve().parent / "results"
HOST = "127.0.0.1"
TARGET_SHARE = {"search": 0.6, "service": 0.3, "survey": 0.1}
MARKER = re.compile(r" \[load (\d+)\]$")
THANK_YOU = "/your-views/thank-you"

QUERIES = (
    "carers",
    "dementia",
    "demensia",
    "lunch club",
    "meals on wheels",
    "falls",
    "money worries",
    "lonely",
    "befriending",
    "respite",
    "short breaks",
    "debt advice",
    "my mum keeps falling over",
    "memory cafe",
    "transport to hospital",
    "benefits",
    "housing",
    "mental health",
    "exercise class",
    "hearing loss",
    "carer support group",
    "",
)
POSTCODES = (
    "",
    "",
    "SG1 1AA",
    "SG1",
    "SG2 8AS",
    "AL1 3JE",
    "AL10 9AB",
    "WD17 1HP",
    "WD18",
    "HP1 1HR",
    "HP2",
    "EN8 9XE",
    "EN6",
    "CM23 3DQ",
    "SG13 8DQ",
    "SG6 3ER",
    "WD6 1WA",
    "LU1 2AA",
)
TEXT_ANSWERS = ("", "Nothing, thank you", "Call back sooner", "More about transport, please")

FORM_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
RADIO = re.compile(r'<input[^>]*name="answer"[^>]*type="radio"[^>]*value="([^"]*)"')
RADIO_ALT = re.compile(r'<input[^>]*value="([^"]*)"[^>]*name="answer"[^>]*type="radio"')


# --- Preparing the database ----------------------------------------------------------------------------


def prepare(url: str, invitations: int) -> dict:
    """A fresh schema with the demo directory and `invitations` open survey links; returns what the users need."""
    reset(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        load_demo()
        db.session.commit()
        services = list(db.session.scalars(select(Service).options(selectinload(Service.organization))))
        category_codes = [term.code for term in categories()]
        rng = random.Random(7)
        tokens = []
        for index in range(invitations):
            details = ContactDetails(
                need_category=rng.choice(category_codes) if category_codes else None,
                district=rng.choice(HERTFORDSHIRE_DISTRICTS),
                channel=rng.choice(CHANNELS),
                survey_consent=True,
                send_by=None,
            )
            recorded = record_contact(None, [rng.choice(services)], details, lambda token: f"/your-views/{token}")
            listed = recorded.record.services[0]
            listed.organisation_name = f"{listed.organisation_name[:230]} [load {index:05d}]"
            # The link ``surveys send-due`` would send later (``signposting.send_invitation``), without the message.
            token = new_token()
            repository.add_invitation(
                SurveyInvitation(
                    token_hash=hash_token(token),
                    survey_id=SIGNPOSTING_SURVEY,
                    record_id=recorded.record.id,
                    signposted_service_id=listed.id,
                    expires_at=datetime.now(UTC) + timedelta(days=DEFAULT_INVITATION_DAYS),
                )
            )
            db.session.commit()  # one call a transaction, as a call handler makes them
            tokens.append((index, token))
        prepared = {"tokens": tokens, "service_ids": [s.id for s in services], "categories": category_codes}
        db.session.remove()
        db.engine.dispose()
    return prepared


# --- The server ----------------------------------------------------------------------------------------


class Gunicorn:
    """gunicorn -c gunicorn.conf.py (gthread) with `workers` workers on 127.0.0.1, logging to `log`."""

    def __init__(self, database_url: str, workers: int, threads: int, log: Path) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "load-test",
            "BEHIND_PROXY": "true",
            "SEARCH_RATE_LIMIT": "100000 per minute",
            "ASK_RATE_LIMIT": "100000 per minute",
            "THREADS": str(threads),
            "LOG_LEVEL": "warning",
        }
        env.pop("REDIS_URL", None)
        self.log = log
        self.log_file = log.open("wb")
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
        command += ["--workers", str(workers), "--bind", f"{HOST}:{self.port}", "wsgi:app"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log_file, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"http://{HOST}:{self.port}/readyz", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.close()
        raise RuntimeError(f"gunicorn did not become ready; its log:\n{log.read_text(errors='replace')[-3000:]}")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


# --- The virtual users ---------------------------------------------------------------------------------


class Stats:
    """Every request's kind, latency and outcome, and the share of traffic so far (to steer the mix)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.issued: Counter[str] = Counter()

    def record(self, kind: str, ms: float, status: int | None, error: str | None = None) -> None:
        with self.lock:
            self.latency[kind].append(ms)
            self.statuses[str(status)] += 1
            if error:
                self.errors[error] += 1

    def next_kind(self, surveys_left: bool) -> str:
        """The kind furthest below its target share of requests issued so far."""
        with self.lock:
            total = sum(self.issued.values()) + 1
            kinds = [k for k in TARGET_SHARE if surveys_left or k != "survey"]
            return max(kinds, key=lambda k: TARGET_SHARE[k] * total - self.issued[k])

    def issue(self, group: str) -> None:
        with self.lock:
            self.issued[group] += 1


class Failed(Exception):
    """A request or a survey step that did not do what a resident's browser would expect."""


class Resident:
    """One virtual user: a cookie jar, a client address, and one connection per request (Connection: close)."""

    addresses = itertools.count(1)

    def __init__(self, port: int, stats: Stats) -> None:
        self.port = port
        self.stats = stats
        self.jar = CookieJar()
        n = next(self.addresses)
        self.address = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"

    def request(self, kind: str, group: str, method: str, path: str, form: dict | None = None):
        """(status, Location, text); any non-2xx/3xx or exception is recorded as an error and raised."""
        self.stats.issue(group)
        cookie_request = urllib.request.Request(f"http://{HOST}:{self.port}{path}", method=method)
        self.jar.add_cookie_header(cookie_request)
        headers = {
            "Host": f"{HOST}:{self.port}",
            "Accept": "text/html",
            "Accept-Encoding": "br, gzip" if brotli else "gzip",
            "Accept-Language": "en-GB",
            "User-Agent": "signpost-load-test",
            "X-Forwarded-For": self.address,
            "Connection": "close",
        }
        if cookie_request.has_header("Cookie"):
            headers["Cookie"] = cookie_request.get_header("Cookie")
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            raw = response.read()
        except Exception as error:
            self.stats.record(kind, (time.perf_counter() - started) * 1000, None, f"{kind}: {type(error).__name__}")
            raise Failed(f"{method} {path}: {error!r}") from error
        finally:
            connection.close()
        elapsed = (time.perf_counter() - started) * 1000
        self.jar.extract_cookies(response, cookie_request)
        ok = 200 <= response.status < 400
        self.stats.record(kind, elapsed, response.status, None if ok else f"{kind}: HTTP {response.status}")
        if not ok:
            raise Failed(f"{method} {path}: HTTP {response.status}")
        encoding = response.getheader("Content-Encoding", "")
        if encoding == "br" and brotli:
            raw = brotli.decompress(raw)
        elif encoding == "gzip":
            raw = gzip.decompress(raw)
        return response.status, response.getheader("Location"), raw.decode("utf-8", "replace")


def search_path(rng: random.Random, category_codes: list[str]) -> str:
    args = {"q": rng.choice(QUERIES), "postcode": rng.choice(POSTCODES)}
    roll = rng.random()
    if roll < 0.15 and category_codes:
        args["category"] = rng.choice(category_codes)
    elif roll < 0.25:
        args["district"] = rng.choice(HERTFORDSHIRE_DISTRICTS)
    elif roll < 0.30:
        args["free"] = "y"
    if args["postcode"] and rng.random() < 0.2:
        args["distance"] = rng.choice(("3", "5", "10"))
    if rng.random() < 0.1:
        args["page"] = "2"
    if not args["q"] and not args["postcode"] and len(args) == 2:
        args["q"] = "carers"
    return "/directory/search?" + urlencode({k: v for k, v in args.items() if v})


def choose_answer(rng: random.Random, page: str, index: int) -> str:
    if 'name="answer"' in page and "<textarea" in page:
        text = rng.choice(TEXT_ANSWERS)
        return f"{text} (load {index:05d})" if text else ""
    options = RADIO.findall(page) or RADIO_ALT.findall(page)
    if not options:
        raise Failed("no answer field on the question page")
    if "You can skip this question" in page and rng.random() < 0.15:
        return ""
    return rng.choice(options)


def answer_survey(resident: Resident, rng: random.Random, index: int, token: str) -> dict[str, str]:
    """The whole journey through the pages; returns the answers sent when the response reached "thank you"."""
    start = f"/your-views/{token}"
    _status, _location, page = resident.request("survey_page", "survey", "GET", start)
    first = re.search(rf'href="({re.escape(start)}/[a-z_]+)"', page)
    if not first:
        raise Failed("no link to the first question on the start page")
    path = first.group(1)
    answers: dict[str, str] = {}
    for _step in range(20):
        _status, _location, page = resident.request("survey_page", "survey", "GET", path)
        csrf = FORM_CSRF.search(page)
        if not csrf:
            raise Failed(f"no CSRF token in the form at {path}")
        answer = choose_answer(rng, page, index)
        answers[path.rsplit("/", 1)[1]] = answer
        status, location, _page = resident.request(
            "survey_submit", "survey", "POST", path, {"csrf_token": csrf.group(1) or csrf.group(2), "answer": answer}
        )
        if status != 302 or not location:
            raise Failed(f"POST {path} answered {status} without a redirect")
        path = urlsplit(location).path
        if path == THANK_YOU:
            resident.request("survey_page", "survey", "GET", path)
            return {question: value for question, value in answers.items() if value}
    raise Failed("the survey did not end")


class Tokens:
    def __init__(self, tokens: list[tuple[int, str]]) -> None:
        self.lock = threading.Lock()
        self.unused = list(reversed(tokens))

    def take(self) -> tuple[int, str] | None:
        with self.lock:
            return self.unused.pop() if self.unused else None

    def __bool__(self) -> bool:
        return bool(self.unused)


class Load:
    """The invitations still unused and every survey submission's fate, shared by warm-up and the timed run."""

    def __init__(self, port: int, prepared: dict) -> None:
        self.port = port
        self.prepared = prepared
        self.tokens = Tokens(prepared["tokens"])
        self.completed: dict[int, dict[str, str]] = {}
        self.failed: dict[int, str] = {}
        self.lock = threading.Lock()

    def run(self, users: int, seconds: float, stats: Stats) -> float:
        """Drive `users` virtual users for `seconds` (surveys under way finish); returns the wall time taken."""
        deadline = time.monotonic() + seconds

        def user(number: int) -> None:
            rng = random.Random(f"{number}-{seconds}")
            resident = Resident(self.port, stats)
            while time.monotonic() < deadline:
                kind = stats.next_kind(bool(self.tokens))
                try:
                    if kind == "search":
                        resident.request("search", "search", "GET", search_path(rng, self.prepared["categories"]))
                    elif kind == "service":
                        path = f"/directory/services/{rng.choice(self.prepared['service_ids'])}"
                        resident.request("service", "service", "GET", path)
                    else:
                        self.survey(rng, stats)
                except Failed:
                    continue

        started = time.perf_counter()
        threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started

    def survey(self, rng: random.Random, stats: Stats) -> None:
        taken = self.tokens.take()
        if taken is None:
            return
        index, token = taken
        try:  # a new resident (cookies, address) for each invitation
            answers = answer_survey(Resident(self.port, stats), rng, index, token)
        except Failed as error:
            with self.lock:
                self.failed[index] = str(error)
            return
        with self.lock:
            self.completed[index] = answers


# --- Checking what was stored --------------------------------------------------------------------------


def verify(url: str, completed: dict[int, dict[str, str]], failed: dict[int, str]) -> dict:
    """Every completed submission stored exactly once with its answers; nothing stored twice or from nowhere."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        rows = db.session.execute(select(SurveyResponse.id, SurveyResponse.organisation_name)).all()
        answers: dict[int, dict[str, str]] = defaultdict(dict)
        for response_id, question_id, code, text in db.session.execute(
            select(SurveyAnswer.response_id, SurveyAnswer.question_id, SurveyAnswer.code, SurveyAnswer.text)
        ):
            answers[response_id][question_id] = code if code is not None else text
        claimed = db.session.scalar(
            select(func.count()).select_from(SurveyInvitation).where(SurveyInvitation.used_at.is_not(None))
        )
        db.session.remove()
        db.engine.dispose()
    stored: dict[int, list[int]] = defaultdict(list)
    unmarked = 0
    for response_id, organisation_name in rows:
        match = MARKER.search(organisation_name or "")
        if match:
            stored[int(match.group(1))].append(response_id)
        else:
            unmarked += 1
    duplicates = sorted(index for index, ids in stored.items() if len(ids) > 1)
    missing = sorted(index for index in completed if index not in stored)
    unexpected = sorted(index for index in stored if index not in completed)
    wrong_answers = sorted(
        index
        for index, sent in completed.items()
        if len(stored.get(index, ())) == 1 and answers[stored[index][0]] != sent
    )
    responses = sum(len(ids) for ids in stored.values())
    exactly_once = (
        not duplicates
        and not missing
        and not unexpected
        and not wrong_answers
        and not unmarked
        and responses == claimed == len(completed)
    )
    return {
        "submissions_completed": len(completed),
        "submissions_failed": len(failed),
        "responses_stored": responses,
        "invitations_claimed": claimed,
        "responses_stored_twice": len(duplicates),
        "completed_but_missing": len(missing),
        "stored_without_completed_submission": len(unexpected),
        "stored_with_other_answers": len(wrong_answers),
        "unmarked_responses": unmarked,
        "stored_exactly_once": exactly_once,
    }


def summarise(args, stats: Stats, duration: float, warmup: Stats, load: Load, checked: dict, loadavg: dict) -> dict:
    kinds = {
        "search": stats.latency["search"],
        "service": stats.latency["service"],
        "survey": stats.latency["survey_page"] + stats.latency["survey_submit"],
        "survey_submit": stats.latency["survey_submit"],
    }
    requests = sum(len(samples) for samples in stats.latency.values())
    groups = {"search": len(kinds["search"]), "service": len(kinds["service"]), "survey": len(kinds["survey"])}
    warmup_requests = sum(len(samples) for samples in warmup.latency.values())
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "load_average_1m": loadavg,
        "database": "postgresql",
        "server": {"workers": args.workers, "worker_class": "gthread", "threads": args.threads},
        "users": args.users,
        "seconds": args.seconds,
        "duration_s": round(duration, 2),
        "requests": requests,
        "rps": round(requests / duration, 1),
        "share": {name: round(count / max(requests, 1), 3) for name, count in groups.items()},
        "latency_ms": {
            name: {
                "count": len(samples),
                "p50": round(percentile(samples, 50), 1) if samples else None,
                "p95": round(percentile(samples, 95), 1) if samples else None,
            }
            for name, samples in kinds.items()
        },
        "errors": sum(stats.errors.values()) + sum(warmup.errors.values()),
        "error_detail": dict(stats.errors + warmup.errors),
        "statuses": dict(sorted(stats.statuses.items())),
        "warmup": {"seconds": args.warmup, "requests": warmup_requests, "errors": sum(warmup.errors.values())},
        "survey": {
            "invitations": args.invitations,
            "invitations_left": len(load.tokens.unused),
            **checked,
            "failures": dict(list(load.failed.items())[:5]),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--users", type=int, default=8, help="virtual users (client threads)")
    parser.add_argument("--invitations", type=int, default=2000, help="survey invitations to create")
    parser.add_argument("--warmup", type=float, default=5, help="seconds of the same traffic before measuring")
    args = parser.parse_args()
    if not os.environ.get("TEST_DATABASE_URL", "").startswith(("postgres://", "postgresql")):
        sys.exit("Set TEST_DATABASE_URL to a scratch PostgreSQL database (its public schema is reset).")
    url = normalise_database_url(os.environ["TEST_DATABASE_URL"])

    print(f"Preparing the database and {args.invitations} invitations…", file=sys.stderr)
    prepared = prepare(url, args.invitations)
    stats, warmup = Stats(), Stats()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "gunicorn.log"
        server = Gunicorn(url, args.workers, args.threads, log)
        try:
            load = Load(server.port, prepared)
            print(f"Warming up for {args.warmup:g} s, then {args.users} users for {args.seconds:g} s…", file=sys.stderr)
            load.run(args.users, args.warmup, warmup)
            loadavg = {"start": round(os.getloadavg()[0], 2)}
            duration = load.run(args.users, args.seconds, stats)
            loadavg["end"] = round(os.getloadavg()[0], 2)
        finally:
            server.close()
        lines = log.read_text(errors="replace").splitlines()
        problems = [line for line in lines if "[ERROR]" in line or line.startswith("Traceback")]
    checked = verify(url, load.completed, load.failed)
    summary = summarise(args, stats, duration, warmup, load, checked, loadavg)
    summary["server_log_errors"] = problems[:5]
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / f"load-{datetime.now(UTC):%Y%m%dT%H%M%S}.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary))
    if summary["errors"] or not checked["stored_exactly_once"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
