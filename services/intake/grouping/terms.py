"""An item's terms: jieba words, place names kept whole, stop words left out, wordings of one concept
made one. Near-duplicates are compared on these sets, and hot words are counted from them.

Character bigrams were tried alongside the words and left out: the street name's characters and
those of unrelated problems (路灯 and 红绿灯 share 灯) made different problems on one street look
closer than the same problem in other words (see the unit tests' wordings).
"""

import logging
import os
import re
import tempfile
from functools import cache

import jieba
import jieba.posseg

from services.intake.grouping.words import (
    CONCEPTS,
    NAME_TAGS,
    PLACE_ENDINGS,
    PLACE_SPLITS,
    PLACE_TAG,
    SKIPPED_TAGS,
    STOP_WORDS,
)

log = logging.getLogger(__name__)
WORDING_OF = {wording: concept for concept, wordings in CONCEPTS.items() for wording in wordings}
TERM = re.compile(r"^[\w\u3400-\u9fff]+$")  # letters, digits, CJK; never punctuation, "." or "$"
DIGITS = re.compile(r"^[\d_]+$")
HOT_WORD_MIN_LENGTH = 2


@cache
def tokenizer() -> jieba.posseg.POSTokenizer:
    """jieba's tokenizer with the concepts' wordings as words, built once on first use: its own
    instance, so nothing global changes, and no dictionary is loaded at import.

    jieba keeps its dictionary's index in a cache file in the temporary directory; where none is
    writable (a read-only root file system), it builds the index at start instead (about a second).
    """
    jieba.setLogLevel(logging.WARNING)
    words = jieba.Tokenizer()
    try:
        tempfile.gettempdir()
    except FileNotFoundError:
        log.warning("jieba 词典缓存无处可写，启动时重建 / no writable temporary directory: jieba rebuilds its index")
        jieba.setLogLevel(logging.CRITICAL)  # its failed cache write is expected then
        words.tmp_dir = os.path.dirname(jieba.__file__)
    for wording in [*WORDING_OF, *CONCEPTS]:
        words.add_word(wording, freq=2000)
    return jieba.posseg.POSTokenizer(words)


def tagged(text: str) -> list[tuple[str, str]]:
    """(word, part of speech), with a name and a place ending joined into one place name."""
    pairs: list[tuple[str, str]] = []
    for pair in tokenizer().cut(text):
        word, tag = pair.word.strip(), pair.flag
        if not word:
            continue
        named = pairs and pairs[-1][1] in NAME_TAGS and len(pairs[-1][0]) >= 2
        named = named and not pairs[-1][0].endswith(PLACE_SPLITS.get(word, (word,))[0])
        if named and word in PLACE_ENDINGS:
            pairs[-1] = (pairs[-1][0] + word, PLACE_TAG)
            continue
        if named and word in PLACE_SPLITS:
            ending, rest = PLACE_SPLITS[word]
            pairs[-1] = (pairs[-1][0] + ending, PLACE_TAG)
            if rest:
                pairs.append((rest, "s"))
            continue
        pairs.append((word, tag))
    return pairs


def terms(text: str) -> list[str]:
    """The item's distinct terms in order of appearance."""
    found: dict[str, None] = {}
    for word, tag in tagged(text.lower()):
        if word in STOP_WORDS or (tag in SKIPPED_TAGS and word not in WORDING_OF):
            continue
        term = WORDING_OF.get(word, word)
        if TERM.match(term) and not DIGITS.match(term) and term not in STOP_WORDS:
            found[term] = None
    return list(found)


def hot_words(item_terms: list[str]) -> list[str]:
    """The terms worth counting as 民情热词: single characters say too little on their own."""
    return [term for term in item_terms if len(term) >= HOT_WORD_MIN_LENGTH]
