"""The trained-model registry (`trained_models`, migration 0005): add, list, find, delete.

A model inside the data dir's models/ is stored relative to it (`tiny`, not
/home/a/.local/share/newsmark/models/tiny), so a moved or restored data dir keeps its
models; `TrainedModel.path` is always the absolute folder under the current data dir.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsmark.domain.errors import UsageError
from newsmark.storage import rows
from newsmark.storage.orm import TrainedModelRow


@dataclass(frozen=True, slots=True)
class TrainedModel:
    """A registered pipeline: where it is, what it started from and its training record."""

    name: str
    path: str
    base_model: str
    version: str
    created_at: str
    meta: dict[str, Any]

    @property
    def provenance(self) -> str:
        return f"{self.name}=={self.version}"


def stored_path(path: str, root: Path) -> str:
    """What the row holds: the folder relative to `root` (models/) when inside it."""
    try:
        return PurePosixPath(Path(path).resolve().relative_to(root.resolve())).as_posix()
    except ValueError:  # outside models/: kept as given
        return path


def folder(stored: str, root: Path) -> str:
    """The absolute folder of a stored path. A row from before relative paths whose folder
    is gone, but whose name is in `root` (the data dir was moved), is found there."""
    path = Path(stored)
    if not path.is_absolute():
        return str(root / path)
    moved = root / path.name
    if not path.exists() and path.parent.name == root.name and moved.is_dir():
        return str(moved)
    return stored


def _model(row: TrainedModelRow, root: Path) -> TrainedModel:
    return TrainedModel(
        row.name,
        folder(row.path, root),
        row.base_model,
        row.version,
        row.created_at,
        dict(row.meta or {}),
    )


def add(
    session: Session,
    name: str,
    path: str,
    base_model: str,
    version: str,
    meta: dict[str, Any],
    root: Path,
) -> TrainedModel:
    if session.scalar(select(TrainedModelRow.id).where(TrainedModelRow.name == name)):
        raise UsageError(f"a model named {name!r} is registered already; pick another --name")
    row = TrainedModelRow(
        name=name,
        path=stored_path(path, root),
        base_model=base_model,
        version=version,
        created_at=rows.utcnow(),
        meta=meta,
    )
    session.add(row)
    session.flush()
    return _model(row, root)


def all_models(session: Session, root: Path) -> list[TrainedModel]:
    found = session.scalars(select(TrainedModelRow).order_by(TrainedModelRow.created_at))
    return [_model(r, root) for r in found]


def find(session: Session, name: str, root: Path) -> TrainedModel | None:
    row = session.scalar(select(TrainedModelRow).where(TrainedModelRow.name == name))
    return None if row is None else _model(row, root)


def delete(session: Session, name: str, root: Path) -> TrainedModel:
    row = session.scalar(select(TrainedModelRow).where(TrainedModelRow.name == name))
    if row is None:
        raise UsageError(f"no registered model named {name!r} (`newsmark models` lists them)")
    gone = _model(row, root)
    session.delete(row)
    return gone
