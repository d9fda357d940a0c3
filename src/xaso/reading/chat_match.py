"""Matching the words around a figure of a chat message to a form's indicators (for
:mod:`xaso.reading.chat`).

Words are compared folded (no diacritics, lower case) as a bag of syllables; filler is dropped
and chat shorthand expanded. A syllable weighs 1 / (how many of the indicators whose unit fits
the figure use it). The best by words wins; among those within a hair of it the better-fitting
unit decides; if two remain equal, there is no winner. Pure: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from xaso.vn.text import fold, nfc
from xaso.vn.units import Unit, get_unit

if TYPE_CHECKING:
    from xaso.reading.chat import IndicatorSpec

TOLERANCE = 0.05  # word scores closer than this are equal
MIN_RECALL = 0.4  # share of an indicator's weighted words a piece must name ...
MIN_WEIGHT = 0.95  # ... or this much weight of words that tell it apart
GENERIC_COUNTS = frozenset({"cai", "chiec", "con"})  # classifiers that fit any count


# ---- folding with offsets kept --------------------------------------------------------------


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    if ch.isspace():
        return "\n" if ch == "\n" else " "
    folded = fold(ch)
    if len(folded) == 1:
        return folded
    lowered = ch.lower()
    return lowered if len(lowered) == 1 else " "


def fold_keep(text: str) -> str:
    """``fold`` letter for letter: the result has the length of ``text``."""
    return "".join(fold_char(ch) for ch in text)


# ---- words ----------------------------------------------------------------------------------


def word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Chat shorthand that is not a name of any one indicator (those go in the aliases).
SHORTHAND = {
    "hr": "hang rao",
    "gtnt": "giao thong nong thon",
    "ntm": "nong thon moi",
    "kdc": "khu dan cu",
    "vs": "ve sinh",
    "nvh": "nha van hoa",
    "btxm": "be tong xi mang",
    "bt": "be tong",
    "xm": "xi mang",
    "ct": "cong trinh",
    "ht": "he thong",
    "hgd": "ho gia dinh",
    "cbm": "cay bong mat",
}
# Words that say nothing about which indicator is meant (folded).
FILLER = word_set(
    "trong moi lam duoc da xong them xay hoan thanh thuc hien tong so bao cao nhu sau va "
    "voi cua cac nhung cho o tai mot luong khoang gan hon tren nhanh tuan nay qua thang "
    "ve nhe a a2 em anh chi kinh gui bc thon xom xa dat la co"
)
WORD = re.compile(r"[^\W\d_]+")


def syllables(folded: str) -> list[str]:
    out: list[str] = []
    for word in WORD.findall(folded):
        out.extend(SHORTHAND.get(word, word).split())
    return out


def bag(text: str) -> frozenset[str]:
    return frozenset(w for w in syllables(fold_keep(nfc(text))) if w not in FILLER)


# ---- matching a piece to an indicator -------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    spec: IndicatorSpec
    unit: Unit
    phrases: tuple[frozenset[str], ...]
    vocabulary: frozenset[str]


@dataclass(frozen=True)
class Candidate:
    spec: IndicatorSpec
    content: float  # weight of the words matched
    fit: int  # 2: the unit fits; 1: no unit said (or a word of the name); 0: another count
    matched: frozenset[str]
    clear: bool  # named clearly enough to be taken


def is_count(unit: Unit) -> bool:
    return unit.is_count and unit.family != "percent"


def prepare(indicators: list[IndicatorSpec]) -> list[Spec]:
    specs = []
    for spec in indicators:
        phrases = tuple(b for b in (bag(text) for text in (spec.name, *spec.aliases)) if b)
        specs.append(Spec(spec, get_unit(spec.unit), phrases, frozenset().union(*phrases)))
    return specs


def weights(specs: list[Spec]) -> dict[str, float]:
    """1 / how many of these indicators use the word: what tells them apart weighs most."""
    counts: dict[str, int] = {}
    for prepared in specs:
        for word in prepared.vocabulary:
            counts[word] = counts.get(word, 0) + 1
    return {word: 1 / n for word, n in counts.items()}


def unit_fit(unit: Unit | None, unit_words: frozenset[str], prepared: Spec) -> int | None:
    target = prepared.unit
    if unit is None or unit.code == target.code:
        return 1 if unit is None else 2
    if not is_count(unit) and not is_count(target) and unit.family == target.family:
        return 2
    if is_count(unit) and is_count(target):
        if unit_words <= prepared.vocabulary or unit.code in GENERIC_COUNTS:
            return 1
        return 0
    return None


def candidates(
    words: frozenset[str], unit: Unit | None, unit_text: str | None, specs: list[Spec]
) -> tuple[list[Candidate], list[IndicatorSpec]]:
    """The indicators the words name, each with how well the unit fits and whether it is
    named clearly enough to be taken; and the indicators named whose unit does not fit.

    Words are weighed among the indicators whose unit fits the figure's."""
    unit_words = frozenset(syllables(fold(unit_text or "")))
    if unit is not None and is_count(unit):
        words = words | unit_words
    fits = {p.spec.code: unit_fit(unit, unit_words, p) for p in specs}
    weight = weights([p for p in specs if fits[p.spec.code] is not None])
    found, unfit = [], []
    for prepared in specs:
        fit = fits[prepared.spec.code]
        if fit is None:
            if any(phrase & words - unit_words for phrase in prepared.phrases):
                unfit.append(prepared)
            continue
        best: tuple[float, float, frozenset[str]] | None = None
        for phrase in prepared.phrases:
            matched = phrase & words
            content = sum(weight[w] for w in matched)
            recall = content / sum(weight[w] for w in phrase)
            if best is None or (content, recall) > best[:2]:
                best = (content, recall, matched)
        if best is None or not best[2] - unit_words:
            continue
        content, recall, matched = best
        clear = recall >= MIN_RECALL or sum(weight[w] for w in matched - unit_words) >= (MIN_WEIGHT)
        found.append(Candidate(prepared.spec, content, fit, matched, clear))
    # A word-match that does not fit the unit only matters when nothing that fits is named.
    unfit_specs = [p.spec for p in unfit] if not any(c.clear for c in found) else []
    return found, unfit_specs


def choose(found: list[Candidate]) -> tuple[Candidate | None, list[Candidate]]:
    """The winner, or None and the candidates that tie with the best (equal words, equal
    fit). A candidate not named clearly enough still ties; it is never taken."""
    if not found:
        return None, []
    top = max(c.content for c in found)
    close = [c for c in found if c.content >= top - TOLERANCE]
    fit = max(c.fit for c in close)
    tied = [c for c in close if c.fit == fit]
    if len(tied) > 1:
        return None, tied
    return (tied[0], []) if tied[0].clear else (None, [])
