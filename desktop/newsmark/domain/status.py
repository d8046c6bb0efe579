"""Annotation set statuses and how they map to Prodigy's `answer`."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    NEW = "new"
    PREANNOTATED = "preannotated"
    IN_PROGRESS = "in_progress"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    SKIPPED = "skipped"

    @property
    def answer(self) -> str:
        """Prodigy's answer: accept for gold, reject for rejected, ignore otherwise."""
        if self is Status.ACCEPTED:
            return "accept"
        if self is Status.REJECTED:
            return "reject"
        return "ignore"

    @property
    def is_decided(self) -> bool:
        return self in (Status.ACCEPTED, Status.REJECTED, Status.SKIPPED)

    @property
    def untouched(self) -> bool:
        """No person has edited a set in this status: a prediction may replace its model
        annotations, and a person's first edit moves it to in_progress."""
        return self in (Status.NEW, Status.PREANNOTATED)


STATUS_FILTERS = (*(s.value for s in Status), "any")
