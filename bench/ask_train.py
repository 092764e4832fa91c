"""Fit the "Ask us" read-outs (risk, which risk, which need) and write signpost/ask/data/heads.npz.

``python -m bench.ask_train``: the examples are the reviewed anchors (risk.json, intents.json, needs_i18n.json)
and the DEVELOPMENT sets (tests/data/ask_judgements.csv, ask_dev.csv, dev/ask_dev_*.csv). Never the held-out
sets in tests/data/heldout/. ``--cv`` prints 5-fold cross-validated figures on the development rows instead
of writing (that is how ``LAMBDA`` and the thresholds in understanding.py were chosen).
"""

from __future__ import annotations

import argparse

import numpy as np

from bench.ask_heldout import DEV, rows_of
from signpost.ask import semantic, understanding
from signpost.ask.matching import load_intents

LAMBDA = 1.0


def examples() -> tuple[list[str], list[str | None], list[str | None], np.ndarray]:
    """Texts, risk rule (or None), intent (or None), and which are development rows."""
    texts, risk, intent, dev = [], [], [], []
    for label, text in understanding.anchor_examples():
        texts.append(text)
        risk.append(label.removeprefix("risk:") if label.startswith("risk:") else None)
        intent.append(label.removeprefix("need:") if label.startswith("need:") else None)
        dev.append(False)
    for row in rows_of(DEV):
        texts.append(" ".join(row["turns"]))
        risk.append(row["urgent"] if row["kind"] == "urgent" else None)
        intent.append(row["intent"])
        dev.append(True)
    return texts, risk, intent, np.array(dev)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true")
    args = parser.parse_args()
    model = semantic.embedder()
    if model is None:
        raise SystemExit("The embedding model package is not installed")
    texts, risk, intent, dev = examples()
    vectors = model.encode(texts)
    rule_ids = [rule["id"] for rule in understanding.risk_data()["rules"]]
    intent_ids = list(load_intents().ids)
    if not args.cv:
        heads = semantic.fit_heads(vectors, risk, intent, rule_ids, intent_ids, LAMBDA)
        semantic.save_heads(heads, model.version)
        print(f"wrote {semantic.HEADS_FILE} ({len(texts)} examples, {dev.sum()} from the development sets)")
        return
    fold = np.where(dev, np.random.default_rng(0).integers(0, 5, len(texts)), -1)
    scores = np.zeros(len(texts))
    right = np.zeros(len(texts), dtype=bool)
    for k in range(5):
        train = fold != k
        heads = semantic.fit_heads(
            vectors[train], list(np.array(risk, object)[train]), list(np.array(intent, object)[train]),
            rule_ids, intent_ids, LAMBDA,
        )  # fmt: skip
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


if __name__ == "__main__":
    main()
