"""Understanding what a person typed: words, typo correction and plain-English synonyms.

Plain functions with no Flask or database in them. The engine supplies a `term_exists` predicate
so that a word found anywhere in the directory is never "corrected".
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process

SYNONYMS_FILE = Path(__file__).resolve().parent.parent / "data" / "synonyms.json"
MAX_PHRASE_WORDS = 4
MIN_CORRECTABLE_LENGTH = 4
CORRECTION_SCORE_CUTOFF = 78.0
# A correction that completes a synonym phrase with the words typed beside it may be a little further.
PHRASE_CORRECTION_CUTOFF = 70.0
MAX_QUERY_WORDS = 12
# A need the model found near the words, not typed, counts for this share of a typed one (set on the
# development set, tests/data/dev/).
SEMANTIC_SHARE = 0.35

WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)

Phrase = tuple[str, ...]


def words(text: str) -> list[str]:
    """Lower-case words of a text, apostrophes dropped ("Mum's" -> "mums")."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return [w.replace("'", "") for w in WORD_RE.findall(text)]


@dataclass(frozen=True)
class Lexicon:
    """What search knows about language: synonym groups, filler words and the correction vocabulary."""

    groups: tuple[tuple[Phrase, ...], ...]
    stopwords: frozenset[str]
    vocabulary: tuple[str, ...] = ()
    phrase_index: dict[Phrase, int] = field(default_factory=dict, compare=False, hash=False)
    categories: tuple[str | None, ...] = ()  # each group's category code, if it stands for one
    # The vocabulary by first letter: a misspelling keeps its first letter (see `correct_words`).
    by_initial: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def build(
        cls,
        groups: Iterable[Iterable[str]],
        stopwords: Iterable[str],
        vocabulary_texts: Iterable[str] = (),
        categories: Iterable[str | None] = (),
    ):
        phrase_groups = tuple(tuple(tuple(words(term)) for term in group if words(term)) for group in groups)
        index: dict[Phrase, int] = {}
        for number, group in enumerate(phrase_groups):
            for phrase in group:
                index.setdefault(phrase, number)
        stop = frozenset(stopwords)
        vocab = {w for text in vocabulary_texts for w in words(text)}
        vocab |= {w for group in phrase_groups for phrase in group for w in phrase}
        vocab = {w for w in vocab if len(w) >= MIN_CORRECTABLE_LENGTH and w not in stop and not w.isdigit()}
        vocabulary = tuple(sorted(vocab))
        by_initial: dict[str, list[str]] = {}
        for word in vocabulary:
            by_initial.setdefault(word[0], []).append(word)
        return cls(
            groups=phrase_groups,
            stopwords=stop,
            vocabulary=vocabulary,
            phrase_index=index,
            categories=tuple(categories),
            by_initial={initial: tuple(found) for initial, found in by_initial.items()},
        )

    def correctable_to(self, word: str) -> tuple[str, ...]:
        """The vocabulary words a misspelt `word` may be corrected to: those with its first letter. People
        rarely mistype a word's first letter, and a correction that changes it mostly turns an English word
        the directory lacks into an unrelated one ("lessons" -> "sessions", "diving" -> "living")."""
        return self.by_initial.get(word[:1], ())


@cache
def synonym_data() -> dict:
    return json.loads(SYNONYMS_FILE.read_text(encoding="utf-8"))


def base_lexicon(vocabulary_texts: Iterable[str] = ()) -> Lexicon:
    data = synonym_data()
    return Lexicon.build(
        groups=(g["terms"] for g in data["groups"]),
        stopwords=data["stopwords"],
        vocabulary_texts=vocabulary_texts,
        categories=(g.get("category") for g in data["groups"]),
    )


def guide_topics(text: str) -> list[str]:
    """The guides (by id) whose topic a search is about: one of the guide's phrases appears in it, word for word."""
    typed = words(text)
    found = []
    for guide, phrases in synonym_data().get("guides", {}).items():
        if guide == "about":
            continue
        for phrase in phrases:
            wanted = words(phrase)
            if any(typed[i : i + len(wanted)] == wanted for i in range(len(typed) - len(wanted) + 1)):
                found.append(guide)
                break
    return found


@dataclass(frozen=True)
class Concept:
    """One thing the person asked for, as alternative phrases any of which may match."""

    alternatives: tuple[Phrase, ...]
    category: str | None = None  # the need its synonym group stands for
    # Not typed: a need the sentence-embedding model found near the words, with its similarity (see
    # `languages.nearest_needs`); it counts for `SEMANTIC_SHARE` of a typed one.
    semantic: float | None = None

    @property
    def share(self) -> float:
        """What the concept counts for beside one the person typed."""
        return 1.0 if self.semantic is None else SEMANTIC_SHARE

    @property
    def known_need(self) -> bool:
        """A need the synonym data knows (a synonym group), not a bare word."""
        return len(self.alternatives) > 1 or self.category is not None

    @property
    def label(self) -> str:
        """The concept as the person typed it (or as typo correction fixed it)."""
        return " ".join(self.alternatives[0])


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    concepts: tuple[Concept, ...]
    corrected_text: str | None = None
    translated: bool = False  # another language, mapped to English concepts (see `search.languages`)

    @property
    def is_empty(self) -> bool:
        return not self.concepts

    @property
    def was_corrected(self) -> bool:
        return self.corrected_text is not None


def correct_words(tokens: list[str], lexicon: Lexicon, term_exists: Callable[[str], bool]) -> tuple[list[str], bool]:
    """Replace words the directory has never seen with the closest vocabulary word, if close enough."""
    corrected: list[str] = []
    changed = False
    known = set(lexicon.vocabulary)
    for token in tokens:
        if (
            len(token) < MIN_CORRECTABLE_LENGTH
            or token in lexicon.stopwords
            or token in known
            or token.isdigit()
            or term_exists(token)
        ):
            corrected.append(token)
            continue
        word = _completing_a_phrase(tokens, len(corrected), lexicon)
        if word is None:
            match = process.extractOne(
                token, lexicon.correctable_to(token), scorer=fuzz.ratio, score_cutoff=CORRECTION_SCORE_CUTOFF
            )
            word = token if match is None else match[0]
        corrected.append(word)
        changed = changed or word != token
    return corrected, changed


def _completing_a_phrase(tokens: list[str], position: int, lexicon: Lexicon) -> str | None:
    """A close vocabulary word that makes the misspelt word at `position` part of a synonym phrase with
    the words around it as typed ("dail a ride" -> "dial a ride", though "daily" is nearer "dail"): the
    closest such word at least PHRASE_CORRECTION_CUTOFF alike, or None."""
    word = tokens[position]
    candidates = process.extract(
        word, lexicon.correctable_to(word), scorer=fuzz.ratio, score_cutoff=PHRASE_CORRECTION_CUTOFF, limit=8
    )
    for word, _score, _index in candidates:
        trial = [*tokens[:position], word, *tokens[position + 1 :]]
        for length in range(2, MAX_PHRASE_WORDS + 1):
            for start in range(max(0, position - length + 1), min(position, len(trial) - length) + 1):
                if tuple(trial[start : start + length]) in lexicon.phrase_index:
                    return word
    return None


def group_concepts(tokens: list[str], lexicon: Lexicon) -> tuple[Concept, ...]:
    """Turn words into concepts: the longest synonym phrase at each point, else the word itself."""
    concepts: list[Concept] = []
    seen: set[tuple[Phrase, ...]] = set()
    position = 0
    while position < len(tokens):
        for length in range(min(MAX_PHRASE_WORDS, len(tokens) - position), 0, -1):
            phrase = tuple(tokens[position : position + length])
            group = lexicon.phrase_index.get(phrase)
            if group is not None:
                alternatives = (phrase,) + tuple(p for p in lexicon.groups[group] if p != phrase)
                category = lexicon.categories[group] if group < len(lexicon.categories) else None
                position += length
                break
        else:
            word = tokens[position]
            position += 1
            if word in lexicon.stopwords or (len(word) < 2 and not word.isdigit()):
                continue
            alternatives = ((word,),)
            category = None
        key = tuple(sorted(alternatives))
        if key not in seen:
            seen.add(key)
            concepts.append(Concept(alternatives, category))
    return tuple(concepts)


def parse_query(
    text: str, lexicon: Lexicon, term_exists: Callable[[str], bool] = lambda _w: False, correct: bool = True
) -> ParsedQuery:
    tokens = words(text)[:MAX_QUERY_WORDS]
    corrected_text = None
    if correct:
        fixed, changed = correct_words(tokens, lexicon, term_exists)
        if changed:
            tokens = fixed
            corrected_text = " ".join(fixed)
    return ParsedQuery(text=text.strip(), concepts=group_concepts(tokens, lexicon), corrected_text=corrected_text)


def needs_unclear(query: ParsedQuery) -> bool:
    """Do the words typed leave the need unclear: none of them is a need the synonym data knows?"""
    return not query.translated and not any(concept.known_need for concept in query.concepts)


def typed(concepts: Iterable[Concept]) -> tuple[Concept, ...]:
    """The concepts that came from the words (not from the model's `semantic` guess)."""
    return tuple(concept for concept in concepts if concept.semantic is None)


def with_concepts(query: ParsedQuery, concepts: Iterable[Concept]) -> ParsedQuery:
    return ParsedQuery(
        text=query.text, concepts=tuple(concepts), corrected_text=query.corrected_text, translated=query.translated
    )


def worth_answering(concepts: tuple[Concept, ...], found: tuple[Concept, ...]) -> bool:
    """Whether what the directory holds of a search's concepts (`found`) is enough to answer it.

    An honest "nothing found" rather than services that share one incidental word with the search: a
    need in the synonym data that the directory holds is always enough; otherwise more than half of
    the search's concepts must be found ("car insurance quote" shares only "car" with the directory).
    """
    if not found:
        return False
    if any(len(concept.alternatives) > 1 for concept in found):
        return True
    return len(found) * 2 > len(concepts)


def infer_category(concepts: Iterable[Concept]) -> tuple[str, Concept] | None:
    """The need a search is about, from its concepts' synonym groups: the category most of them stand
    for (the first such concept's, on a tie), with the first concept that names it (the "because")."""
    counts: dict[str, int] = {}
    first: dict[str, Concept] = {}
    for concept in concepts:
        if concept.category:
            counts[concept.category] = counts.get(concept.category, 0) + 1
            first.setdefault(concept.category, concept)
    if not counts:
        return None
    best = max(counts, key=lambda code: counts[code])  # max keeps the first of equals (dicts keep order)
    return best, first[best]
