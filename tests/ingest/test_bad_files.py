"""Files that cannot be indexed are refused with a specific reason; odd-but-readable ones pass."""

from __future__ import annotations

import random

import pytest
from pdfs import (
    MOJIBAKE,
    garbled_pdf,
    harbour_brief,
    image_only_pdf,
    png_bytes,
    render,
    symbol_soup,
)

from ingest.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    GarbledTextError,
    IngestError,
    NoTextLayerError,
    UnsupportedFileError,
)
from ingest.parse import ParseLimits, parse_bytes, parse_file


def _refused(name: str, data: bytes, limits: ParseLimits | None = None) -> IngestError:
    with pytest.raises(IngestError) as caught:
        parse_bytes(name, data, limits)
    return caught.value


def test_corrupt_pdf() -> None:
    noise = bytes(random.Random(3).randrange(256) for _ in range(5000))
    error = _refused("broken.pdf", b"%PDF-1.7\n" + noise)
    assert isinstance(error, CorruptFileError) and error.code == "corrupt"


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_pdf(harbour_pdf: bytes, keep: float) -> None:
    error = _refused("cut.pdf", harbour_pdf[: int(len(harbour_pdf) * keep)])
    assert error.code == "corrupt"
    assert "damaged or truncated" in str(error)


def test_damaged_pdfs_never_escape_as_other_exceptions(harbour_pdf: bytes) -> None:
    """Byte flips and cut-outs anywhere: either a Document or an IngestError, nothing else."""
    rng = random.Random(7)
    outcomes = set()
    for _ in range(60):
        data = bytearray(harbour_pdf)
        for _ in range(rng.randint(1, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        cut = rng.randrange(len(data))
        data[cut : cut + rng.randint(0, 3000)] = b""
        try:
            parse_bytes("damaged.pdf", bytes(data))
            outcomes.add("parsed")
        except IngestError as exc:
            outcomes.add(exc.code)
    assert "corrupt" in outcomes


def test_encrypted_pdf_with_a_password() -> None:
    error = _refused("locked.pdf", render(harbour_brief(), user_password="secret"))
    assert isinstance(error, EncryptedFileError) and error.code == "encrypted"
    assert "password" in str(error)


def test_encrypted_pdf_with_an_empty_user_password_is_read(harbour_pdf: bytes) -> None:
    data = render(harbour_brief(), user_password="")
    assert b"/Encrypt" in data
    doc = parse_bytes("no-print.pdf", data)
    plain = parse_bytes("plain.pdf", harbour_pdf)
    assert doc.text == plain.text
    assert doc.title == plain.title


def test_image_only_pdf() -> None:
    error = _refused("scan.pdf", image_only_pdf())
    assert isinstance(error, NoTextLayerError) and error.code == "no_text"
    assert "OCR" in str(error)


def test_png_named_pdf() -> None:
    error = _refused("photo.pdf", png_bytes())
    assert isinstance(error, UnsupportedFileError) and error.code == "unsupported_type"
    assert "PNG" in str(error)


def test_pdf_named_txt(harbour_pdf: bytes) -> None:
    error = _refused("notes.txt", harbour_pdf)
    assert error.code == "unsupported_type"
    assert ".txt" in str(error)


def test_unknown_extension(harbour_pdf: bytes) -> None:
    assert _refused("brief.docx", b"Plain words in a file. " * 20).code == "unsupported_type"


@pytest.mark.parametrize("data", [b"", b"   \n\t \n"], ids=["empty", "blank"])
def test_empty_file(data: bytes) -> None:
    error = _refused("empty.pdf", data)
    assert isinstance(error, EmptyFileError) and error.code == "empty_file"


def test_file_over_the_size_limit(harbour_pdf: bytes, tmp_path) -> None:
    limits = ParseLimits(max_bytes=len(harbour_pdf) - 1)
    error = _refused("big.pdf", harbour_pdf, limits)
    assert isinstance(error, FileTooLargeError) and error.code == "too_large"
    assert f"{limits.max_bytes:,}" in str(error)
    path = tmp_path / "big.pdf"
    path.write_bytes(harbour_pdf)
    with pytest.raises(FileTooLargeError):
        parse_file(path, limits)


def test_pdf_over_the_page_limit(harbour_pdf: bytes) -> None:
    error = _refused("long.pdf", harbour_pdf, ParseLimits(max_pages=2))
    assert error.code == "too_large"
    assert "pages" in str(error)
    parse_bytes("long.pdf", harbour_pdf, ParseLimits(max_pages=10))


def test_mojibake_text_file() -> None:
    error = _refused("notes.txt", (MOJIBAKE * 20).encode())
    assert isinstance(error, GarbledTextError) and error.code == "garbled_text"


def test_symbol_soup_text_file() -> None:
    error = _refused("soup.txt", symbol_soup(random.Random(1)).encode())
    assert error.code == "garbled_text"


def test_pdf_whose_text_layer_is_garbled() -> None:
    assert _refused("garbled.pdf", garbled_pdf()).code == "garbled_text"


def test_prose_with_some_accents_and_numbers_is_not_garbled() -> None:
    text = (
        "Les ports européens traitent 74 % du commerce extérieur. Die Häfen in Norddeutschland "
        "investieren 2,5 Mrd. EUR. Trade grew 3.2% in 2024 (Table 4). " * 10
    )
    doc = parse_bytes("mixed.txt", text.encode())
    assert "européens" in doc.text
