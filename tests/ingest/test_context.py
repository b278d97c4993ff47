"""The indexed text of a chunk: its brief's title and section lead its verbatim text."""

from __future__ import annotations

from ingest.context import indexed_text


def test_title_and_section_lead_the_text() -> None:
    text = "Governments should require the disclosure of beneficial owners."
    assert indexed_text("Ports and Grids", "3. Recommendations", text) == (
        "Ports and Grids. 3. Recommendations.\n" + text
    )


def test_a_heading_the_text_opens_with_is_not_repeated() -> None:
    text = "Executive summary\n\nThe brief argues that ports matter."
    assert indexed_text("Ports and Grids.", "Executive summary", text) == (
        "Ports and Grids.\n" + text
    )
    assert indexed_text("", None, text) == text
