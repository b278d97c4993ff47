"""What can go wrong while evaluating; each message says what to fix."""


class EvalError(Exception):
    """Base class for evaluation errors: reported as one line, exit status 2."""

    code = "eval_error"


class EvalSetError(EvalError):
    """An evaluation set file is malformed, or names documents the index does not hold."""

    code = "eval_set"


class BeirFormatError(EvalError):
    """A folder is not in the BEIR layout (corpus.jsonl, queries.jsonl, qrels/*.tsv)."""

    code = "beir_format"


class ServerError(EvalError):
    """The BriefQA server could not be reached or answered with an error."""

    code = "server_error"


class BenchmarkError(EvalError):
    """A benchmark could not run: too little material for its queries, or its index or server
    failed (the message says where to look)."""

    code = "benchmark"
