"""brat standoff: a folder of .txt + .ann pairs and an annotation.conf; quotes as Quote events."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from newsmark.domain.document import DocumentInput
from newsmark.domain.errors import InputError
from newsmark.domain.quotes import QuoteKind
from newsmark.domain.reading import ReadOptions
from newsmark.formats.jsonl import record_to_input
from newsmark.formats.tools import (
    Range,
    fail,
    quote_dict,
    read_text,
    record_entities,
    record_quotes,
)

QUOTE_TYPE = "Quote"
SPEAKER_TYPE = "Speaker"
CUE_TYPE = "Cue"
KIND_ATTR = "Kind"
NOTE_TYPE = "AnnotatorNotes"
_KINDS = tuple(k.value for k in QuoteKind)
# Characters a line-oriented reader may end a line at (str.splitlines' set): an
# annotation is cut into fragments around them so no .ann line is broken.
_BREAKS = re.compile(r"[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_TYPE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
# What annotation.conf can declare: brat renames other characters to _ (projectconfig.py
# normalize_to_storage_form), and then the .ann type would not be a declared one.
_CONF_TYPE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-]*")
_SLUG = re.compile(r"[^a-z0-9]+")
_ID = r"[TEARMN#*]\d*"
_T_LINE = re.compile(r"(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)")
# Argument roles are plain names: `\S+` let "Speaker:T5\x00Cue:T6" through as one argument.
_E_LINE = re.compile(r"(E\d+)\t(\S+):(T\d+)((?: [A-Za-z_]+:[TE]\d+)*) ?")
_A_LINE = re.compile(r"(A\d+)\t(\S+) (E\d+|T\d+)(?: (\S+))?")
_NOTE_LINE = re.compile(r"(#\d+)\t(\S+) ([TE]\d+)\t(.*)")


def fragments(text: str, start: int, end: int) -> list[Range]:
    """[start, end) without its line-break characters: brat's discontinuous fragments."""
    pieces: list[Range] = []
    pos = start
    for m in _BREAKS.finditer(text, start, end):
        if m.start() > pos:
            pieces.append((pos, m.start()))
        pos = m.end()
    if end > pos:
        pieces.append((pos, end))
    return pieces


class _Ann:
    """The .ann lines of one document, with ids handed out in order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] = []
        self.counts = {"T": 0, "E": 0, "A": 0, "#": 0}
        self.types: set[str] = set()

    def next_id(self, prefix: str) -> str:
        self.counts[prefix] += 1
        return f"{prefix}{self.counts[prefix]}"

    def textbound(self, kind: str, ranges: Iterable[Range]) -> str:
        if not _CONF_TYPE.fullmatch(kind):
            raise InputError(
                None,
                None,
                f"label {kind!r} cannot be a brat type name (annotation.conf allows "
                "letters, digits, _ and -)",
            )
        pieces = [p for s, e in ranges for p in fragments(self.text, s, e)]
        tid = self.next_id("T")
        offsets = ";".join(f"{s} {e}" for s, e in pieces)
        covered = " ".join(self.text[s:e] for s, e in pieces)
        self.lines.append(f"{tid}\t{kind} {offsets}\t{covered}")
        self.types.add(kind)
        return tid


def ann_lines(record: Mapping[str, Any]) -> tuple[list[str], set[str]]:
    """The .ann lines of one export record and the entity types it used."""
    ann = _Ann(record["text"])
    at: dict[Range, str] = {}
    for start, end, label in record_entities(record):
        at[(start, end)] = ann.textbound(label, [(start, end)])
    cues: dict[Range, str] = {}
    # Quotes with the same parts (other speakers) share one trigger, as brat prefers
    # (verify_annotations.py verify_triggers warns about duplicate triggers).
    triggers: dict[tuple[Range, ...], str] = {}
    for q in record_quotes(record):
        if q.parts not in triggers:
            triggers[q.parts] = ann.textbound(QUOTE_TYPE, q.parts)
        trigger = triggers[q.parts]
        args = [f"{QUOTE_TYPE}:{trigger}"]
        if q.speaker is not None:
            if q.speaker not in at:
                at[q.speaker] = ann.textbound(SPEAKER_TYPE, [q.speaker])
            args.append(f"Speaker:{at[q.speaker]}")
        if q.cue is not None:
            if q.cue not in cues:
                cues[q.cue] = ann.textbound(CUE_TYPE, [q.cue])
            args.append(f"Cue:{cues[q.cue]}")
        eid = ann.next_id("E")
        ann.lines.append(f"{eid}\t{' '.join(args)}")
        ann.lines.append(f"{ann.next_id('A')}\t{KIND_ATTR} {eid} {q.kind}")
        if q.entity:
            note = " ".join(q.entity.split())
            ann.lines.append(f"{ann.next_id('#')}\t{NOTE_TYPE} {eid}\t{note}")
    return ann.lines, ann.types - {QUOTE_TYPE}


def annotation_conf(types: Iterable[str]) -> str:
    """brat's configuration for the exported types: entities, the Quote event, Kind.

    `<OVERLAP>` rules (in [relations], brat's projectconfig.py overlap_types) declare
    what Newsmark's data does, so brat's validation (tools.conf `validate:all`,
    verify_annotations.py verify_entity_overlap) reports only real problems: speakers
    and cues are a layer of their own that may contain, lie inside, equal or cross
    entities and each other; entities never overlap each other. Quote triggers are event
    triggers, which brat's overlap check does not look at.
    """
    entities = sorted(set(types) | {SPEAKER_TYPE, CUE_TYPE})
    speakers = "|".join(t for t in entities if t != CUE_TYPE)
    roles = f"{SPEAKER_TYPE}|{CUE_TYPE}"
    overlap = "<OVL-TYPE>:contain|equal|cross"
    return (
        "[entities]\n" + "".join(f"{t}\n" for t in entities) + "\n[relations]\n"
        "# Speakers and cues may overlap entities and each other in any way; two entities\n"
        "# never overlap (entities behave as NER in Newsmark).\n"
        f"<OVERLAP>\tArg1:<ENTITY>, Arg2:{roles}, {overlap}\n"
        f"<OVERLAP>\tArg1:{roles}, Arg2:<ENTITY>, {overlap}\n\n"
        f"[events]\n{QUOTE_TYPE}\tSpeaker?:{speakers}, Cue?:{CUE_TYPE}\n\n"
        f"[attributes]\n{KIND_ATTR}\tArg:{QUOTE_TYPE}, Value:{'|'.join(_KINDS)}\n"
    )


def file_stem(record: Mapping[str, Any], number: int) -> str:
    """A portable file name: export number plus an ASCII slug of the title."""
    title = str((record.get("meta") or {}).get("title") or "")
    slug = _SLUG.sub("-", title.lower()).strip("-")[:40].strip("-")
    return f"{number:06d}-{slug}" if slug else f"{number:06d}"


def write_brat(records: Iterable[Mapping[str, Any]], dest: Path, *, force: bool = False) -> int:
    """Write a brat collection folder atomically: built beside `dest`, renamed at the end."""
    dest = Path(dest)
    if dest.exists() and not force:
        raise InputError(dest, None, "exists; use --force to replace it")
    if dest.exists() and not dest.is_dir():
        raise InputError(dest, None, "is a file; brat export writes a folder")
    parent = dest.parent
    if not parent.is_dir():
        raise InputError(dest, None, f"directory {parent} does not exist")
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".part", dir=parent))
    try:
        types: set[str] = set()
        count = 0
        for count, record in enumerate(records, 1):
            stem = file_stem(record, count)
            lines, used = ann_lines(record)
            types |= used
            # Bytes, not text mode: offsets count characters of exactly this text.
            (tmp / f"{stem}.txt").write_bytes(record["text"].encode("utf-8"))
            (tmp / f"{stem}.ann").write_bytes("".join(f"{x}\n" for x in lines).encode("utf-8"))
        (tmp / "annotation.conf").write_text(annotation_conf(types), encoding="utf-8")
        if dest.exists():
            old = dest.with_name(f".{dest.name}.old")
            dest.replace(old)
            tmp.replace(dest)
            shutil.rmtree(old)
        else:
            tmp.replace(dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return count


def read_brat(path: Path, options: ReadOptions | None = None) -> Iterator[DocumentInput]:
    """The document of one .ann file and the .txt beside it (its offsets are code points)."""
    path = Path(path)
    ann = path.with_suffix(".ann")
    txt = path.with_suffix(".txt")
    if not txt.exists():
        fail(ann, None, f"no text file {txt.name} beside it")
    text = read_text(txt)
    raw = ann.read_bytes() if ann.exists() else b""
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        fail(ann, raw.count(b"\n", 0, exc.start) + 1, "not UTF-8")
    yield parse_ann(body, text, ann)


def _check_type(ann: Path, no: int, kind: str) -> None:
    if not _TYPE.fullmatch(kind):
        fail(ann, no, f"invalid type name {kind!r}")


def parse_ann(body: str, text: str, ann: Path) -> DocumentInput:
    """Strict parse of the standoff lines Newsmark understands; anything else is refused."""
    bounds: dict[str, tuple[str, list[Range], int]] = {}
    events: dict[str, tuple[str, dict[str, str], int]] = {}
    kinds: dict[str, str] = {}
    notes: dict[str, str] = {}
    for no, line in enumerate(body.split("\n"), 1):
        if not line.strip():
            continue
        line = line.removesuffix("\r")
        if m := _T_LINE.fullmatch(line):
            tid, kind, offsets, quoted = m.groups()
            _check_type(ann, no, kind)
            pieces = []
            for pair in offsets.split(";"):
                s, e = (int(x) for x in pair.split(" "))
                if not 0 <= s < e <= len(text):
                    fail(ann, no, f"{tid}: offsets {s} {e} out of range or reversed "
                         f"(text has {len(text)} characters)")  # fmt: skip
                pieces.append((s, e))
            if pieces != sorted(pieces):
                fail(ann, no, f"{tid}: fragments are not in text order")
            covered = " ".join(text[s:e] for s, e in pieces)
            if covered != quoted:
                fail(ann, no, f"{tid}: text {quoted[:30]!r} does not match {covered[:30]!r}")
            if tid in bounds:
                fail(ann, no, f"duplicate id {tid}")
            bounds[tid] = (kind, pieces, no)
        elif m := _E_LINE.fullmatch(line):
            eid, kind, trigger, rest = m.groups()
            if kind != QUOTE_TYPE:
                fail(ann, no, f"{eid}: event type {kind!r} is not {QUOTE_TYPE}")
            args = {"Quote": trigger}
            for arg in rest.split():
                role, ref = arg.split(":")
                if role not in ("Speaker", "Cue") or role in args:
                    fail(ann, no, f"{eid}: argument {role!r} is not Speaker or Cue, or repeated")
                args[role] = ref
            if eid in events:
                fail(ann, no, f"duplicate id {eid}")
            events[eid] = (trigger, args, no)
        elif m := _A_LINE.fullmatch(line):
            _, name, ref, value = m.groups()
            if name != KIND_ATTR or value not in _KINDS or ref in kinds:
                fail(ann, no, f"attribute {name} {value} is not a Kind of {'|'.join(_KINDS)}")
            kinds[ref] = value
        elif m := _NOTE_LINE.fullmatch(line):
            _, name, ref, note = m.groups()
            if name != NOTE_TYPE:
                fail(ann, no, f"note type {name!r} is not {NOTE_TYPE}")
            notes[ref] = note
        else:
            head = line.split("\t", 1)[0]
            what = "line" if not re.fullmatch(_ID, head) else f"{head[0]} annotation"
            fail(ann, no, f"cannot import this {what} (Newsmark reads T, E Quote, A Kind, #)")
    return _to_input(bounds, events, kinds, notes, text, ann)


def _merge(text: str, pieces: list[Range]) -> list[Range]:
    """Fragments split only by line breaks join back into one range."""
    merged = [pieces[0]]
    for s, e in pieces[1:]:
        if _BREAKS.fullmatch(text[merged[-1][1] : s]):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _to_input(
    bounds: dict[str, tuple[str, list[Range], int]],
    events: dict[str, tuple[str, dict[str, str], int]],
    kinds: dict[str, str],
    notes: dict[str, str],
    text: str,
    ann: Path,
) -> DocumentInput:
    used: set[str] = set()
    quotes = []
    for eid, (trigger, args, no) in events.items():
        for role, ref in args.items():
            want = {"Quote": QUOTE_TYPE, "Cue": CUE_TYPE}.get(role)
            if ref not in bounds or (want and bounds[ref][0] != want):
                fail(ann, no, f"{eid}: {role} {ref} is not a {want or 'text-bound'} annotation")
            used.add(ref)
        speaker = args.get("Speaker")
        sp = _merge(text, bounds[speaker][1]) if speaker else None
        cue = _merge(text, bounds[args["Cue"]][1]) if "Cue" in args else None
        quotes.append(
            quote_dict(
                _merge(text, bounds[trigger][1]),
                kind=kinds.get(eid),
                speaker=(sp[0][0], sp[-1][1]) if sp else None,
                speaker_label=(
                    bounds[speaker][0] if speaker and bounds[speaker][0] != SPEAKER_TYPE else None
                ),
                cue=(cue[0][0], cue[-1][1]) if cue else None,
                entity=notes.get(eid),
            )
        )
    for ref in (*kinds, *notes):
        if ref not in events:
            fail(ann, None, f"attribute or note on {ref}, which is not a Quote event")
    spans = []
    for tid, (kind, pieces, no) in bounds.items():
        if kind in (QUOTE_TYPE, SPEAKER_TYPE, CUE_TYPE):
            if tid not in used:
                fail(ann, no, f"{tid}: a {kind} outside any Quote event")
            continue
        merged = _merge(text, pieces)
        if len(merged) > 1:
            fail(ann, no, f"{tid}: a discontinuous entity cannot be imported")
        spans.append({"start": merged[0][0], "end": merged[0][1], "label": kind})
    return record_to_input(
        {"text": text, "meta": {"source": str(ann.with_suffix(".txt"))}, "spans": spans,
         "quotes": quotes},
        ann,
        None,
    )  # fmt: skip
