"""Why a file could not be ingested: one exception per reason, each with a stable code."""


class IngestError(Exception):
    """Base class: the file is reported with `code` and the message and skipped."""

    code = "ingest_error"


class UnsupportedFileError(IngestError):
    """The bytes are not a supported type, or not the type the extension claims."""

    code = "unsupported_type"


class EmptyFileError(IngestError):
    code = "empty_file"


class FileTooLargeError(IngestError):
    """Over the configured size or page limit."""

    code = "too_large"


class UnreadableFileError(IngestError):
    """The file could not be read where it was to be parsed (gone, no permission, or a path
    that a Ray worker's node does not have)."""

    code = "unreadable"


class CorruptFileError(IngestError):
    """A damaged or truncated file the parser cannot read."""

    code = "corrupt"


class EncryptedFileError(IngestError):
    """Encrypted with a password we do not have (the empty password was tried)."""

    code = "encrypted"


class NoTextLayerError(IngestError):
    """A scanned, image-only PDF: there is no text to index (OCR is not done)."""

    code = "no_text"


class GarbledTextError(IngestError):
    """Text extracted, but it looks like broken font encoding or mojibake."""

    code = "garbled_text"


class TooSlowError(IngestError):
    """Parsing used up its time or CPU budget (a hostile or pathological file) and was stopped."""

    code = "too_slow"


class IngestCancelledError(Exception):
    """The caller withdrew the work (its client went away); nothing was published.

    Not an IngestError: it stops the whole batch rather than failing one file."""

    code = "cancelled"
