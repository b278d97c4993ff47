"""What can go wrong with an index (folder or Milvus store); each error says what to do about it."""


class IndexStoreError(Exception):
    """Base class for index errors."""

    code = "index_error"


class IndexNotFoundError(IndexStoreError):
    code = "index_not_found"


class IndexFormatError(IndexStoreError):
    """The folder holds files this version cannot read (another format version, damage)."""

    code = "index_format"


class ModelMismatchError(IndexStoreError):
    """The index was built with another embedding model or precision than the one configured."""

    code = "model_mismatch"


class DocumentNotFoundError(IndexStoreError):
    code = "document_not_found"


class IndexBusyError(IndexStoreError):
    """Another process holds the writer lock."""

    code = "index_busy"


class EmbedderRequiredError(IndexStoreError):
    """Dense or hybrid search needs the query embedder, which this reader was opened without."""

    code = "embedder_required"


class StorageError(IndexStoreError):
    """The folder cannot be written: the published generation is untouched and still served."""

    code = "storage_error"


class StorageReadOnlyError(StorageError):
    code = "storage_read_only"


class StorageNotWritableError(StorageError):
    """No permission to write (or an immutable folder, or a file where a folder should be)."""

    code = "storage_not_writable"


class StorageFullError(StorageError):
    """No space left (or a quota or file size limit reached)."""

    code = "storage_full"


class RayUnavailableError(IndexStoreError):
    """Ray ingest was asked for, but Ray is not installed or the cluster cannot be reached."""

    code = "ray_unavailable"


class StoreUnavailableError(IndexStoreError):
    """The configured store backend cannot be used: its extra is not installed, or the Milvus
    deployment cannot be reached."""

    code = "store_unavailable"
