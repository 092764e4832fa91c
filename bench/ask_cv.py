"""Cross-validated figures of the whole "Ask us" decision on the development sets (never the held-out sets).

``python -m bench.ask_cv``: the read-outs (``data/heads.npz``) are fitted on the development rows, so the plain
development figures of ``bench.ask_heldout --set dev`` flatter them. Here each development row is answered, turn by
turn through the conversation rules exactly as the site answers it, by read-outs fitted (as ``bench.ask_train``
fits them) WITHOUT the fold that holds the row, and with only the other folds' rows as nearest examples. Rows are
put in one of five folds by a hash of their text, so the same message in two files is always in one fold and the
folds do not move when reviewed examples are added. The printed report has the same figures as
``bench.ask_heldout`` (risk recall, false urgent, near-misses, needs by language and by intent), plus the
confusions (label -> answer) of the needs answered wrongly; ``--misses`` lists the rows.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections import Counter
from collections.abc import Sequence

import numpy as np

from bench import ask_heldout, ask_train
from signpost.ask import semantic, understanding
from signpost.ask.matching import load_intents

FOLDS = 5


def fitted_folds(lam: float, risk_lam: float) -> tuple[list[semantic.Heads], dict[str, int]]:
    """Read-outs fitted without each fold in turn, and the fold of each development text."""
    model = semantic.embedder()
    if model is None:
        raise SystemExit("The embedding model package is not installed")
    texts, risk, intent, dev = ask_train.examples()
    vectors = ask_train.vectors_of(model, texts, dev)
    fold = np.array([ask_train.fold_of(text) if is_dev else -1 for text, is_dev in zip(texts, dev, strict=True)])
    rule_ids = [rule["id"] for rule in understanding.risk_data()["rules"]]
    intent_ids = [*load_intents().ids, understanding.NOT_A_NEED]
    heads = []
    for k in range(FOLDS):
        train = fold != k
        fitted = semantic.fit_heads(
            vectors[train], list(np.array(risk, object)[train]), list(np.array(intent, object)[train]),
            rule_ids, intent_ids, lam, risk_lam,
        )  # fmt: skip
        rows = np.flatnonzero(dev & train)
        labels = tuple(ask_train.example_label(risk[i], intent[i]) for i in rows)
        examples = semantic.AnchorIndex(labels, vectors[rows], ask_train.example_intents(intent, rows))
        heads.append(dataclasses.replace(fitted, examples=examples))
    return heads, {text: int(f) for text, f, is_dev in zip(texts, fold, dev, strict=True) if is_dev}


def need_grid(
    lams: Sequence[float], nearest_weights: Sequence[float], phrase_weights: Sequence[float], risk_lam: float
) -> None:
    """Cross-validated first-need accuracy of the development rows for each ridge penalty of the read-outs
    (``bench.ask_train.LAMBDA``), weight of the nearest example (``understanding.NEAREST_NEED_WEIGHT``: reviewed
    examples and the OTHER folds' rows) and weight of the phrase matcher (``understanding.PHRASE_WEIGHT``). The need
    ranking alone, as ``understanding._combined_needs`` ranks, without the conversation rules: a quick guide."""
    from signpost.ask.matching import match

    model = semantic.embedder()
    assert model is not None
    texts, risk, intent, dev = ask_train.examples()
    vectors = ask_train.vectors_of(model, texts, dev)
    fold = np.array([ask_train.fold_of(text) if is_dev else -1 for text, is_dev in zip(texts, dev, strict=True)])
    langs = [None] * int((~dev).sum()) + [row["lang"] for row in ask_heldout.rows_of(ask_heldout.DEV)]
    ids = list(load_intents().ids)
    rows = [i for i in np.flatnonzero(dev) if intent[i] in ids]
    phrases = {i: match(texts[i]).scores for i in rows}
    need_of = np.array([ids.index(i) if i in ids else -1 for i in intent])
    alike = np.einsum("ij,kj->ik", vectors, vectors[rows])
    nearest: dict[int, np.ndarray] = {}
    for column, i in enumerate(rows):  # reviewed examples and the other folds' rows only
        usable = (need_of >= 0) & ((fold == -1) | ((fold >= 0) & (fold != fold[i])))
        best = np.full(len(ids), -1.0)
        np.maximum.at(best, need_of[usable], alike[usable, column])
        nearest[i] = best
    rule_ids = [rule["id"] for rule in understanding.risk_data()["rules"]]
    print("lam nearest_weight phrase_weight | English first need right | other languages")
    for lam in lams:
        by_head: dict[int, dict[str, float]] = {}
        for k in range(FOLDS):
            train = fold != k
            heads = semantic.fit_heads(
                vectors[train], list(np.array(risk, object)[train]), list(np.array(intent, object)[train]),
                rule_ids, [*ids, understanding.NOT_A_NEED], lam, risk_lam,
            )  # fmt: skip
            by_head.update({i: heads.scores(vectors[i])[2] for i in rows if fold[i] == k})
        for near in nearest_weights:
            for weight in phrase_weights:
                right: Counter = Counter()
                for i in rows:
                    combined = [
                        by_head[i][n] + weight * phrases[i].get(n, 0.0) / 100 + near * nearest[i][j]
                        for j, n in enumerate(ids)
                    ]
                    right["en" if langs[i] == "en" else "other", ids[int(np.argmax(combined))] == intent[i]] += 1
                en = right["en", True] / (right["en", True] + right["en", False])
                other = right["other", True] / (right["other", True] + right["other", False])
                print(f"{lam} {near} {weight} | {en:.3f} | {other:.3f}", flush=True)


def main(argv: Sequence[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lam", type=float, default=ask_train.LAMBDA)
    parser.add_argument("--risk-lam", type=float, default=ask_train.RISK_LAMBDA)
    parser.add_argument("--misses", action="store_true", help="list the rows answered wrongly")
    parser.add_argument("--need-grid", action="store_true", help="the need ranking for a grid of lam and phrase weight")
    args = parser.parse_args(argv)
    if args.need_grid:
        need_grid((0.5, 1.0), (0.0, 2.0, 4.0, 6.0), (0.1, 0.2, 0.3), args.risk_lam)
        return {}
    heads, folds = fitted_folds(args.lam, args.risk_lam)
    rows = ask_heldout.rows_of(ask_heldout.DEV)
    answer = ask_heldout.full_matcher(use_model=True, signals=None)
    original = semantic.heads

    def run(turns: list[str], lang: str) -> ask_heldout.Reply:
        k = folds.get(" ".join(turns), 0)
        semantic.heads = lambda *_: heads[k]  # type: ignore[assignment]
        try:
            return answer(turns, lang)
        finally:
            semantic.heads = original  # type: ignore[assignment]

    result = ask_heldout.report(rows, run, misses=True)
    confusions: Counter = Counter()
    for miss in result["misses"]:
        label, got = miss["expected"][2], miss["got"][2] or (miss["got"][3] or [None])[0]
        if label and got != label:
            confusions[f"{label} -> {got}{' (' + miss['got'][0] + ')' if not miss['got'][2] else ''}"] += 1
    result["confusions"] = dict(confusions.most_common())
    if not args.misses:
        del result["misses"]
    print(json.dumps({"cross_validated": f"{FOLDS}-fold, development rows", **result}, indent=1, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
