"""The event store: coded events in one DuckDB file, de-duplicated, queryable and exportable.

``EventStore`` is the Python API; ``dotterel.store.commands.register`` adds the CLI commands.
"""

from dotterel.store.core import EventStore, IngestReport
from dotterel.store.db import DEFAULT_DB, StoreError, StoreLockedError
from dotterel.store.dedup import DedupRule
from dotterel.store.query import Filters

__all__ = [
    "DEFAULT_DB",
    "DedupRule",
    "EventStore",
    "Filters",
    "IngestReport",
    "StoreError",
    "StoreLockedError",
]
