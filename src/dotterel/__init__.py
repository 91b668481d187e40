"""dotterel: political event coding of English news into PLOVER event records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from dotterel.coder import Coder


def __getattr__(name: str) -> Any:
    # Lazy so that `import dotterel` (e.g. for the data files) does not load spaCy.
    if name == "Coder":
        from dotterel.coder import Coder

        return Coder
    raise AttributeError(name)


__all__ = ["Coder", "__version__"]
