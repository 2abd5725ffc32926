"""Reads a draft's plain text into articles, numbered the Chinese way (第一章 总则, 第一节, 第二十三条).

A line that begins with 第…章, 第…节 or 第…条 is a heading; any other line continues the article
before it (a draft's items, （一）（二）…, sit on their own lines). Lines before the first heading
(the title, 目录) are not part of any article. Articles are numbered from 1 straight through the
draft, chapters likewise, sections from 1 again in each chapter: the first heading out of that
order is a `NumberingBreak` saying where (the line, counted from 1) and what was expected.
"""

import re
from dataclasses import dataclass

import cn2an

from contracts.legislation.drafts import Article

NUMERAL = r"[零〇一二三四五六七八九十百千两]+|\d+"
HEADING = re.compile(rf"^第\s*({NUMERAL})\s*(章|节|条)[\s\u3000]*(.*)$")
KIND_NAMES = {"章": "chapter", "节": "section", "条": "article"}


class NumberingBreak(ValueError):
    """The text cannot be read as numbered articles; `line` is where (from 1, 0 for the whole text)."""

    def __init__(self, line: int, message: str, expected: str | None = None, found: str | None = None):
        super().__init__(f"第 {line} 行：{message}" if line else message)
        self.line = line
        self.expected = expected
        self.found = found


@dataclass
class Heading:
    kind: str
    number: int
    rest: str


def numeral(text: str) -> int:
    """第二十三条's 二十三 as 23 (Arabic digits are read as they are); ValueError if it is not a number."""
    if text.isdigit():
        return int(text)
    return int(cn2an.cn2an(text.replace("两", "二").replace("〇", "零"), "strict"))


def heading(line: str) -> Heading | None:
    match = HEADING.match(line)
    if match is None:
        return None
    try:
        number = numeral(match.group(1))
    except ValueError:
        return None
    return Heading(match.group(2), number, match.group(3).strip())


def written(kind: str, number: int) -> str:
    """23 as 第二十三条, as a draft writes it."""
    return f"第{cn2an.an2cn(number)}{kind}"


@dataclass
class OpenArticle:
    """The article being read: where its heading is and the lines gathered so far."""

    line: int
    number: int
    chapter: str | None
    section: str | None
    lines: list[str]

    def done(self) -> Article:
        body = "\n".join(self.lines).strip()
        if not body:
            raise NumberingBreak(self.line, f"{written('条', self.number)}没有条文 (the article has no text)")
        return Article(number=self.number, chapter=self.chapter, section=self.section, text=body)


def parse_articles(text: str) -> list[Article]:
    """The draft's articles in order, each with the chapter and section it sits in."""
    articles: list[Article] = []
    current: OpenArticle | None = None
    chapter = section = None
    counts = {"章": 0, "节": 0, "条": 0}
    for index, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace("\u3000", " ").strip()
        found = heading(line) if line else None
        if found is None:
            if current is not None and line:
                current.lines.append(line)
            continue
        check_order(index, found, counts[found.kind] + 1)
        counts[found.kind] = found.number
        if current is not None:
            articles.append(current.done())
            current = None
        if found.kind == "条":
            current = OpenArticle(index, found.number, chapter, section, [found.rest] if found.rest else [])
        elif found.kind == "章":
            chapter, section, counts["节"] = title(found), None, 0
        else:
            section = title(found)
    if current is not None:
        articles.append(current.done())
    if not articles:
        raise NumberingBreak(0, "没有找到以“第一条”开头的条文 (no article numbered 第一条 was found)", written("条", 1))
    return articles


def check_order(line: int, found: Heading, wanted: int) -> None:
    if found.number != wanted:
        raise NumberingBreak(
            line,
            f"编号中断，应为{written(found.kind, wanted)}，实为{written(found.kind, found.number)}"
            f" (numbering breaks: expected {KIND_NAMES[found.kind]} {wanted}, found {found.number})",
            written(found.kind, wanted),
            written(found.kind, found.number),
        )


def title(found: Heading) -> str:
    """第二章　业主 as 第二章 业主: the heading with its whitespace made one space."""
    return " ".join(f"{written(found.kind, found.number)} {found.rest}".split())
