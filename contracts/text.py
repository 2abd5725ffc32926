"""Text as people typed it, made comparable: one normalisation for every text field of the platform.

Unicode NFKC folds full-width letters and digits (ＡＢ１２ → AB12) as wanted, but also turns Chinese
punctuation (，：（）！？) into ASCII, which no Chinese reader or formal reply would accept. So the
full-width forms of letters and digits are folded, NFC is applied, and the punctuation stays.
"""

import re
import unicodedata

FULL_WIDTH_LETTERS_AND_DIGITS = {
    code: code - 0xFEE0 for span in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for code in range(*span)
}


def plain(value: str) -> str:
    return unicodedata.normalize("NFC", value).translate(FULL_WIDTH_LETTERS_AND_DIGITS).replace("\r\n", "\n")


def normalised_text(value: object) -> object:
    """Runs of spaces (the ideographic space too) made one, lines kept, at most one blank line between."""
    if not isinstance(value, str):
        return value
    lines = (" ".join(line.split()) for line in plain(value).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def one_line(value: object) -> object:
    return " ".join(plain(value).split()) if isinstance(value, str) else value
