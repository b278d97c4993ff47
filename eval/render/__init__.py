"""Policy-brief PDFs with fpdf2: the one renderer of the sample briefs, test briefs and corpora.

A `Brief` (title block, blocks, page style, typesetting, metadata) becomes bytes with `render`;
`BriefWriter` lays one out block by block for generators that fill an exact number of pages.
"""

from .brief import BriefWriter, render
from .hyphenation import apply_ligatures, hyphenation_points
from .model import (
    Block,
    Brief,
    Bullets,
    ColumnBreak,
    Columns,
    Heading,
    Lines,
    Metadata,
    PageBreak,
    PageStyle,
    Paragraph,
    Table,
    TitleBlock,
    Typesetting,
)

__all__ = [
    "Block",
    "Brief",
    "BriefWriter",
    "Bullets",
    "ColumnBreak",
    "Columns",
    "Heading",
    "Lines",
    "Metadata",
    "PageBreak",
    "PageStyle",
    "Paragraph",
    "Table",
    "TitleBlock",
    "Typesetting",
    "apply_ligatures",
    "hyphenation_points",
    "render",
]
