"""`make bench-ask`: run the "Ask us" sets through the matcher and print how well it understood them.

Two sets, reported separately (``--set heldout`` or ``--set dev`` for one):

- HELD-OUT: tests/data/heldout/ask_heldout_v6_*.csv (v6, written blind by a helper who had not seen the code).
  Measured only, never tuned on (see tests/data/heldout/README.md).
- DEVELOPMENT: tests/data/ask_judgements.csv, tests/data/ask_dev.csv and tests/data/dev/ask_dev_*.csv (the
  first blind set, looked at while tuning and so no longer held-out) and tests/data/dev/ask_dev_v2_*.csv and
  ask_dev_v3_*.csv to ask_dev_v5_*.csv (held-out v2 to v5, each measured and then tuned on; see
  tests/data/dev/README.md).
  Thresholds are chosen on these. ``--misses`` lists the rows answered wrongly (use it on the dev set).

Reported: risk recall (urgent rows answered urgent) and which risk, the false-urgent rate on other rows (and on the
rows whose note starts NEAR-MISS: alarming words in an ordinary need; OFFTOPIC rows answered without a need),
need accuracy per intent (the reply's intent, or for an urgent reply the need it still carries, equals the
label), clarify rows answered with 2-4 choices, all per language; and p50/p95 time per message, wall clock
and CPU (the machine's 2 cores are shared, so CPU time is the steadier figure).

``--matcher phrases`` is the phrase matcher alone (signpost.ask.matching, the baseline before this work);
``--matcher full`` (default) is the understanding module with every signal, as the site uses it;
``--no-model`` runs the full path without the embedding model; ``--signals`` turns single risk signals off to
measure what each adds.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
HELDOUT = (DATA / "heldout" / "ask_heldout_v6_en.csv", DATA / "heldout" / "ask_heldout_v6_other.csv")
DEV = (
    DATA / "ask_judgements.csv",
    DATA / "ask_dev.csv",
    DATA / "dev" / "ask_dev_en.csv",
    DATA / "dev" / "ask_dev_other.csv",
    DATA / "dev" / "ask_dev_v2_en.csv",  # held-out v2 until branch ask2 tuned on it
    DATA / "dev" / "ask_dev_v2_other.csv",
    DATA / "dev" / "ask_dev_v3_en.csv",  # held-out v3 until branch ask tuned on it
    DATA / "dev" / "ask_dev_v3_other.csv",
    DATA / "dev" / "ask_dev_v4_en.csv",  # held-out v4 until measured before and after session 5's tuning
    DATA / "dev" / "ask_dev_v4_other.csv",
    DATA / "dev" / "ask_dev_v5_en.csv",  # held-out v5 until measured before and after session 6's first round
    DATA / "dev" / "ask_dev_v5_other.csv",
)
TURN_SEPARATOR = " || "

Reply = dict
"""{"kind", "urgent", "intent", "options"} as the JSON API answers."""


def rows_of(paths: Sequence[Path]) -> list[dict]:
    """Every row as {lang, turns, kind, urgent, intent}; the development set's ``expected`` is split likewise."""
    rows = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if "expected" in row:  # development set: "urgent:suicide", "clarify" or an intent id
                    label = row["expected"]
                    kind, urgent, intent = (
                        ("urgent", label.split(":", 1)[1], "")
                        if label.startswith("urgent:")
                        else ("clarify", "", "")
                        if label == "clarify"
                        else ("answer", "", label)
                    )
                    row = {"lang": row.get("lang"), "message": row["text"], "expected_kind": kind,
                           "expected_urgent": urgent, "expected_intent": intent}  # fmt: skip
                rows.append(
                    {
                        "lang": row.get("lang") or "en",
                        "turns": [t.strip() for t in row["message"].split(TURN_SEPARATOR.strip())],
                        "kind": row["expected_kind"],
                        "urgent": row["expected_urgent"] or None,
                        "intent": row["expected_intent"] or None,
                        "tag": (row.get("note") or "").split(" ", 1)[0].split(":", 1)[0].upper(),
                    }
                )
    return rows


def phrase_matcher() -> Callable[[list[str], str], Reply]:
    """The baseline: each turn matched alone by signpost.ask.matching; the last turn's reply counts."""
    from signpost.ask.matching import match

    def run(turns: list[str], lang: str) -> Reply:
        found = match(turns[-1])
        if found.urgent:
            also = found.alternatives
            return {"kind": "urgent", "urgent": found.urgent, "intent": also[0] if also else None, "options": []}
        if found.needs_clarifying:
            kind = "clarify" if found.alternatives else "unsure"
            return {"kind": kind, "urgent": None, "intent": None, "options": list(found.alternatives)}
        return {"kind": "answer", "urgent": None, "intent": found.intent, "options": []}

    return run


def full_matcher(use_model: bool, signals: frozenset[str] | None) -> Callable[[list[str], str], Reply]:
    """The understanding module through the conversation rules, turn after turn, as the page runs it."""
    from signpost.ask import conversation, understanding

    understanding.configure(use_model=use_model, risk_signals=signals)

    def run(turns: list[str], lang: str) -> Reply:
        state = conversation.State()
        reply = None
        for turn in turns:
            reply, state = conversation.step(state, turn, lang=lang)
        return reply.as_api()

    return run


def need_right(row: dict, reply: Reply) -> bool:
    """The need is understood: the reply's intent (or, when it asks, its first choice) is the label."""
    intent = reply.get("intent") or (reply.get("options") or [None])[0]
    return intent == row["intent"]


def report(rows: list[dict], run: Callable[[list[str], str], Reply], misses: bool = False) -> dict:
    wall: list[float] = []
    cpu: list[float] = []
    per_lang: dict[str, Counter] = defaultdict(Counter)
    per_intent: dict[str, Counter] = defaultdict(Counter)
    missed_risk: Counter = Counter()
    wrong_rows: list[dict] = []
    run(["warm up"], "en")
    floor_before = floor()
    for row in rows:
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        reply = run(row["turns"], row["lang"])
        wall.append((time.perf_counter() - start_wall) * 1000 / len(row["turns"]))
        cpu.append((time.process_time() - start_cpu) * 1000 / len(row["turns"]))
        group = "en" if row["lang"] == "en" else "other"
        for key in (row["lang"], group) if row["lang"] != "en" else ("en",):
            tally = per_lang[key]
            if row["kind"] == "urgent":
                tally["urgent"] += 1
                tally["urgent_found"] += reply["kind"] == "urgent"
                tally["urgent_type_right"] += reply.get("urgent") == row["urgent"]
            else:
                tally["not_urgent"] += 1
                tally["false_urgent"] += reply["kind"] == "urgent"
            if row.get("tag") == "NEAR-MISS":
                tally["near_miss"] += 1
                tally["near_miss_urgent"] += reply["kind"] == "urgent"
            if row.get("tag") == "OFFTOPIC":
                tally["offtopic"] += 1
                tally["offtopic_no_need"] += reply["kind"] in ("clarify", "unsure") and not reply.get("intent")
            if row["kind"] == "clarify":
                tally["clarify"] += 1
                tally["clarify_with_choices"] += (
                    reply["kind"] in ("clarify", "unsure") and 2 <= len(reply.get("options") or []) <= 4
                )
            if row["intent"]:
                tally["needs"] += 1
                tally["needs_right"] += need_right(row, reply)
        if row["kind"] == "urgent" and reply["kind"] != "urgent":
            missed_risk[row["urgent"]] += 1
        wrong = (row["kind"] == "urgent") != (reply["kind"] == "urgent") or (
            row["intent"] and not need_right(row, reply)
        )
        if misses and wrong:
            wrong_rows.append(
                {
                    "message": " || ".join(row["turns"]),
                    "lang": row["lang"],
                    "expected": [row["kind"], row["urgent"], row["intent"]],
                    "got": [reply["kind"], reply.get("urgent"), reply.get("intent"), reply.get("options")],
                }
            )
        if row["intent"]:
            per_intent[row["intent"]]["n"] += 1
            per_intent[row["intent"]]["right"] += need_right(row, reply)

    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 3) if b else None

    languages = {
        lang: {
            "risk_recall": ratio(t["urgent_found"], t["urgent"]),
            "risk_type_right": ratio(t["urgent_type_right"], t["urgent"]),
            "urgent_rows": t["urgent"],
            "false_urgent_rate": ratio(t["false_urgent"], t["not_urgent"]),
            "false_urgent": t["false_urgent"],
            "not_urgent_rows": t["not_urgent"],
            "need_accuracy": ratio(t["needs_right"], t["needs"]),
            "need_rows": t["needs"],
            "clarify_with_choices": ratio(t["clarify_with_choices"], t["clarify"]),
            "near_miss_rows": t["near_miss"],
            "near_miss_urgent": t["near_miss_urgent"],
            "offtopic_rows": t["offtopic"],
            "offtopic_not_read_as_a_need": t["offtopic_no_need"],
        }
        for lang, t in sorted(per_lang.items())
    }
    return {
        "rows": len(rows),
        "by_language": languages,
        "risk_missed_by_type": dict(missed_risk),
        "need_accuracy_by_intent": {intent: f"{c['right']}/{c['n']}" for intent, c in sorted(per_intent.items())},
        "floor": {
            "cpu_ms": round(statistics.median([floor_before, floor()]), 2),
            "about": "CPU ms of a fixed pure-Python loop, before and after (median): divide by it to compare runs",
            "load_average_1min": round(os.getloadavg()[0], 2),
        },
        "ms_per_message": {
            "wall_p50": round(statistics.median(wall), 2),
            "wall_p95": round(percentile(wall, 95), 2),
            "cpu_p50": round(statistics.median(cpu), 2),
            "cpu_p95": round(percentile(cpu, 95), 2),
        },
        **({"misses": wrong_rows} if misses else {}),
    }


def floor() -> float:
    """CPU milliseconds of a fixed pure-Python workload (median of 15): the machine's speed in this run."""
    samples = []
    for _ in range(15):
        start = time.process_time()
        sum(i * i for i in range(100_000))
        samples.append((time.process_time() - start) * 1000)
    return statistics.median(samples)


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def main(argv: Sequence[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matcher", choices=("phrases", "full"), default="full")
    parser.add_argument("--no-model", action="store_true", help="the full path without the embedding model")
    parser.add_argument("--signals", help="comma-separated risk signals to use (phrases,patterns,model)")
    parser.add_argument("--set", choices=("both", "heldout", "dev"), default="both", help="which sets to measure")
    parser.add_argument("--dev", action="store_true", help="the development set only (same as --set dev)")
    parser.add_argument("--misses", action="store_true", help="list the rows answered wrongly")
    args = parser.parse_args(argv)
    if args.matcher == "phrases":
        run = phrase_matcher()
    else:
        signals = frozenset(args.signals.split(",")) if args.signals else None
        run = full_matcher(use_model=not args.no_model, signals=signals)
    chosen = "dev" if args.dev else args.set
    sets = {"held_out": HELDOUT, "development": DEV}
    if chosen != "both":
        sets = {name: paths for name, paths in sets.items() if name.startswith(chosen[:3])}
    result: dict = {
        "matcher": args.matcher,
        "model": args.matcher == "full" and not args.no_model,
        "signals": (args.signals or "all") if args.matcher == "full" else "phrases",
    }
    for name, paths in sets.items():
        present = [path for path in paths if path.exists()]
        if not present:
            result[name] = {"missing": [str(path.relative_to(DATA)) for path in paths]}
            continue
        result[name] = {
            "files": [str(path.relative_to(DATA)) for path in present],
            **report(rows_of(present), run, misses=args.misses),
        }
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
