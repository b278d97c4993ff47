"""A Milvus writer in a process of its own, for the lease tests.

python milvus_writer_child.py URI PREFIX hold       # stage a brief, print "ready", commit on
                                                    # a line of stdin, exit normally
python milvus_writer_child.py URI PREFIX crash TTL  # stage a brief under a TTL-second lease,
                                                    # print "ready", die without finishing
"""

from __future__ import annotations

import os
import sys

from helpers import FakeEmbedder, stage_brief

from index.location import MilvusLocation
from index.milvus_store import release
from index.milvus_writer import MilvusWriter
from ingest.chunk import ChunkerSettings

CHILD_BRIEF = """# Ferry subsidies on the outer islands

## Findings

Ferry subsidies keep the outer islands connected through the winter months.
"""


def main(uri: str, prefix: str, mode: str, ttl: str = "60") -> None:
    location = MilvusLocation(uri, collection=prefix)
    fake = FakeEmbedder()
    writer = MilvusWriter(
        location,
        model_id=fake.model_id,
        dim=fake.dim,
        precision=fake.precision,
        chunker=ChunkerSettings(),
        lease_ttl=float(ttl),
    )
    stage_brief(writer, "ferries.md", CHILD_BRIEF, fake)
    print("ready", flush=True)
    if mode == "crash":
        os._exit(1)  # as a killed process: no commit, no abort, no lease release
    sys.stdin.readline()
    writer.commit()
    release(location)


if __name__ == "__main__":
    main(*sys.argv[1:])
