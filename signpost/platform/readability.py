"""Readability scores for plain-English checks: Flesch reading ease and the Flesch–Kincaid grade level.

The method, kept small and predictable so a test can check it by hand:

- **Sentences** end at ``.``, ``!`` or ``?`` followed by a space or the end of the text, and at every line break
  (so a heading or a list item without a full stop counts as a sentence of its own). ``£4.00`` is not split.
- **Words** are the runs of letters (with apostrophes and hyphens inside them). Numbers, amounts of money and
  postcodes are not counted as words, since readers take them in at a glance and they have no syllables to count.
- **Syllables** are counted by vowel groups: each run of ``a e i o u y`` is one syllable; a final silent ``e``
  is dropped (``care``, ``home``) but not in ``-le`` after a consonant (``table``, ``people``) or after another
  vowel (``free``); ``-es``/``-ed`` endings that are not sounded (``makes``, ``asked``) lose their syllable.
  Every word has at least one syllable. This is the usual approximation: it is right for most everyday words
  and within one syllable for the rest, which moves the scores by far less than the gap between bands.

Flesch reading ease = 206.835 − 1.015 × (words ÷ sentences) − 84.6 × (syllables ÷ words). 60 to 70 is
"plain English" (readable by most 13- to 15-year-olds); higher is easier.

Flesch–Kincaid grade = 0.39 × (words ÷ sentences) + 11.8 × (syllables ÷ words) − 15.59: the US school grade
(add 5 for a reading age in years).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PLAIN_ENGLISH = 60.0

_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n+")
_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class Readability:
    sentences: int
    words: int
    syllables: int

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def reading_ease(self) -> float:
        """Flesch reading ease: higher is easier; 60 or more is plain English."""
        return 206.835 - 1.015 * self.words_per_sentence - 84.6 * self.syllables_per_word

    @property
    def grade(self) -> float:
        """Flesch–Kincaid grade level (US school grade)."""
        return 0.39 * self.words_per_sentence + 11.8 * self.syllables_per_word - 15.59

    def __str__(self) -> str:
        return (
            f"reading ease {self.reading_ease:.1f}, grade {self.grade:.1f} "
            f"({self.words} words, {self.sentences} sentences, {self.syllables} syllables)"
        )


def syllables(word: str) -> int:
    """Syllables in one English word, by counting vowel groups (see the module docstring)."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    parts = [part for part in re.split(r"[-']", word) if part]
    return sum(_syllables_in_part(part) for part in parts) or 1


def _syllables_in_part(word: str) -> int:
    count = len(_VOWEL_GROUP.findall(word))
    if len(word) > 2 and word.endswith("e") and word[-2] not in "aeiouy":
        if not (word.endswith("le") and len(word) > 3 and word[-3] not in "aeiouy"):
            count -= 1  # a silent final e: care, home, desire
    elif len(word) > 3 and word[-2:] in ("es", "ed") and word[-3] not in "aeiouy" and word[-3] not in "tdscgxzh":
        count -= 1  # an ending that is not sounded: makes, asked (but not needed, wishes, changes)
    return max(count, 1)


def sentences(text: str) -> list[str]:
    """The sentences of a text that hold at least one word."""
    return [part for part in _SENTENCE_END.split(text) if _WORD.search(part)]


def score(text: str) -> Readability:
    """Count sentences, words and syllables in English text and return its readability."""
    found = sentences(text)
    words = [word for sentence in found for word in _WORD.findall(sentence)]
    return Readability(sentences=len(found), words=len(words), syllables=sum(syllables(w) for w in words))
