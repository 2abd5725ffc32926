"""The article parser on realistic draft texts: chapters, sections, items on their own lines, Chinese
numerals into the hundreds, and numbering that breaks, reported with its line and expected number."""

import pytest

from devtools.legislation_texts import PROPERTY_MANAGEMENT, SANJIANG_TOURISM, SANJIANG_TOURISM_BROKEN
from services.legislation.drafts.parser import NumberingBreak, numeral, parse_articles, written


def test_a_county_regulation_reads_as_twenty_articles_in_their_chapters_and_sections():
    articles = parse_articles(SANJIANG_TOURISM)
    assert [article.number for article in articles] == list(range(1, 21))
    assert articles[0].chapter == "第一章 总则" and articles[0].section is None
    assert articles[0].text.startswith("为了促进乡村旅游高质量发展")
    sixth = articles[5]
    assert (sixth.chapter, sixth.section) == ("第二章 规划与开发", "第一节 规划")
    assert sixth.text.endswith("并与国土空间规划相衔接。") and "\n" in sixth.text  # its second paragraph kept
    assert articles[7].section == "第二节 开发"
    assert (articles[10].chapter, articles[10].section) == ("第三章 经营与服务", None)  # a new chapter ends the section
    assert articles[-1].chapter == "第六章 附则" and articles[-1].text == "本条例自2027年5月1日起施行。"


def test_a_reference_to_another_article_inside_a_text_is_not_a_heading():
    eighteenth = parse_articles(SANJIANG_TOURISM)[17]
    assert eighteenth.number == 18 and eighteenth.text.startswith("违反本条例第九条规定")


def test_a_text_without_chapters_has_articles_without_chapters():
    articles = parse_articles(PROPERTY_MANAGEMENT)
    assert len(articles) == 3 and all(article.chapter is None and article.section is None for article in articles)


def test_a_missing_article_is_reported_at_its_line_with_the_number_expected():
    with pytest.raises(NumberingBreak) as broken:
        parse_articles(SANJIANG_TOURISM_BROKEN)
    assert broken.value.line == 24 and broken.value.expected == "第十二条" and broken.value.found == "第十三条"
    assert str(broken.value).startswith("第 24 行：编号中断，应为第十二条，实为第十三条")
    assert SANJIANG_TOURISM_BROKEN.splitlines()[23].startswith("第十三条")


def test_chapters_and_sections_are_numbered_too_sections_again_in_each_chapter():
    with pytest.raises(NumberingBreak) as chapter:
        parse_articles("第一章 总则\n第一条 甲。\n第三章 附则\n第二条 乙。")
    assert (chapter.value.line, chapter.value.expected) == (3, "第二章")
    two_chapters = "第一章 总则\n第一节 一般\n第一条 甲。\n第二章 附则\n第一节 其他\n第二条 乙。"
    assert [article.section for article in parse_articles(two_chapters)] == ["第一节 一般", "第一节 其他"]
    with pytest.raises(NumberingBreak) as section:
        parse_articles("第一章 总则\n第二节 一般\n第一条 甲。")
    assert (section.value.line, section.value.expected) == (2, "第一节")


def test_an_article_without_text_and_a_text_without_articles_are_refused():
    with pytest.raises(NumberingBreak) as empty:
        parse_articles("第一条 甲。\n第二条\n\n第三条 丙。")
    assert empty.value.line == 2 and "第二条没有条文" in str(empty.value)
    with pytest.raises(NumberingBreak) as nothing:
        parse_articles("某某条例（草案）\n说明：略")
    assert nothing.value.line == 0 and nothing.value.expected == "第一条"


def test_numbering_into_the_hundreds():
    text = "\n".join(f"{written('条', number)}　第{number}条的内容。" for number in range(1, 131))
    articles = parse_articles(text)
    assert [article.number for article in articles] == list(range(1, 131))
    assert written("条", 105) == "第一百零五条" and written("条", 110) == "第一百一十条"
    assert [numeral(word) for word in ("十", "十二", "二十", "一百", "一百零五", "一百一十九", "两百", "23")] == [
        10,
        12,
        20,
        100,
        105,
        119,
        200,
        23,
    ]


def test_full_width_spaces_and_no_space_after_the_number_both_read():
    articles = parse_articles("第一条　甲。\n第二条乙。\n第 三 条 丙。")
    assert [article.text for article in articles] == ["甲。", "乙。", "丙。"]
