"""Import use case: files and folders -> documents (+ their annotations), file by file."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from newsmark.domain.document import DocumentInput
from newsmark.domain.errors import InputError, UsageError
from newsmark.domain.labels import LabelSet
from newsmark.domain.reading import ReadOptions, describe_counts
from newsmark.domain.status import Status
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
    """What an import stored, what it left out and which files it refused.

    `spans` and `quotes` count what the new annotation sets hold (identical duplicates
    collapsed); `tally` counts what readers did not import or collapsed, by kind.
    """

    added: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    new_sets: int = 0
    spans: int = 0
    quotes: int = 0
    files: int = 0
    refused: list[InputError] = field(default_factory=list)
    tally: ReadOptions = field(default_factory=ReadOptions)
    # Documents already stored with other tokens than the file's (the stored ones stay).
    other_tokens: list[int] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 all good, 2 some inputs refused (the CLI contract)."""
        return 2 if self.refused else 0

    def summary(self) -> str:
        """One line of what landed, then one line per kind of thing left out."""
        text = (
            f"imported {len(self.added)} new document(s) from {self.files} file(s)"
            f", {len(self.duplicates)} already present"
        )
        if self.new_sets:
            text += (
                f"; stored {self.new_sets} annotation set(s) with {self.spans} span(s)"
                f" and {self.quotes} quote(s)"
            )
        if self.refused:
            text += f"; {len(self.refused)} file(s) refused"
        lines = [text]
        if self.tally.dropped:
            lines.append(f"not imported: {describe_counts(self.tally.dropped)}")
        if self.tally.collapsed:
            lines.append(f"collapsed: {describe_counts(self.tally.collapsed)}")
        if self.other_tokens:
            ids = ", ".join(map(str, self.other_tokens[:10]))
            more = ", ..." if len(self.other_tokens) > 10 else ""
            lines.append(
                f"kept the stored tokens of {len(self.other_tokens)} document(s) that the "
                f"files tokenize differently (ids {ids}{more})"
            )
        return "\n".join(lines)

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.added += result.added
        self.duplicates += result.duplicates
        self.new_sets += result.new_sets
        self.spans += result.spans
        self.quotes += result.quotes
        self.other_tokens += result.other_tokens
        self.tally.merge(result.tally)


@dataclass
class FileResult:
    """What one file's import stored (see ImportReport)."""

    added: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    new_sets: int = 0
    spans: int = 0
    quotes: int = 0
    other_tokens: list[int] = field(default_factory=list)
    tally: ReadOptions = field(default_factory=ReadOptions)


@dataclass(frozen=True)
class LabelOptions:
    """`--map-labels OLD=NEW` renames imported labels; `--add-labels` accepts new ones.

    Each label is renamed once: readers rename the labels and relation types that decide
    quote structure (QUOTE/SPEAKER/CUE, SPEAKER/CUE/PART_OF) through
    `ReadOptions.label_map`, and `apply` renames the entity labels they hand back.
    """

    mapping: dict[str, str] = field(default_factory=dict)
    extra: tuple[str, ...] = ()

    @classmethod
    def parse(cls, map_labels: Sequence[str] = (), add_labels: Sequence[str] = ()) -> LabelOptions:
        mapping: dict[str, str] = {}
        for item in (p.strip() for arg in map_labels for p in arg.split(",")):
            old, sep, new = item.partition("=")
            if not sep or not old.strip() or not new.strip():
                raise UsageError(f"--map-labels wants OLD=NEW, got {item!r}")
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
    options: ReadOptions | None = None,
    status: Status | None = None,
) -> FileResult:
    """Import one file whole or not at all; what it stored and what it left out.

    The file's own tokens are stored when it has them; spaCy's tokenizer makes them for
    the rest. `options` (drop unsupported content, span groups) are used with a fresh
    tally for this file. `status` is the status of the annotation sets the file brings,
    instead of its own (or preannotated): `accepted` says the file is gold.
    """
    labels = labels or LabelOptions()
    # Readers see the mapping too: region labels and relation types that carry quote
    # structure are renamed before the quotes are assembled (see ReadOptions).
    tally = replace((options or ReadOptions()).fresh(), label_map=labels.mapping)
    reader = get_format(fmt) if fmt else detect_format(path)
    inputs = [labels.apply(item) for item in read_path(path, reader, tally)]
    if status is not None:
        inputs = [replace(i, status=status.value) if i.makes_set else i for i in inputs]
    if not inputs:
        skipped = f" ({describe_counts(tally.dropped)} left out)" if tally.dropped else ""
        raise InputError(path, None, f"no documents in file{skipped}")
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
    _check_labels(path, inputs, labels.label_set(repo) or repo.labels)
    spacy_tokens = iter(tokenize_many(item.text for item in inputs if item.tokens is None))
    items = [(item, item.tokens or next(spacy_tokens)) for item in inputs]
    try:
        stored = repo.import_documents(
            items, annotator or f"import:{reader.name}", labels=labels.label_set(repo)
        )
    except BatchInputError as exc:
        # The repository validates annotations without knowing the file: add path and line.
        line = inputs[exc.index].line
        raise InputError(path, line, exc.detail if line else exc.reason) from exc
    return FileResult(
        added=[i.doc_id for i in stored if i.created],
        duplicates=[i.doc_id for i in stored if not i.created],
        new_sets=sum(1 for i in stored if i.set_id is not None),
        spans=sum(i.spans for i in stored),
        quotes=sum(i.quotes for i in stored),
        other_tokens=[i.doc_id for i in stored if i.other_tokens],
        tally=tally,
    )


def _check_labels(path: Path, inputs: Sequence[DocumentInput], known: LabelSet | None) -> None:
    """Refuse a file with labels outside the set, naming all of them and the two options."""
    if known is None:
        return
    unknown: Counter[str] = Counter()
    first: int | None = None
    for item in inputs:
        used = [s.label for s in item.spans] + [q.speaker_label for q in item.quotes]
        missing = [label for label in used if label is not None and label not in known]
        if missing and first is None:
            first = item.line
        unknown.update(missing)
    if unknown:
        names = ",".join(sorted(unknown))
        raise InputError(
            path,
            first,
            f"unknown label(s): {describe_counts(unknown)} span(s); accept them with "
            f"--add-labels {names}, or rename them with --map-labels OLD=NEW",
        )


def import_paths(
    repo: Repository,
    paths: Sequence[Path],
    *,
    fmt: str | None = None,
    annotator: str | None = None,
    labels: LabelOptions | None = None,
    options: ReadOptions | None = None,
    status: Status | None = None,
    progress: Progress = no_progress,
    cancel: Cancel = never_cancel,
) -> ImportReport:
    """Import every file under `paths`; good files land, bad ones are listed in the report.
    `status`: of the annotation sets the files bring (see `import_file`)."""
    report = ImportReport()
    files: list[Path] = []
    for path in paths:
        try:
            files.extend(iter_input_files([Path(path)], report.refused))
        except InputError as exc:
            report.refused.append(exc)
    for n, path in enumerate(files):
        if cancel():
            raise Cancelled()
        progress(n, len(files), f"importing {path.name}")
        try:
            result = import_file(
                repo,
                path,
                fmt=fmt,
                annotator=annotator,
                labels=labels,
                options=options,
                status=status,
            )
        except InputError as exc:
            log.info("refused %s", exc)
            report.refused.append(exc)
            continue
        report.add(result)
    progress(len(files), len(files), "import done")
    return report


def seed_if_empty(repo: Repository, progress: Progress = no_progress) -> list[int]:
    """On first run (no documents at all) import the bundled sample articles."""
    if repo.count_documents(cap=0):
        return []
    report = import_paths(repo, seed_files(), annotator="import:seed", progress=progress)
    return report.added
