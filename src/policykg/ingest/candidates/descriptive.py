"""Words that describe a kind of thing without naming one (科技, 特色, 专业化…: data/descriptive_words.tsv)."""

from __future__ import annotations

from policykg.lexicon import gazetteer


def only_descriptive_words(prefix: str) -> bool:
    """True when the words before a platform's type are all common modifiers (科技, 特色, 专业化, 农业…),
    so nothing in it names one platform; a place, a brand or an institution's name is not among them."""
    if not prefix:
        return False
    covered = [0] * (len(prefix) + 1)  # covered[i]: prefix[:i] splits into descriptive words
    covered[0] = 1
    ending_at: dict[int, list[int]] = {}
    for end, length in gazetteer.word_automaton("descriptive_words.tsv").iter(prefix):
        ending_at.setdefault(end + 1, []).append(length)
    for i in range(1, len(prefix) + 1):
        covered[i] = int(any(covered[i - length] for length in ending_at.get(i, [])))
    return bool(covered[len(prefix)])
