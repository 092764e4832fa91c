"""Fit the "Ask us" read-outs (risk, which risk, which need) and write signpost/ask/data/heads.npz.

``python -m bench.ask_train``: the examples are the reviewed anchors (risk.json, intents.json, needs_i18n.json)
and the DEVELOPMENT sets (tests/data/ask_judgements.csv, ask_dev.csv, dev/ask_dev_*.csv). Never the held-out
sets in tests/data/heldout/. ``--cv`` prints 5-fold cross-validated figures on the development rows instead
of writing (that is how ``LAMBDA`` and the thresholds in understanding.py were chosen).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib

import numpy as np

from bench.ask_heldout import DEV, rows_of
from signpost.ask import semantic, understanding
from signpost.ask.matching import load_intents

LAMBDA = 1.0
"""The ridge penalty of the need and which-risk read-outs. By ``python -m bench.ask_cv --need-grid`` 0.5 ranks needs
a little better beside the nearest examples (English 90.5% against 90.1%, within a few rows), but it makes the
read-out surer of nonsense ("xylophone lessons" on a Polish search page read as sight loss), so 1.0 stays."""
RISK_LAMBDA = 3.0
"""The risk read-out's ridge penalty: by --cv, 3 gives fewer false urgent than 1 at the same recall."""


def examples() -> tuple[list[str], list[str | None], list[str | None], np.ndarray]:
    """Texts, risk rule (or None), intent (or None), and which are development rows."""
    texts, risk, intent, dev = [], [], [], []
    for label, text in understanding.anchor_examples():
        texts.append(text)
        risk.append(label.removeprefix("risk:") if label.startswith("risk:") else None)
        need = label.removeprefix("need:") if label.startswith("need:") else None
        intent.append(label if label == understanding.NOT_A_NEED else need)
        dev.append(False)
    for row in rows_of(DEV):
        texts.append(" ".join(row["turns"]))
        risk.append(row["urgent"] if row["kind"] == "urgent" else None)
        intent.append(row["intent"])
        dev.append(True)
    return texts, risk, intent, np.array(dev)


def vectors_of(model: semantic.Embedder, texts: list[str], dev: np.ndarray) -> np.ndarray:
    """The examples' vectors: the reviewed anchors' from their cache (as the site reads them), the rest encoded."""
    index = understanding._index()
    anchors = len(understanding.anchor_examples())
    assert index is not None and not dev[:anchors].any() and dev[anchors:].all()
    return np.vstack([index.vectors, model.encode(texts[anchors:])]).astype(np.float32)


def example_intents(intent: list[str | None], rows) -> tuple[str, ...]:
    """The need of each of these development rows as a nearest example ("" for none, or a greeting)."""
    return tuple(intent[i] if intent[i] and intent[i] != understanding.NOT_A_NEED else "" for i in rows)


def example_label(risk: str | None, intent: str | None) -> str:
    """A development row's label as a nearest example: its risk, a domestic-abuse need (never ordinary), or safe."""
    return f"risk:{risk}" if risk else "need:domestic_abuse" if intent == "domestic_abuse" else "safe"


def fold_of(text: str) -> int:
    """The fold (of five) of a development row, by a hash of its text: one fold for duplicates, and the folds do
    not move when reviewed examples are added."""
    return hashlib.sha256(text.strip().lower().encode("utf-8")).digest()[0] % 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true")
    parser.add_argument("--lam", type=float, default=LAMBDA, help="ridge penalty")
    parser.add_argument("--dev-anchors", action="store_true", help="with --cv: development rows as examples")
    parser.add_argument("--risk-lam", type=float, default=RISK_LAMBDA, help="ridge penalty of the risk read-out")
    args = parser.parse_args()
    model = semantic.embedder()
    if model is None:
        raise SystemExit("The embedding model package is not installed")
    texts, risk, intent, dev = examples()
    vectors = vectors_of(model, texts, dev)
    rule_ids = [rule["id"] for rule in understanding.risk_data()["rules"]]
    intent_ids = [*load_intents().ids, understanding.NOT_A_NEED]  # greetings and nonsense: a class of their own
    if not args.cv:
        heads = semantic.fit_heads(vectors, risk, intent, rule_ids, intent_ids, args.lam, args.risk_lam)
        labels = tuple(example_label(risk[i], intent[i]) for i in np.flatnonzero(dev))
        rows = semantic.AnchorIndex(labels, vectors[dev], example_intents(intent, np.flatnonzero(dev)))
        semantic.save_heads(dataclasses.replace(heads, examples=rows), model.version)
        print(f"wrote {semantic.HEADS_FILE} ({len(texts)} examples, {dev.sum()} from the development sets)")
        return
    fold = np.array([fold_of(text) if is_dev else -1 for text, is_dev in zip(texts, dev, strict=True)])
    scores = np.zeros(len(texts))
    right = np.zeros(len(texts), dtype=bool)
    folds = []
    for k in range(5):
        train = fold != k
        heads = semantic.fit_heads(
            vectors[train], list(np.array(risk, object)[train]), list(np.array(intent, object)[train]),
            rule_ids, intent_ids, args.lam, args.risk_lam,
        )  # fmt: skip
        folds.append(heads)
        for i in np.flatnonzero(fold == k):
            score, _, needs = heads.scores(vectors[i])
            scores[i] = score
            right[i] = intent[i] is not None and max(needs, key=needs.get) == intent[i]
    urgent = np.array([r is not None for r in risk]) & dev
    for threshold in (0.3, 0.35, 0.4, 0.45, 0.5):
        flagged = scores >= threshold
        print(f"risk head >= {threshold}: missed {(urgent & ~flagged).sum()}/{urgent.sum()}, "
              f"false {(dev & ~urgent & flagged).sum()}/{(dev & ~urgent).sum()}")  # fmt: skip
    with_need = dev & np.array([i is not None for i in intent])
    print(f"need head alone: {right[with_need].mean():.3f} of {with_need.sum()}")
    whole_decision(model, fold, folds, vectors if args.dev_anchors else None, risk)


def whole_decision(
    model: semantic.Embedder, fold: np.ndarray, folds: list[semantic.Heads], dev_vectors=None, risk=None
) -> None:
    """The whole risk decision (phrases, patterns, figures of speech, nearest examples, read-out), each development
    row turn by turn with the read-out of the fold that did not see it, for a grid of thresholds: the missed and
    false-urgent counts, recall first."""
    index = understanding._index()
    assert index is not None
    rows = rows_of(DEV)
    everyone = understanding.risk_data()["rules"]
    turns = []  # (row, phrase-or-pattern found, excepted rules, similarities, read-out score)
    offset = len(understanding.anchor_examples())
    vectors = model.encode([turn for row in rows for turn in row["turns"]])
    at = 0
    for r, row in enumerate(rows):
        heads = folds[fold[offset + r]]
        for turn in row["turns"]:
            vector = vectors[at]
            at += 1
            certain = bool(understanding.phrase_risks(turn) or understanding.pattern_risks(turn))
            excepted = frozenset(understanding.excepted_rules(turn))
            if not certain and understanding.calmed(turn):
                excepted = frozenset(rule["id"] for rule in everyone)
            similarities = index.best_by_label(vector)
            if dev_vectors is not None:  # the other folds' development rows as examples too
                others = np.flatnonzero((fold >= 0) & (fold != fold[offset + r]))
                alike = dev_vectors[others] @ vector
                for j, value in zip(others.tolist(), alike.tolist(), strict=True):
                    label = f"risk:{risk[j]}" if risk[j] else "safe"
                    similarities[label] = max(similarities.get(label, -1.0), value)
            turns.append((r, certain, excepted, similarities, heads.scores(vector)[0]))
    urgent = np.array([row["kind"] == "urgent" for row in rows])
    english = np.array([row["lang"] == "en" for row in rows])
    results = []
    for similarity in (0.84, 0.86, 0.88, 0.89, 0.9, 0.92, 1.1):
        for margin, excepted_margin in ((0.0, 0.02), (0.01, 0.03), (0.02, 0.04)):
            for head in (0.36, 0.38, 0.4, 0.42, 0.45):
                for head_excepted in (0.5, 0.6, 0.7):
                    saved = (understanding.RISK_SIMILARITY, understanding.RISK_MARGIN, understanding.EXCEPTED_MARGIN)
                    understanding.RISK_SIMILARITY, understanding.RISK_MARGIN = similarity, margin
                    understanding.EXCEPTED_MARGIN = excepted_margin
                    flagged = np.zeros(len(rows), dtype=bool)
                    for r, certain, excepted, similarities, score in turns:
                        near = understanding.model_risks(similarities, excepted)
                        flagged[r] |= certain or bool(near) or score >= (head_excepted if excepted else head)
                    understanding.RISK_SIMILARITY, understanding.RISK_MARGIN, understanding.EXCEPTED_MARGIN = saved
                    results.append((
                        int((urgent & ~flagged).sum()), int((~urgent & flagged).sum()),
                        int((urgent & ~flagged & english).sum()), int((~urgent & flagged & english).sum()),
                        similarity, margin, excepted_margin, head, head_excepted,
                    ))  # fmt: skip
    print(f"whole decision on {urgent.sum()} urgent and {(~urgent).sum()} other development rows (5-fold read-out):")
    print("missed false (en missed, en false) | similarity margin except_margin head head_except")
    for result in sorted(results)[:25]:
        print(*result)


if __name__ == "__main__":
    main()
