"""Who published a brief, from its author field, masthead, imprint and running lines."""

from __future__ import annotations

from ingest.publisher import Publisher, find_publisher

BODY = (
    "The Department of Energy and the Federal Energy Regulatory Commission disagree about "
    "the grid. The Department of Energy argues that mining loads are flexible."
)


def test_the_imprint_names_the_publisher_over_the_briefs_subjects() -> None:
    pages = (
        BODY,
        BODY + " This document was prepared by the Congressional Research Service (CRS). "
        "CRS serves as nonpartisan staff to congressional committees.",
    )
    assert find_publisher(None, pages) == Publisher("Congressional Research Service", "CRS")


def test_the_author_field_names_an_organisation() -> None:
    pages = ("Report to Congress. GAO reviewed the programme. GAO recommends changes.", BODY)
    found = find_publisher("U.S. Government Accountability Office", pages)
    # The acronym is the tail of the initials that the text itself uses.
    assert found == Publisher("U.S. Government Accountability Office", "GAO")


def test_running_lines_count_as_prominent() -> None:
    pages = (BODY, BODY, BODY)
    found = find_publisher(None, pages, running_lines=("Meridian Institute | Policy Brief 20",))
    assert found is not None and found.name == "Meridian Institute"


def test_no_organisation_no_publisher() -> None:
    assert find_publisher(None, ("Ports matter. Ships wait.",)) is None
    assert find_publisher("Ada Example", ("Ports matter.",)) is None
