"""The trained-model registry (`trained_models`, migration 0005): add, list, find, delete."""

from __future__ import annotations

from dataclasses import dataclass
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


def _model(row: TrainedModelRow) -> TrainedModel:
    return TrainedModel(
        row.name, row.path, row.base_model, row.version, row.created_at, dict(row.meta or {})
    )


def add(
    session: Session, name: str, path: str, base_model: str, version: str, meta: dict[str, Any]
) -> TrainedModel:
    if session.scalar(select(TrainedModelRow.id).where(TrainedModelRow.name == name)):
        raise UsageError(f"a model named {name!r} is registered already; pick another --name")
    row = TrainedModelRow(
        name=name,
        path=path,
        base_model=base_model,
        version=version,
        created_at=rows.utcnow(),
        meta=meta,
    )
    session.add(row)
    session.flush()
    return _model(row)


def all_models(session: Session) -> list[TrainedModel]:
    found = session.scalars(select(TrainedModelRow).order_by(TrainedModelRow.created_at))
    return [_model(r) for r in found]


def find(session: Session, name: str) -> TrainedModel | None:
    row = session.scalar(select(TrainedModelRow).where(TrainedModelRow.name == name))
    return None if row is None else _model(row)


def delete(session: Session, name: str) -> TrainedModel:
    row = session.scalar(select(TrainedModelRow).where(TrainedModelRow.name == name))
    if row is None:
        raise UsageError(f"no registered model named {name!r} (`newsmark models` lists them)")
    gone = _model(row)
    session.delete(row)
    return gone
