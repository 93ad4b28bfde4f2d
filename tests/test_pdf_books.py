"""PDF reading rules for books set with TeX, on runs and lines made for each rule.

The same rules meet a real book (GeoTopo, 117 pages of German mathematics) in
test_pdf_variety.py: running headers that name the section, indices set right after their
symbol, runs that pypdf places only by estimate, and the captions of a figure's parts.
"""

from __future__ import annotations

from ingest.pdf_layout import drop_figure_text, strip_furniture
from ingest.pdf_lines import TextLine, lines_from_runs
from ingest.pdf_runs import Run, place_estimated_runs
from ingest.pdf_text_kept import text_words

BODY = 10.9
SECTIONS = [
    title
    for title in (
        "1.1. RÄUME",
        "1.2. METRIK",
        "1.3. STETIGKEIT",
        "1.4. ZUSAMMENHANG",
        "2.1. KNOTEN",
    )
    for _ in range(4)
]  # 20 pages, a section on 4 of them: under the 30% that makes a line furniture by its text
SPACES = (
    "Raum Torus Kreis Ball Würfel Kegel Zylinder Simplex Graph Band Kleeblatt Achter Sphäre"
    " Ebene Gerade Strecke Dreieck Polyeder Tetraeder Oktaeder Pyramide Prisma Kugel Scheibe"
).split()  # a word for each page: the first lines of body text differ from page to page


def _page(number: int, section: str) -> list[TextLine]:
    space = SPACES[number % len(SPACES)]
    return [
        TextLine(f"{number} {section}", 90.0, 809.0, 9.0),
        TextLine(f"Der {space} ist zusammenhängend.", 90.0, 775.0, BODY),
        TextLine(f"Beweis: Sei U offen im {space}.", 90.0, 761.0, BODY),
        TextLine(f"Also ist der {space} kompakt.", 90.0, 120.0, BODY),
    ]


def test_a_running_header_that_names_the_section_is_furniture():
    # No one header text is on 30% of the pages, but each recurs at the header's place.
    pages = [_page(number, section) for number, section in enumerate(SECTIONS, start=4)]
    cleaned, _ = strip_furniture(pages)
    assert all(len(lines) == 3 for lines in cleaned)
    assert not any(line.text[:1].isdigit() for lines in cleaned for line in lines)
    # Body text at the top of each page, different on every page, stays.
    assert [lines[0].text for lines in cleaned][:2] == [
        "Der Würfel ist zusammenhängend.",
        "Der Kegel ist zusammenhängend.",
    ]


def test_a_header_on_too_few_pages_stays():
    pages = [_page(number, "1.1. TOPOLOGISCHE RÄUME") for number in (1, 2)]
    pages += [_page(number, "")[1:] for number in range(3, 11)]
    cleaned, _ = strip_furniture(pages)
    assert cleaned[0][0].text == "1 1.1. TOPOLOGISCHE RÄUME"


def test_a_run_placed_by_estimate_goes_before_the_run_drawn_after_it():
    # pypdf gives no start for "R" after the font change; its estimate (a full space for each
    # word space before it) lands past the exponent "n" drawn next, which must follow it.
    runs = [
        Run("Standardtopologie des", 137.3, 279.2, BODY, "/SFRM1095", 384.9),
        Run(" R", 389.4, 279.2, BODY, "/MSBM10", 397.3, placed=False),
        Run("n", 386.9, 283.2, 8.0, "/CMMI8", 392.0),
        Run("\u201c genannt.", 392.5, 279.2, BODY, "/SFRM1095", 430.0),
    ]
    lines, _ = lines_from_runs(place_estimated_runs(runs))
    assert [line.text for line in lines] == ["Standardtopologie des Rn\u201c genannt."]


def test_an_estimate_left_of_the_next_run_is_kept():
    runs = [
        Run("Umgebung", 110.0, 500.0, BODY, "/SFRM1095", 160.0),
        Run(" U", 163.0, 500.0, BODY, "/CMMI10", 170.0, placed=False),
        Run(" von", 173.5, 500.0, BODY, "/SFRM1095", 191.0),
    ]
    assert place_estimated_runs(runs) == runs


def test_an_index_set_right_after_its_symbol_joins_it():
    # pypdf writes a space before the subscript "j", which starts where "F" ends.
    runs = [
        Run("Inverse", 110.0, 110.9, BODY, "/SFRM1095", 216.9),
        Run(" F", 218.2, 110.9, BODY, "/CMMI10", 225.2),
        Run(" j", 225.2, 107.6, 8.0, "/CMMI8", 228.7),
        Run(" hat.", 241.7, 110.9, BODY, "/SFRM1095", 260.4),
    ]
    lines, _ = lines_from_runs(runs)
    assert [line.text for line in lines] == ["Inverse Fj hat."]


def test_a_space_glyph_at_the_start_of_a_run_stays():
    # A word processor draws the space: the run starts where the word before ends.
    runs = [
        Run("Manual", 65.2, 258.2, 9.0, "/WarnockPro-It", 95.6),
        Run(" (Ljubljana, 2014).", 95.4, 258.2, 9.0, "/WarnockPro-Regular", 180.0),
    ]
    lines, _ = lines_from_runs(runs)
    assert [line.text for line in lines] == ["Manual (Ljubljana, 2014)."]


def test_the_captions_of_a_figures_parts_are_kept_with_their_wrapped_lines():
    lines = [
        TextLine(
            "Je zwei Wege im Raum mit Anfangspunkt sind homotop, wie man sieht.", 90, 700, BODY
        ),
        TextLine("au\u00dfen", 354.0, 620.0, 9.0),  # a label inside the diagram
        TextLine(
            "(a) \u03b31 und \u03b32 sind homotop, (b) \u03b31 und \u03b32 sind", 182, 546, 9.1
        ),
        TextLine("da man sie \u201ezueinander ver- Hindernis nicht homotop.", 198, 535, 9.1),
        TextLine("Abbildung 3.1: Zwei Wege", 153.0, 500.0, BODY),
    ]
    kept = [line.text for line in drop_figure_text(lines, BODY, (90.0,))]
    assert kept == [lines[0].text, lines[2].text, lines[3].text, lines[4].text]


def test_words_kept_splits_letters_from_digits_on_both_sides():
    # An index or exponent glued to its symbol is no word; the words around it still count.
    assert text_words("x1 und cos2 e2\u03c0it R2 im Jahr 2017") == {
        "und": 1,
        "cos": 1,
        "\u03c0it": 1,
        "im": 1,
        "jahr": 1,
        "2017": 1,
    }
    assert text_words("x 1 und cos 2") == text_words("x1 und cos2")
