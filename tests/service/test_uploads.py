"""Upload file names never leave the storage folder; type and size are judged by the bytes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from service.api.errors import ApiError
from service.api.uploads import (
    Received,
    Upload,
    check_uploads,
    discard,
    keep,
    receive,
    safe_name,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../x.pdf", "x.pdf"),
        ("..\\..\\windows\\x.pdf", "x.pdf"),
        ("/etc/passwd", "passwd"),
        ("brief 1 (final).pdf", "brief 1 (final).pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("..", "upload"),
        ("....pdf", "upload.pdf"),
        (". .pdf", "upload.pdf"),
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


def received(tmp_path: Path, files: dict[str, bytes]) -> list[Upload]:
    """The files as the upload route holds them after `receive`: copies in the upload folder."""
    parts = [Received(name, io.BytesIO(data), len(data)) for name, data in files.items()]
    return receive(tmp_path / "uploads", parts)


def test_received_uploads_stay_in_their_folder_until_kept(tmp_path: Path) -> None:
    folder = tmp_path / "deep" / "uploads"
    parts = [Received("../../x.pdf", io.BytesIO(b"%PDF-1.4 test"), 13)]
    (up,) = receive(folder, parts)
    assert up.name == "x.pdf" and up.path.parent == folder and up.path.name.startswith(".")
    keep(folder, [up], {"x.pdf"})
    assert (folder / "x.pdf").read_bytes() == b"%PDF-1.4 test"
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "deep" / "x.pdf").exists()
    assert [p.name for p in folder.iterdir()] == ["x.pdf"]


def test_uploads_not_kept_are_discarded(tmp_path: Path) -> None:
    uploads = received(tmp_path, {"a.txt": b"Text a.", "b.txt": b"Text b."})
    keep(tmp_path / "uploads", uploads, {"b.txt"})
    discard(uploads)
    assert [p.name for p in (tmp_path / "uploads").iterdir()] == ["b.txt"]


def test_check_uploads_413_over_the_limit_states_the_real_size(tmp_path: Path) -> None:
    uploads = received(tmp_path, {"a.txt": b"x" * 3_000_000})
    with pytest.raises(ApiError) as caught:
        check_uploads(uploads, max_bytes=2 * 1024 * 1024)
    assert caught.value.status == 413
    assert "2.86 MiB (3,000,000 bytes), over the 2.00 MiB (2,097,152 bytes) limit" in str(
        caught.value
    )


def test_check_uploads_415_when_no_file_is_usable_by_its_bytes(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 50
    with pytest.raises(ApiError) as caught:
        check_uploads(received(tmp_path, {"x.pdf": png, "y.txt": png}), 10_000)
    assert caught.value.status == 415
    assert [d["file"] for d in caught.value.details] == ["x.pdf", "y.txt"]


def test_check_uploads_accepts_when_one_file_is_usable(tmp_path: Path) -> None:
    check_uploads(received(tmp_path, {"x.pdf": b"not a pdf", "y.txt": b"Text."}), 10_000)


def test_check_uploads_400_when_all_are_empty(tmp_path: Path) -> None:
    with pytest.raises(ApiError) as caught:
        check_uploads(received(tmp_path, {"x.txt": b"  "}), 10_000)
    assert caught.value.status == 400
