"""A generated benchmark corpus: policy-brief PDFs of recombined prose, rendered by eval.render."""

from __future__ import annotations

import hashlib
import os
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .render import (
    BriefWriter,
    Bullets,
    Heading,
    Metadata,
    PageStyle,
    Paragraph,
    TitleBlock,
    Typesetting,
)

# Bump when the layout or the recombination changes: cached corpora are then rebuilt.
GENERATOR_VERSION = 2
SERIES = "Meridian Policy Brief"
SITE = "meridian-institute.example"
# The sample briefs' Markdown sources and PDFs, found in a checkout (an installed package has
# none: then the built-in prose stands in).
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SAMPLE_SOURCES = SAMPLES / "src"
SAMPLE_BRIEFS = SAMPLES / "briefs"

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘(])")
_HEADING = re.compile(r"^#{1,3}\s+(?:[\d.]+\s+)?(.+?)\s*$")
_SKIPPED_HEADINGS = {"about the authors"}

_FALLBACK_HEADINGS = (
    "Executive summary",
    "The policy problem",
    "What the evidence shows",
    "Costs and trade-offs",
    "Options for member states",
    "Risks of inaction",
    "Implementation and monitoring",
    "Policy recommendations",
)
_FALLBACK_PARAGRAPHS = (
    "Governments have spent the last decade treating supply security as a question for industry "
    "alone. That assumption no longer holds. A handful of suppliers now control the processing of "
    "several inputs that modern manufacturing cannot do without, and the price of that "
    "concentration is paid in sudden shortages rather than in higher invoices. This brief sets out "
    "how exposed the union really is and what a proportionate response would look like.",
    "The available trade statistics understate the problem. They record the last border a good "
    "crossed, not the country where its critical components were refined, so a shipment routed "
    "through a third country looks diversified on paper while depending on the same upstream "
    "plant. Firm-level surveys tell a different story: two in five manufacturers report that a "
    "single supplier accounts for more than half of at least one essential input.",
    "Public money cannot simply buy resilience. Stockpiles tie up capital, decay and distort "
    "prices when they are released, and subsidies for domestic production tend to reward the "
    "best-organised lobbies rather than the most critical bottlenecks. The case for intervention "
    "is strongest where a disruption would halt production across many sectors at once and "
    "where private firms have no way to insure against it.",
    "Member states have so far acted alone. Some have created national raw-material agencies, "
    "others have relied on export credit and development banks, and a few have done nothing at "
    "all. The result is a patchwork in which the same foreign supplier negotiates separately with "
    "each capital and a shortage in one market spills over into the others within weeks.",
    "A joint purchasing platform would strengthen the bargaining position of European buyers "
    "without committing the budget to permanent subsidies. It should be open to firms of every "
    "size, publish aggregate volumes and prices, and be reviewed after three years against clear "
    "benchmarks. Its value lies less in the contracts it signs than in the information it "
    "collects about where the real chokepoints are.",
    "Monitoring matters as much as money. An annual assessment, prepared by an independent body "
    "with access to customs and company data, would allow legislators to see whether "
    "dependencies are shrinking or merely moving. Without it, every new strategy document risks "
    "repeating the optimism of the last one while the underlying exposure grows.",
    "Partners outside Europe are not waiting. Several producer countries now require local "
    "processing as a condition of mining licences, and they are courting investors from every "
    "major economy. Europe can offer long-term offtake agreements, technical assistance and "
    "access to its single market, but only if it decides quickly and speaks with one voice.",
    "The risks of inaction are asymmetric. Preparing for a disruption that never comes costs a "
    "fraction of a percentage point of output; being unprepared for one that does can close "
    "production lines for months, as the semiconductor shortage of recent years showed. The "
    "recommendations below are designed to be cheap if the threat recedes and decisive if it "
    "materialises.",
)
_NAMES = (
    "Amira Haddad",
    "Bruno Costa",
    "Chiara Esposito",
    "Dmitri Volkov",
    "Elin Lindqvist",
    "Farid Rahimi",
    "Grace Okafor",
    "Hugo Lefebvre",
    "Ines Moreau",
    "Jakub Nowak",
    "Kaito Mori",
    "Lena Schulz",
    "Marta Ruiz",
    "Niamh Byrne",
    "Oskar Berg",
    "Priya Nair",
    "Quentin Roy",
    "Rosa Klein",
    "Stefan Popescu",
    "Tomas Horvat",
)


@dataclass(frozen=True)
class Prose:
    """The material briefs are recombined from: headings, paragraphs (as sentences), bullets."""

    headings: tuple[str, ...]
    paragraphs: tuple[tuple[str, ...], ...]
    bullets: tuple[str, ...]

    @property
    def digest(self) -> str:
        payload = repr((GENERATOR_VERSION, self.headings, self.paragraphs, self.bullets))
        return hashlib.sha256(payload.encode()).hexdigest()[:10]


@dataclass(frozen=True)
class CorpusSpec:
    """How many briefs of how many pages, from which random seed."""

    briefs: int = 200
    pages: int = 8
    seed: int = 7

    def __post_init__(self) -> None:
        if self.briefs < 1 or self.pages < 1:
            raise ValueError("a corpus needs at least one brief of at least one page")


def load_prose(source_dir: Path | None) -> Prose:
    """Paragraphs and headings of the Markdown briefs in `source_dir`, or the built-in text."""
    files = sorted(source_dir.glob("*.md")) if source_dir and source_dir.is_dir() else []
    headings: list[str] = []
    paragraphs: list[tuple[str, ...]] = []
    bullets: list[str] = []
    for path in files:
        body = re.sub(r"\A---\n.*?\n---\n", "", path.read_text(encoding="utf-8"), flags=re.S)
        for block in re.split(r"\n\s*\n", body):
            lines = [ln.strip() for ln in block.strip().splitlines() if ln.strip()]
            lines = [ln for ln in lines if not ln.startswith(("<!--", "|"))]
            for line in lines:
                heading = _HEADING.match(line)
                if heading and heading.group(1).lower() not in _SKIPPED_HEADINGS:
                    headings.append(heading.group(1))
                elif line.startswith("- "):
                    bullets.append(line[2:])
            prose = " ".join(ln for ln in lines if not ln.startswith(("#", "- ")))
            if len(prose.split()) >= 25:
                paragraphs.append(tuple(_SENTENCE_END.split(prose)))
    if len(paragraphs) < 5 or not headings:
        return Prose(
            _FALLBACK_HEADINGS,
            tuple(tuple(_SENTENCE_END.split(p)) for p in _FALLBACK_PARAGRAPHS),
            tuple(s for p in _FALLBACK_PARAGRAPHS[:4] for s in _SENTENCE_END.split(p)[:1]),
        )
    return Prose(tuple(dict.fromkeys(headings)), tuple(paragraphs), tuple(bullets))


def corpus_folder(work_dir: Path, spec: CorpusSpec, prose: Prose) -> Path:
    """Where a corpus lives; a smaller corpus of the same kind is a prefix of a larger one."""
    return work_dir / f"briefs-{spec.pages}p-seed{spec.seed}-{prose.digest}"


def build_corpus(work_dir: Path, spec: CorpusSpec, prose: Prose) -> list[Path]:
    """The corpus's PDF files, rendering only those not already cached in `work_dir`."""
    folder = corpus_folder(work_dir, spec, prose)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(1, spec.briefs + 1):
        path = folder / f"brief-{number:04d}.pdf"
        if not path.exists():
            data = render_brief(number, spec, prose)
            partial = path.with_suffix(".pdf.part")
            partial.write_bytes(data)
            os.replace(partial, path)
        paths.append(path)
    return paths


def recombine(rng: random.Random, prose: Prose, swap: float = 0.35) -> str:
    """A source paragraph with about a share `swap` of its sentences swapped for others."""
    sentences = list(rng.choice(prose.paragraphs))
    for i in range(len(sentences)):
        if rng.random() < swap:
            sentences[i] = rng.choice(rng.choice(prose.paragraphs))
    return " ".join(sentences)


def render_brief(number: int, spec: CorpusSpec, prose: Prose) -> bytes:
    """One brief of exactly `spec.pages` pages, the same bytes for the same inputs."""
    rng = random.Random(f"{spec.seed}-{number}")
    title = f"{rng.choice(prose.headings)}: {rng.choice(prose.headings).lower()}"
    short_title = title.split(":")[0]
    day = datetime(2023, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(1000))
    authors = rng.sample(_NAMES, 2)
    writer = BriefWriter(
        PageStyle(running_header=f"{SERIES} No. {number} — {short_title}", footer_site=SITE),
        Typesetting(),
        Metadata(title=title, author="; ".join(authors), created=day),
    )
    writer.title_block(
        TitleBlock(
            title,
            series_line=f"{SERIES} No. {number} | {day:%d/%m/%Y}",
            byline=f"By {', '.join(authors)}",
        )
    )
    section = 0
    while True:
        section += 1
        # A section starts only if its heading and first block end on the last page or before.
        heading = Heading(f"{section}. {rng.choice(prose.headings)}")
        blocks: list[Heading | Paragraph | Bullets] = [heading]
        for _ in range(rng.randint(2, 5)):
            if rng.random() < 0.15 and prose.bullets:
                items = tuple(rng.choice(prose.bullets) for _ in range(3))
                block: Paragraph | Bullets = Bullets(items)
            else:
                block = Paragraph(recombine(rng, prose))
            if writer.ends_on_page([*blocks, block]) > spec.pages:
                break
            writer.add([*blocks, block])
            blocks = []
        if blocks:  # not even the heading and one block fitted: the last page is full
            break
    return writer.output()
