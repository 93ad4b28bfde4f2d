"""Find headings in PDF text lines: from the outline when the PDF has one, else from the layout.

An outline entry matches a printed line with or without the section number ("Foo" in the
outline, "1 Foo" on the page: the heading keeps the printed number). An outline whose titles
are mostly not printed anywhere (bookmarks named "First", "Second") is ignored.

Without an outline a heading is a short line at the left edge of the text column that is set
larger than the body text, or a bold numbered line ("6.2 Collection and evaluation"). Its level
comes from its number ("6.2" is level 2); an unnumbered heading as large as the numbered chapter
titles (or named like front or back matter: Preface, References) is level 1, and a smaller one
sits below the last numbered heading, deeper the smaller its font.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.pdf_layout import TextLine
from ingest.text import normalise_space

NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+([^\W\d_][^\n]{1,120})$")
_SECTION_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|[A-Z]\.|[IVXLC]{1,6}\.)\s+(?=\S)")
OUTLINE_MATCH_SHARE = 0.5  # of the outline's titles printed as lines, or it is ignored
TOP_LEVEL_TITLES = frozenset(
    {
        "preface",
        "foreword",
        "executive summary",
        "summary",
        "acknowledgements",
        "acknowledgments",
        "introduction",
        "conclusion",
        "conclusions",
        "references",
        "bibliography",
        "glossary",
        "abbreviations",
        "list of abbreviations",
        "annex",
        "annexes",
        "appendix",
        "appendices",
    }
)
# A reference list's own sub-headings ("Websites") stay inside it, so it is skipped as a whole.
LIST_SECTIONS = frozenset({"references", "bibliography", "sources"})
MAX_HEADING_WORDS = 20
MAX_HEADING_LINES = 3
_QUOTES = ("\u201c", '"', "\u2018", "'", "\u2013", "\u2014", "-")


@dataclass(frozen=True)
class Heading:
    """A heading found in the text: its level (1 = chapter) and title."""

    level: int
    title: str


def heading_key(text: str) -> str:
    """A heading title reduced to lower-case words, for matching outline entries to lines."""
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def numbered_heading(text: str) -> re.Match | None:
    """The number and title of a numbered heading ("6.2 Collection and evaluation")."""
    match = NUMBERED_HEADING.match(text)
    return match if match and match.group(2)[0].isupper() else None


def _numbered_level(title: str) -> int:
    match = numbered_heading(title)
    return len([part for part in match.group(1).split(".") if part]) if match else 0


def _unnumbered_key(title: str) -> str:
    return heading_key(_SECTION_NUMBER.sub("", title, count=1))


class _Outline:
    """Outline levels by title, looked up with the section number or without it."""

    def __init__(self, outline: list[tuple[int, str]]) -> None:
        self.exact: dict[str, int] = {}  # every entry, by its whole title
        self.plain: dict[str, int] = {}  # entries without a section number: "Foo"
        self.loose: dict[str, int] = {}  # numbered entries without their number: "1 Foo"
        self.keys: list[tuple[str, str]] = []  # (whole title, without number) of each entry
        for level, title in outline:
            key, unnumbered = heading_key(title), _unnumbered_key(title)
            if key:
                self.keys.append((key, unnumbered))
                self.exact.setdefault(key, level)
                (self.plain if key == unnumbered else self.loose).setdefault(unnumbered, level)

    def level(self, title: str) -> int | None:
        """The level of the outline entry printed as `title`, if there is one."""
        key = heading_key(title)
        return self.exact.get(key) or self.plain.get(_unnumbered_key(title)) or self.loose.get(key)

    def printed_share(self, pages: list[list[TextLine]]) -> float:
        """The share of the outline's entries that are printed as lines somewhere."""
        printed: set[str] = set()
        unnumbered: set[str] = set()
        for lines in pages:
            for index in range(len(lines)):
                for count in range(1, MAX_HEADING_LINES + 1):
                    title = _join(lines[index : index + count])
                    printed.add(heading_key(title))
                    unnumbered.add(_unnumbered_key(title))
        found = sum(
            1
            for key, bare in self.keys
            if key in printed or (key == bare and key in unnumbered) or bare in printed
        )
        return found / max(len(self.keys), 1)


class HeadingFinder:
    """Recognise headings line by line, keeping the state that levels depend on."""

    def __init__(
        self,
        pages: list[tuple[list[TextLine], tuple[float, ...]]],
        body_size: float,
        outline: list[tuple[int, str]],
    ) -> None:
        self.body_size = body_size
        self.outline = _Outline(outline)
        texts = [lines for lines, _ in pages]
        if self.outline.keys and self.outline.printed_share(texts) < OUTLINE_MATCH_SHARE:
            self.outline = _Outline([])  # the bookmarks do not name the printed headings
        self.anchor_level = 0
        self.in_list_section = False
        candidates = [block for lines, margins in pages for block in self._blocks(lines, margins)]
        numbered_tops = [size for size, title in candidates if _numbered_level(title) == 1]
        sizes = [size for size, _ in candidates]
        self.top_size = min(numbered_tops) if numbered_tops else max(sizes, default=0.0)
        self.sub_sizes = sorted(
            {
                size
                for size, title in candidates
                if not _numbered_level(title) and size < self.top_size
            },
            reverse=True,
        )

    def _blocks(self, lines: list[TextLine], margins: tuple[float, ...]) -> list[tuple[float, str]]:
        blocks, index = [], 0
        while index < len(lines):
            count = self._block_length(lines, index, margins)
            if count:
                blocks.append(
                    (round(lines[index].size * 2) / 2, _join(lines[index : index + count]))
                )
            index += max(count, 1)
        return blocks

    def _styled(self, line: TextLine, margins: tuple[float, ...]) -> bool:
        words = line.text.split()
        if (
            len(words) > MAX_HEADING_WORDS
            or line.spread
            or line.text.startswith(_QUOTES)
            or sum(ch.isalpha() for ch in line.text) < 3
        ):
            return False
        if margins and all(abs(line.x - margin) > 8 for margin in margins):
            return False
        if line.size >= 1.15 * self.body_size:
            return True
        # Slightly larger bold capitals are figure titles far more often than headings.
        slightly_larger = line.size >= 1.05 * self.body_size and not line.text.isupper()
        return line.bold and (slightly_larger or bool(numbered_heading(line.text)))

    def _block_length(self, lines: list[TextLine], index: int, margins: tuple[float, ...]) -> int:
        first = lines[index]
        if not self._styled(first, margins):
            return 0
        count = 1
        while index + count < len(lines) and count < MAX_HEADING_LINES:
            previous, line = lines[index + count - 1], lines[index + count]
            if (
                abs(line.size - first.size) > 0.3
                or line.font != first.font
                or previous.y - line.y > 2 * line.size
                or numbered_heading(line.text)
                or len(_join(lines[index : index + count + 1]).split()) > MAX_HEADING_WORDS
            ):
                break
            count += 1
        if _join(lines[index : index + count]).endswith((".", ",", ";")) and count > 1:
            return 0  # a run of large sentences is a pull quote, not a heading
        return count

    def page_headings(
        self, lines: list[TextLine], margins: tuple[float, ...]
    ) -> dict[int, tuple[Heading, int]]:
        """The headings of a page's lines by the index of their first line, with how many
        lines each spans (matched in reading order, as `match` must be)."""
        found: dict[int, tuple[Heading, int]] = {}
        index = 0
        while index < len(lines):
            heading, count = self.match(lines, index, margins)
            if heading:
                found[index] = (heading, count)
            index += count or 1
        return found

    def match(
        self, lines: list[TextLine], index: int, margins: tuple[float, ...]
    ) -> tuple[Heading | None, int]:
        """The heading starting at `lines[index]` and how many lines it spans, or (None, 0)."""
        if self.outline.keys:
            for count in range(MAX_HEADING_LINES, 0, -1):
                if index + count > len(lines):
                    continue
                title = _join(lines[index : index + count])
                level = self.outline.level(title)
                if level:
                    return Heading(level, title), count
            return None, 0
        count = self._block_length(lines, index, margins)
        if not count:
            return None, 0
        title = _join(lines[index : index + count])
        level = self._level(title, lines[index].size)
        if level > 1 and self.in_list_section:
            return None, 0
        if level == 1:
            self.in_list_section = heading_key(title) in LIST_SECTIONS
        return Heading(level, title), count

    def _level(self, title: str, size: float) -> int:
        numbered = _numbered_level(title)
        if numbered:
            self.anchor_level = numbered
            return numbered
        if heading_key(title) in TOP_LEVEL_TITLES or size >= self.top_size - 0.3:
            self.anchor_level = 1
            return 1
        rounded = round(size * 2) / 2
        rank = self.sub_sizes.index(rounded) + 1 if rounded in self.sub_sizes else 1
        return self.anchor_level + rank


def _join(lines: list[TextLine]) -> str:
    return normalise_space(" ".join(line.text for line in lines))
