"""A comment's themes (主要观点的关键词): the Chinese terms it is about, counted once per comment.

jieba cuts the readable text (the edited version, else the translation, else the original); nouns,
verbal nouns and idioms of two characters or more are kept, minus the words every comment on a
draft uses (建议, 条款, 规定…), which say nothing about what it is about.
"""

import logging
import re
from functools import cache

import jieba
import jieba.posseg

KEPT_TAGS = {"n", "nz", "vn", "nt", "ns", "nl", "ng", "l", "i", "an"}
STOP_WORDS = frozenset(
    """建议 意见 条款 规定 草案 条例 本条 该条 第条 法律 法规 问题 情况 有关 相关 方面 工作 内容 部分 进一步
    我们 大家 希望 认为 应该 应当 需要 可以 进行 明确 增加 删除 修改 表述 条文 本法 办法 单位 人员""".split()
)
TERM = re.compile(r"^[\u3400-\u9fffA-Za-z][\u3400-\u9fffA-Za-z0-9]+$")  # never "." or "$": stored as keys
MAX_THEMES_PER_COMMENT = 12


@cache
def tokenizer() -> jieba.posseg.POSTokenizer:
    """Its own jieba instance, loaded on first use (never at import)."""
    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg.POSTokenizer(jieba.Tokenizer())


def themes(text: str) -> list[str]:
    """The distinct terms of `text`, in order of appearance, at most `MAX_THEMES_PER_COMMENT`."""
    found: dict[str, None] = {}
    for pair in tokenizer().cut(text):
        word = pair.word.strip()
        if pair.flag in KEPT_TAGS and word not in STOP_WORDS and TERM.match(word):
            found[word] = None
            if len(found) == MAX_THEMES_PER_COMMENT:
                break
    return list(found)
