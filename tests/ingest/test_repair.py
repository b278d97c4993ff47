"""Word-level repairs of extracted text, decided by the document's own words."""

from __future__ import annotations

from real_layouts import SPACELESS_TEXT, glued_words_pdf

from ingest.parse import parse_bytes
from ingest.quality import GLUED_RUN
from ingest.repair import WordCounts, rejoin_ligature_splits, split_glued_words

WORDS = WordCounts.of(
    "The first effect of artificial intelligence on public finance: officials expect a benefit. "
    "This brief proposes a digital infrastructure alliance based on a treaty."
)


def test_words_split_around_a_ligature_are_rejoined() -> None:
    split = "The arti fi cial e ff ect of the fi rst bene fi t, say o ffi cials, and fi nance."
    assert (
        rejoin_ligature_splits(split, WORDS)
        == "The artificial effect of the first benefit, say officials, and finance."
    )


def test_text_without_ligature_splits_is_unchanged() -> None:
    text = "See pp. 12 ff. on the fifth effect; fi is no word and neither is ffl."
    assert rejoin_ligature_splits("The first effect of finance.", WORDS) == (
        "The first effect of finance."
    )
    assert rejoin_ligature_splits(text, WORDS).startswith("See pp. 12 ff. on the fifth effect")


def test_glued_words_are_split_into_the_documents_words() -> None:
    glued = "Thisbriefproposesadigitalinfrastructurealliance—atreatybased one."
    assert (
        split_glued_words(glued, WORDS)
        == "This brief proposes a digital infrastructure alliance—a treaty based one."
    )


def test_long_words_are_left_alone_on_pages_without_glue() -> None:
    text = "Counterterrorism and internationalisation are long words of a brief."
    assert split_glued_words(text, WORDS) == text
    # Where the page shows glue, a long run is split only into words the document uses.
    unknown = "Internationalisationfrobnicateswidgetsentirely and thisbriefproposesatreaty"
    assert split_glued_words(unknown, WORDS) == (
        "Internationalisationfrobnicateswidgetsentirely and this brief proposes a treaty"
    )


def test_a_glued_page_is_repaired_at_ingest() -> None:
    doc = parse_bytes("glued.pdf", glued_words_pdf())
    assert not GLUED_RUN.search(doc.text)
    assert doc.pages[1].rstrip(".") == doc.pages[0].rstrip(".") == SPACELESS_TEXT
