"""Import use case: files and folders -> documents (+ their annotations), file by file."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from newsmark.domain.document import DocumentInput
from newsmark.domain.errors import InputError
from newsmark.domain.labels import LabelSet
from newsmark.formats import detect_format, get_format, iter_input_files, read_path
from newsmark.nlp.tokens import tokenize_many
from newsmark.resources import seed_files
from newsmark.services import catalog  # noqa: F401 - registers the spacy format
from newsmark.services.progress import Cancel, Cancelled, Progress, never_cancel, no_progress
from newsmark.storage import BatchInputError, Repository

log = logging.getLogger(__name__)

# spaCy's tokenizer strips affixes one character at a time: a 10,000-character run of
# brackets takes 12 s, 20,000 a minute (found by tests/reliability fuzzing). No article
# has a "word" this long; base64 blobs and minified data do, and are refused instead.
MAX_WORD = 1000
_LONG_WORD = re.compile(rf"\S{{{MAX_WORD + 1},}}")


@dataclass
class ImportReport:
    added: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    new_sets: int = 0
    files: int = 0
    refused: list[InputError] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 all good, 2 some inputs refused (the CLI contract)."""
        return 2 if self.refused else 0

    def summary(self) -> str:
        text = (
            f"imported {len(self.added)} new document(s) from {self.files} file(s)"
            f", {len(self.duplicates)} already present"
        )
        if self.new_sets:
            text += f", {self.new_sets} annotation set(s) added"
        if self.refused:
            text += f", {len(self.refused)} file(s) refused"
        return text


@dataclass(frozen=True)
class LabelOptions:
    """`--map-labels OLD=NEW` renames imported labels; `--add-labels` accepts new ones."""

    mapping: dict[str, str] = field(default_factory=dict)
    extra: tuple[str, ...] = ()

    @classmethod
    def parse(cls, map_labels: Sequence[str] = (), add_labels: Sequence[str] = ()) -> LabelOptions:
        mapping: dict[str, str] = {}
        for item in (p.strip() for arg in map_labels for p in arg.split(",")):
            old, sep, new = item.partition("=")
            if not sep or not old.strip() or not new.strip():
                raise InputError(None, None, f"--map-labels wants OLD=NEW, got {item!r}")
            mapping[old.strip()] = new.strip()
        extra = tuple(x.strip() for arg in add_labels for x in arg.split(",") if x.strip())
        return cls(mapping, extra)

    def apply(self, item: DocumentInput) -> DocumentInput:
        if not self.mapping:
            return item
        rename = self.mapping
        spans = tuple(replace(s, label=rename.get(s.label, s.label)) for s in item.spans)
        quotes = tuple(
            replace(q, speaker_label=rename.get(q.speaker_label, q.speaker_label))
            if q.speaker_label
            else q
            for q in item.quotes
        )
        return replace(item, spans=spans, quotes=quotes)

    def label_set(self, repo: Repository) -> LabelSet | None:
        if not self.extra or repo.labels is None:
            return None  # the repository's own set
        return repo.labels.with_labels(self.extra)


def import_file(
    repo: Repository,
    path: Path,
    *,
    fmt: str | None,
    annotator: str | None,
    labels: LabelOptions | None = None,
) -> tuple[list[int], list[int], int]:
    """Import one file whole or not at all: (added ids, duplicate ids, new annotation sets)."""
    labels = labels or LabelOptions()
    reader = get_format(fmt) if fmt else detect_format(path)
    inputs = [labels.apply(item) for item in read_path(path, reader)]
    if not inputs:
        raise InputError(path, None, "no documents in file")
    for item in inputs:
        long_word = _LONG_WORD.search(item.text) if isinstance(item.text, str) else None
        if long_word:
            where = item.line or item.text.count("\n", 0, long_word.start()) + 1
            raise InputError(
                path,
                where,
                f"{long_word.end() - long_word.start()} characters without a space at "
                f"character {long_word.start()}: not article text (at most {MAX_WORD})",
            )
    tokens = tokenize_many(item.text for item in inputs)
    items = list(zip(inputs, tokens, strict=True))
    try:
        results = repo.add_documents(
            items, annotator or f"import:{reader.name}", labels=labels.label_set(repo)
        )
    except BatchInputError as exc:
        # The repository validates annotations without knowing the file: add path and line.
        line = inputs[exc.index].line
        raise InputError(path, line, exc.detail if line else exc.reason) from exc
    added = [doc_id for doc_id, created in results if created]
    dupes = [doc_id for doc_id, created in results if not created]
    new_sets = sum(1 for item in inputs if item.has_annotations)
    return added, dupes, new_sets


def import_paths(
    repo: Repository,
    paths: Sequence[Path],
    *,
    fmt: str | None = None,
    annotator: str | None = None,
    labels: LabelOptions | None = None,
    progress: Progress = no_progress,
    cancel: Cancel = never_cancel,
) -> ImportReport:
    """Import every file under `paths`; good files land, bad ones are listed in the report."""
    report = ImportReport()
    files: list[Path] = []
    for path in paths:
        try:
            files.extend(iter_input_files([Path(path)]))
        except InputError as exc:
            report.refused.append(exc)
    for n, path in enumerate(files):
        if cancel():
            raise Cancelled()
        progress(n, len(files), f"importing {path.name}")
        try:
            added, dupes, new_sets = import_file(
                repo, path, fmt=fmt, annotator=annotator, labels=labels
            )
        except InputError as exc:
            log.info("refused %s", exc)
            report.refused.append(exc)
            continue
        report.files += 1
        report.added += added
        report.duplicates += dupes
        report.new_sets += new_sets
    progress(len(files), len(files), "import done")
    return report


def seed_if_empty(repo: Repository, progress: Progress = no_progress) -> list[int]:
    """On first run (no documents at all) import the bundled sample articles."""
    if repo.document_ids():
        return []
    report = import_paths(repo, seed_files(), annotator="import:seed", progress=progress)
    return report.added
