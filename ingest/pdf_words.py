"""Word repair for PDF text: rejoin words hyphenated at line ends, mend spacing, drop markers.

Whether a hyphen stays is decided by the document's own spelling: "co-\\nordination" keeps its
hyphen when "co-ordination" is written elsewhere in the document, "con-\\nflicting" does not.
Justified text also leaves spaces inside brackets and before commas ("( intent )", "Groups ,"),
which are closed; dashes (" - ") and list bullets keep theirs. Table rows and list items stay
on lines of their own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# Letters of the scripts the atlas reads (Latin with Latin-1's and Latin Extended-A's accented
# letters, "č", "ž", "ł"; Cyrillic): a Russian handbook hyphenates words at line ends as an
# English one does ("информа-" / "ции"). LOWER, for a line that goes on with a lower-case word,
# leaves out Extended-A, whose cases alternate.
LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0400-\u04ff"
LOWER = "a-z\u00df-\u00f6\u00f8-\u00ff\u0430-\u045f"
_WORD = re.compile(rf"[{LETTER}]+(?:-[{LETTER}]+)*")
_BULLET = ("\u2022", "- ", "* ", "\u25aa", "\u25cf", "\u2013 ")
# A suspended hyphen ("pre- and post-war") is followed by one of these, not by the word's end.
_SUSPENDED = frozenset({"and", "or", "to", "nor", "и", "или"})
# Endings that are never the second word of a compound ("recruit-" + "ment").
_SUFFIXES = (
    "ment",
    "ments",
    "ity",
    "ities",
    "tion",
    "tions",
    "sion",
    "ing",
    "ings",
    "ness",
    "ous",
    "ours",
    "ers",
    "able",
    "ible",
    "ally",
    "ive",
    "ives",
    "ise",
    "ize",
    "ised",
    "ized",
    "ance",
    "ence",
    "ship",
    "less",
    "ful",
    "ism",
    "ist",
    "ists",
)
# Justified text makes pypdf put a space beside some hyphens: "view -" and "intelligence- led".
# Also at a line end: on the Guidebook's justified lines "endeav -" / "ours" is a split word
# (6 of them); a dash typed as a spaced hyphen there ("задача -" / "предоставление") is joined
# too, a rarer loss (measured: treating it as a dash split those 6 words).
_SPACE_BEFORE_HYPHEN = re.compile(rf"(?<=[{LETTER}]) +-(?=$|[{LETTER}])")
_SPACE_AFTER_HYPHEN = re.compile(rf"\b([{LETTER}]+)- +([{LOWER}]+)\b")
# A space before a comma or stop (not a leader of dots), inside brackets or quotes.
_SPACE_BEFORE_PUNCTUATION = re.compile(r"(?<=[\w)\]\u201d]) +(?=[,;:!?]|\.(?! *\.))(?=.(?:\s|$))")
_SPACE_AFTER_OPENING = re.compile(r"(?<=[(\[\u201c]) +(?=\w)")
_SPACE_BEFORE_CLOSING = re.compile(r"(?<=[\w.,;:!?\u201d]) +(?=[)\]]|\u201d(?:\s|$|[,.;:]))")


def vocabulary(lines: Iterable[str]) -> Counter:
    """Lower-case word counts, hyphenated compounds counted as one word.

    The pieces of a word split at a line end ("con-" / "flicting") are not counted as words.
    """
    words: Counter = Counter()
    split_before = False
    for line in lines:
        line = _SPACE_BEFORE_HYPHEN.sub("-", line)
        found = _WORD.findall(line)
        split_after = bool(re.search(rf"[{LETTER}]-$", line.rstrip()))
        first = 1 if split_before else 0
        last = len(found) - 1 if split_after else len(found)
        words.update(word.lower() for word in found[first : max(first, last)])
        split_before = split_after
    return words


def is_bullet(line: str) -> bool:
    """Whether a line starts a list item."""
    return line.startswith(_BULLET)


def tidy_punctuation(text: str) -> str:
    """Close the spaces justified text leaves inside brackets and before commas and stops."""
    text = _SPACE_BEFORE_PUNCTUATION.sub("", text)
    text = _SPACE_AFTER_OPENING.sub("", text)
    return _SPACE_BEFORE_CLOSING.sub("", text)


def mend_hyphen_spacing(line: str, words: Counter) -> str:
    """Close spaces beside hyphens inside a line where the document spells the compound so."""
    line = _SPACE_BEFORE_HYPHEN.sub("-", line)

    def close(match: re.Match) -> str:
        compound = f"{match.group(1)}-{match.group(2)}"
        return compound if words[compound.lower()] else match.group(0)

    return _SPACE_AFTER_HYPHEN.sub(close, line)


def join_lines(lines: list[str], words: Counter, rows: frozenset[int] = frozenset()) -> str:
    """Join wrapped lines, rejoining words split by a hyphen at the end of a line.

    List items, and the lines at `rows` (table rows) and after them, start lines of their own.
    """
    text = mend_hyphen_spacing(lines[0].strip(), words)
    for index, line in enumerate(lines[1:], start=1):
        line = mend_hyphen_spacing(line.strip(), words)
        if is_bullet(line) or index in rows or index - 1 in rows:
            text += "\n" + line
        elif re.search(rf"[{LETTER}0-9]-$", text):
            text = _join_hyphenated(text, line, words)
        else:
            text += " " + line
    return "\n".join(tidy_punctuation(part) for part in text.split("\n"))


def page_break_offsets(
    lines: list[str],
    text: str,
    new_pages: list[tuple[int, str]],
    words: Counter,
    rows: frozenset[int] = frozenset(),
) -> tuple[tuple[int, str], ...]:
    """Where each new page starts in `text`, the joined `lines`: (offset, label) per break.

    A page starts where the text joined from the lines before it stops agreeing with `text`
    (joining mends hyphens and spaces across the break), at the next word.
    """
    breaks: list[tuple[int, str]] = []
    for line_index, label in new_pages:
        before = join_lines(lines[:line_index], words, frozenset(r for r in rows if r < line_index))
        offset = 0
        for ours, theirs in zip(before, text, strict=False):
            if ours != theirs:
                break
            offset += 1
        while offset < len(text) and text[offset].isspace():
            offset += 1
        if 0 < offset < len(text) and (not breaks or offset > breaks[-1][0]):
            breaks.append((offset, label))
    return tuple(breaks)


def _join_hyphenated(text: str, line: str, words: Counter) -> str:
    ending = re.search(rf"([{LETTER}]*)-$", text)
    head = ending.group(1) if ending else ""
    next_word = re.match(rf"[{LOWER}]+", line)
    if not next_word or not head:
        return text + line  # "North Rhine-" + "Westphalia", "2017-" + "2020"
    tail = next_word.group(0)
    if tail in _SUSPENDED:
        return text + " " + line
    joined, hyphenated = (head + tail).lower(), f"{head}-{tail}".lower()
    if words[hyphenated] > words[joined]:
        return text + line
    if (
        not words[joined]
        and _is_word(head, words)
        and _is_word(tail, words)
        and tail not in _SUFFIXES
    ):
        return text + line  # two known words, and the closed-up form is never used
    return text[:-1] + line


def _is_word(word: str, words: Counter) -> bool:
    return len(word) >= 3 and words[word.lower()] > 0


def strip_inline_markers(text: str, numbers: Iterable[int]) -> str:
    """Remove footnote reference numbers that the PDF set inline, not as superscripts.

    Only numbers of footnotes printed on the same page are removed, and only where a marker
    sits: glued to a word ("model.7"), after a figure number's full stop ("Figure 3.1.9"), or
    spaced after a word or a sentence's end ("in 2005. 65 Since then").
    """
    for number in numbers:
        glued = re.compile(
            rf"(?:(?<=[{LETTER}])|(?<=[{LETTER}][.,;:)\u201d\u2019\"])|(?<=\d\.\d\.)|(?<=\d\.\d\d\.))"
            rf"{number}(?=\s|$|[,.;:])"
        )
        # Spaced markers are read in Latin script only: in Russian text "статья 5 определяет"
        # keeps its number whatever the page's footnotes.
        spaced = re.compile(
            rf"(?:(?<=[a-z])|(?<=[A-Za-z][.,;:)\u201d\u2019\"])) {number}(?= [A-Za-z]|$)"
            rf"|(?<=\d[.;:)]) {number}(?= [A-Z\u201c]|$)"
        )
        text, count = glued.subn("", text, count=1)
        if not count:
            text = spaced.sub("", text, count=1)
    return text
