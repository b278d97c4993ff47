"""Upload file names never leave the storage folder; type and size are judged by the bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.api.errors import ApiError
from service.api.uploads import Upload, check_uploads, safe_name, store_upload


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../x.pdf", "x.pdf"),
        ("..\\..\\windows\\x.pdf", "x.pdf"),
        ("/etc/passwd", "passwd"),
        ("brief 1 (final).pdf", "brief 1 (final).pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("..", "upload"),
        ("", "upload"),
        ("a\x00b.pdf", "a_b.pdf"),
        ("rapport-été.pdf", "rapport-été.pdf"),
        ("a/b:c*?.pdf", "b_c_.pdf"),
    ],
)
def test_safe_name(given: str, expected: str) -> None:
    assert safe_name(given) == expected


def test_long_names_keep_their_extension() -> None:
    name = safe_name("a" * 500 + ".pdf")
    assert len(name) <= 120 and name.endswith(".pdf")


def test_stored_upload_stays_in_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "deep" / "uploads"
    up = Upload(safe_name("../../x.pdf"), "../../x.pdf", b"%PDF-1.4 test")
    path = store_upload(folder, up)
    assert path == (folder / "x.pdf").resolve()
    assert path.read_bytes() == b"%PDF-1.4 test"
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "deep" / "x.pdf").exists()
    assert [p.name for p in folder.iterdir()] == ["x.pdf"]


def test_check_uploads_413_over_the_limit() -> None:
    with pytest.raises(ApiError) as caught:
        check_uploads([Upload("a.txt", "a.txt", b"x" * 101)], max_bytes=100)
    assert caught.value.status == 413


def test_check_uploads_415_when_no_file_is_usable_by_its_bytes() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 50
    with pytest.raises(ApiError) as caught:
        check_uploads([Upload("x.pdf", "x.pdf", png), Upload("y.txt", "y.txt", png)], 10_000)
    assert caught.value.status == 415
    assert [d["file"] for d in caught.value.details] == ["x.pdf", "y.txt"]


def test_check_uploads_accepts_when_one_file_is_usable() -> None:
    check_uploads(
        [Upload("x.pdf", "x.pdf", b"not a pdf"), Upload("y.txt", "y.txt", b"Text.")], 10_000
    )


def test_check_uploads_400_when_all_are_empty() -> None:
    with pytest.raises(ApiError) as caught:
        check_uploads([Upload("x.txt", "x.txt", b"  ")], 10_000)
    assert caught.value.status == 400
