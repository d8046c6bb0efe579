"""brat standoff: a folder of .txt + .ann pairs and an annotation.conf; quotes as Quote events."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from newsmark.domain.alignment import AlignmentReport
from newsmark.domain.document import DocumentInput
from newsmark.domain.errors import InputError
from newsmark.domain.overlaps import keep_first
from newsmark.domain.quotes import QuoteKind
from newsmark.domain.reading import ReadOptions
from newsmark.formats import files
from newsmark.formats.jsonl import DUPLICATE_SPAN, record_to_input
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
# A type may have spaces (`T12\ttest label 0 378 386`): the offsets are the last pairs.
_T_LINE = re.compile(r"(T\d+)\t(.+?) (\d+ \d+(?:;\d+ \d+)*)\t(.*)")
# Argument roles are plain names: `\S+` let "Speaker:T5\x00Cue:T6" through as one argument.
_ROLE = r"[A-Za-z_][A-Za-z0-9_.\-]*"
_E_LINE = re.compile(rf"(E\d+)\t(\S+):(T\d+)((?: {_ROLE}:[TE]\d+)*) ?")
_R_LINE = re.compile(rf"(R\d+)\t(\S+)((?: {_ROLE}:[TE]\d+)+) ?")
# An attribute name may have spaces too (`A9\tbool flag 0 T4`).
_A_LINE = re.compile(r"([AM]\d+)\t(.+?) ([TER]\d+)(?: (\S+))?")
_NOTE_LINE = re.compile(r"(#\d*)\t(\S+) ([TEARMN]\d+)(?:\t(.*))?")
_NORM_LINE = re.compile(r"(N\d+)\t(\S+) ([TE]\d+) (\S+)\t(.*)")
_EQUIV_LINE = re.compile(r"\*\t(\S+)((?: [TE]\d+)+)")


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


def write_brat(
    records: Iterable[Mapping[str, Any]],
    dest: Path,
    *,
    force: bool = False,
    report: AlignmentReport | None = None,
) -> int:
    """Write a brat collection folder atomically: built beside `dest`, renamed at the end.

    Character offsets: nothing to align, so `report` stays empty.
    """
    dest = Path(dest)
    files.check_target(dest, folder=True, force=force, protected=None)
    with files.atomic_folder(dest) as tmp:
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
    yield parse_ann(body, text, ann, options)


# Event types read as quotes besides Quote: attribution relations as PolNeAR annotates
# them (PARC's scheme), whose Content, Source and Cue are a quote's parts, speaker, cue.
ATTRIBUTION_TYPES = ("Attribution", "Attribution-no-source")
_QUOTE_ROLES: tuple[str, ...] = ("Speaker", "Cue")
_ATTRIBUTION_ROLES: tuple[str, ...] = ("Content", "Source", "Cue")
# Types of regions that exist only as part of a quote: never entities, nor speaker labels.
_ROLE_TYPES = {QUOTE_TYPE, SPEAKER_TYPE, CUE_TYPE, "Content", "Source", *ATTRIBUTION_TYPES}


class _Bound(NamedTuple):
    kind: str
    pieces: list[Range]  # in text order
    line: int


class _Event(NamedTuple):
    kind: str
    trigger: str
    args: list[tuple[str, str]]  # (role, id) in the order written
    line: int


@dataclass
class _Standoff:
    """The lines of one .ann file by kind, each with its line number."""

    bounds: dict[str, _Bound] = field(default_factory=dict)
    events: dict[str, _Event] = field(default_factory=dict)
    relations: dict[str, tuple[str, list[tuple[str, str]], int]] = field(default_factory=dict)
    attributes: list[tuple[str, str, str, str | None, int]] = field(default_factory=list)
    notes: list[tuple[str, str, str, int]] = field(default_factory=list)
    norms: dict[str, tuple[str, int]] = field(default_factory=dict)
    equivalences: list[tuple[list[str], int]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


def _check_type(ann: Path, no: int, kind: str) -> None:
    if not _TYPE.fullmatch(kind):
        fail(ann, no, f"invalid type name {kind!r}")


def _args(rest: str) -> list[tuple[str, str]]:
    return [(role, ref) for role, _, ref in (arg.partition(":") for arg in rest.split())]


def _new_id(so: _Standoff, ann: Path, no: int, ident: str) -> None:
    if ident in so.ids:
        fail(ann, no, f"duplicate id {ident}")
    so.ids.add(ident)


def _textbound(m: re.Match[str], text: str, ann: Path, no: int) -> tuple[str, _Bound]:
    tid, kind, offsets, quoted = m.groups()
    for word in kind.split(" "):
        _check_type(ann, no, word)
    pieces = []
    for pair in offsets.split(";"):
        s, e = (int(x) for x in pair.split(" "))
        if not 0 <= s < e <= len(text):
            fail(
                ann,
                no,
                f"{tid}: offsets {s} {e} out of range or reversed "
                f"(text has {len(text)} characters)",
            )
        pieces.append((s, e))
    # The text field follows the fragments as listed; they need not be in text order
    # (PolNeAR: `T2 Content 106 118;53 93`).
    covered = " ".join(text[s:e] for s, e in pieces)
    if covered != quoted:
        fail(ann, no, f"{tid}: text {quoted[:30]!r} does not match {covered[:30]!r}")
    pieces.sort()
    if any(b[0] < a[1] for a, b in itertools.pairwise(pieces)):
        fail(ann, no, f"{tid}: fragments overlap")
    return tid, _Bound(kind, pieces, no)


def _parse_lines(body: str, text: str, ann: Path) -> _Standoff:
    """Every line, checked for form; what each line may mean is settled afterwards."""
    so = _Standoff()
    for no, line in enumerate(body.split("\n"), 1):
        if not line.strip():
            continue
        line = line.removesuffix("\r")
        if m := _T_LINE.fullmatch(line):
            tid, bound = _textbound(m, text, ann, no)
            _new_id(so, ann, no, tid)
            so.bounds[tid] = bound
        elif m := _E_LINE.fullmatch(line):
            eid, kind, trigger, rest = m.groups()
            _new_id(so, ann, no, eid)
            so.events[eid] = _Event(kind, trigger, _args(rest), no)
        elif m := _R_LINE.fullmatch(line):
            rid, kind, rest = m.groups()
            _new_id(so, ann, no, rid)
            so.relations[rid] = (kind, _args(rest), no)
        elif m := _A_LINE.fullmatch(line):
            aid, name, ref, value = m.groups()
            _new_id(so, ann, no, aid)
            so.attributes.append((aid, name, ref, value, no))
        elif m := _NOTE_LINE.fullmatch(line):
            # Note ids may repeat (edsnlp's test data has two #1): nothing refers to notes.
            _, kind, ref, note = m.groups()
            so.notes.append((kind, ref, note or "", no))
        elif m := _NORM_LINE.fullmatch(line):
            nid, _, ref, _, _ = m.groups()
            _new_id(so, ann, no, nid)
            so.norms[nid] = (ref, no)
        elif m := _EQUIV_LINE.fullmatch(line):
            so.equivalences.append((m.group(2).split(), no))
        else:
            head = line.split("\t", 1)[0]
            what = "line" if not re.fullmatch(_ID, head) else f"{head[0]} annotation"
            fail(ann, no, f"cannot import this {what} (not a brat standoff line)")
    _check_references(so, ann)
    return so


def _check_references(so: _Standoff, ann: Path) -> None:
    """Every id a line refers to is defined in the file (whatever becomes of the line)."""
    refs: list[tuple[str, str, str, int]] = []  # (who, role, id, line)
    for eid, ev in so.events.items():
        if ev.trigger not in so.bounds:
            fail(ann, ev.line, f"{eid}: trigger {ev.trigger} is not a text-bound annotation")
        refs += [(eid, role, ref, ev.line) for role, ref in ev.args]
    for rid, (_, args, no) in so.relations.items():
        refs += [(rid, role, ref, no) for role, ref in args]
    refs += [(aid, name, ref, no) for aid, name, ref, _, no in so.attributes]
    refs += [("#", kind, ref, no) for kind, ref, _, no in so.notes]
    refs += [(nid, "reference", ref, no) for nid, (ref, no) in so.norms.items()]
    refs += [("*", "member", ref, no) for members, no in so.equivalences for ref in members]
    for who, role, ref, no in refs:
        if ref not in so.ids:
            fail(ann, no, f"{who}: {role} {ref} is not an annotation of this file")


class _Problems:
    """What Newsmark cannot hold, by line: refused at the first, or dropped and counted."""

    def __init__(self) -> None:
        self.items: list[tuple[int, str, str]] = []

    def add(self, line: int, kind: str, reason: str) -> None:
        self.items.append((line, kind, reason))

    def settle(self, ann: Path, options: ReadOptions) -> None:
        for line, kind, reason in sorted(self.items, key=lambda item: item[0]):
            options.unsupported(kind, reason, functools.partial(fail, ann, line))


def parse_ann(body: str, text: str, ann: Path, options: ReadOptions | None = None) -> DocumentInput:
    """A .ann file's entities and quotes; what Newsmark cannot hold is refused or dropped.

    Read: T lines (entities; fragments in any order), Quote events with Speaker/Cue, the
    Kind attribute and AnnotatorNotes on them, and attribution events (PolNeAR's
    Content/Source/Cue) as quotes. Refused unless `options.drop_unsupported`, then
    counted by kind: relations, other events and their roles, other attributes and
    notes, normalizations, equivalences, discontinuous or overlapping entities,
    multi-word types, a Speaker or Cue outside a quote.
    """
    options = options if options is not None else ReadOptions()
    so = _parse_lines(body, text, ann)
    problems = _Problems()
    quotes, used = _quotes(so, text, ann, problems)
    spans = _spans(so, used, text, problems, options)
    for tid, bound in so.bounds.items():  # a Quote region in no event: a quote on its own
        if bound.kind == QUOTE_TYPE and tid not in used:
            quotes.append((bound.line, quote_dict(_merge(text, bound.pieces))))
    for rid, (kind, _, no) in so.relations.items():
        problems.add(
            no,
            f"brat relation {kind}",
            f"cannot import this R annotation ({rid}: "
            f"relation {kind!r}; Newsmark's only relations are a quote's)",
        )
    for nid, (_, no) in so.norms.items():
        problems.add(no, "brat normalization", f"cannot import this N annotation ({nid})")
    for _, no in so.equivalences:
        problems.add(no, "brat equivalence", "cannot import this * annotation (equivalence)")
    problems.settle(ann, options)
    unique: list[dict[str, Any]] = []
    for _, quote in sorted(quotes, key=lambda q: q[0]):
        if quote in unique:
            options.collapse("identical duplicate quote")
        else:
            unique.append(quote)
    return record_to_input(
        {
            "text": text,
            "meta": {"source": str(ann.with_suffix(".txt"))},
            "spans": spans,
            "quotes": unique,
        },
        ann,
        None,
        options,
    )


def _merge(text: str, pieces: list[Range]) -> list[Range]:
    """Fragments split only by line breaks join back into one range."""
    merged = [pieces[0]]
    for s, e in pieces[1:]:
        if _BREAKS.fullmatch(text[merged[-1][1] : s]):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _quotes(
    so: _Standoff, text: str, ann: Path, problems: _Problems
) -> tuple[list[tuple[int, dict[str, Any]]], set[str]]:
    """(line, quote record) of each Quote or attribution event, and the T ids they use up.

    A speaker that is an entity (a PERSON region) stays an entity; regions of the quote
    types (Quote, Speaker, Cue; an attribution's Content, Source, Cue, trigger) are used up.
    """
    used: set[str] = set()
    quotes: list[tuple[int, dict[str, Any]]] = []
    events: dict[str, tuple[int, dict[str, Any]]] = {}
    for eid, ev in so.events.items():
        if ev.kind == QUOTE_TYPE:
            if so.bounds[ev.trigger].kind != QUOTE_TYPE:
                fail(ann, ev.line, f"{eid}: Quote {ev.trigger} is not a {QUOTE_TYPE} annotation")
            roles = _QUOTE_ROLES
        elif ev.kind in ATTRIBUTION_TYPES:
            roles = _ATTRIBUTION_ROLES
        else:
            problems.add(
                ev.line,
                f"brat event {ev.kind}",
                f"{eid}: event type {ev.kind!r} is "
                f"not {QUOTE_TYPE} (nor {' or '.join(ATTRIBUTION_TYPES)})",
            )
            continue
        args: dict[str, str] = {}
        for role, ref in ev.args:
            if role not in roles or role in args or not ref.startswith("T"):
                problems.add(
                    ev.line,
                    f"brat {ev.kind} argument {role}",
                    f"{eid}: argument {role!r} is not {' or '.join(roles)}, or repeated",
                )
                continue
            if ev.kind == QUOTE_TYPE and role == "Cue" and so.bounds[ref].kind != CUE_TYPE:
                fail(ann, ev.line, f"{eid}: Cue {ref} is not a {CUE_TYPE} annotation")
            args[role] = ref
        quote = _quote(eid, ev, args, so, text, problems)
        if quote is None:
            continue
        used.add(ev.trigger)
        used.update(ref for ref in args.values() if so.bounds[ref].kind in _ROLE_TYPES)
        events[eid] = (ev.line, quote)
        quotes.append((ev.line, quote))
    _quote_attributes(so, events, problems)
    return quotes, used


def _quote(
    eid: str,
    ev: _Event,
    args: dict[str, str],
    so: _Standoff,
    text: str,
    problems: _Problems,
) -> dict[str, Any] | None:
    if ev.kind == QUOTE_TYPE:
        parts = _merge(text, so.bounds[ev.trigger].pieces)
        speaker_role = "Speaker"
    elif "Content" in args:
        parts = _merge(text, so.bounds[args["Content"]].pieces)
        speaker_role = "Source"
        trigger = so.bounds[ev.trigger].pieces
        if "Cue" not in args:
            args["Cue"] = ev.trigger  # the attribution's cue is its trigger
        elif so.bounds[args["Cue"]].pieces != trigger:
            problems.add(
                ev.line,
                "brat event trigger apart from its Cue",
                f"{eid}: trigger {ev.trigger} is not where its Cue is",
            )
    else:
        problems.add(
            ev.line,
            f"brat {ev.kind} event without Content",
            f"{eid}: an attribution without Content is no quote",
        )
        return None
    ranges: dict[str, Range | None] = {}
    for role in (speaker_role, "Cue"):
        ref = args.get(role)
        merged = _merge(text, so.bounds[ref].pieces) if ref else None
        if merged and len(merged) > 1:
            problems.add(
                ev.line,
                f"discontinuous brat {role}",
                f"{eid}: {role} {ref} is "
                "discontinuous; a quote's speaker and cue are one range each",
            )
            merged = None
        ranges[role] = merged[0] if merged else None
    speaker = args.get(speaker_role)
    label = so.bounds[speaker].kind if speaker else None
    return quote_dict(
        parts,
        speaker=ranges[speaker_role],
        speaker_label=label if label not in _ROLE_TYPES else None,
        cue=ranges["Cue"],
    )


def _quote_attributes(
    so: _Standoff, events: dict[str, tuple[int, dict[str, Any]]], problems: _Problems
) -> None:
    """Kind attributes and AnnotatorNotes (the speaker's name) of quote events."""
    kinds: set[str] = set()
    for aid, name, ref, value, no in so.attributes:
        if name == KIND_ATTR and ref in events and value in _KINDS and ref not in kinds:
            events[ref][1]["kind"] = value
            kinds.add(ref)
        else:
            problems.add(
                no,
                f"brat attribute {name}",
                f"{aid}: attribute {name} {value or ''}"
                f" is not a Kind ({'|'.join(_KINDS)}) of a quote event",
            )
    named: set[str] = set()
    for kind, ref, note, no in so.notes:
        if kind == NOTE_TYPE and ref in events and ref not in named:
            events[ref][1]["entity"] = note.strip() or None
            named.add(ref)
        else:
            problems.add(
                no,
                "brat note",
                f"note {kind} on {ref}: Newsmark keeps only "
                f"{NOTE_TYPE} on a quote event (the speaker's name)",
            )


def _spans(
    so: _Standoff, used: set[str], text: str, problems: _Problems, options: ReadOptions
) -> list[dict[str, Any]]:
    """The entity spans: T lines no quote used, without duplicates and overlaps."""
    found: list[tuple[int, int, str, str, int]] = []  # start, end, label, id, line
    for tid, bound in so.bounds.items():
        if tid in used or bound.kind == QUOTE_TYPE:
            continue
        if bound.kind in (SPEAKER_TYPE, CUE_TYPE):
            problems.add(
                bound.line,
                f"brat {bound.kind} outside a Quote event",
                f"{tid}: a {bound.kind} outside any Quote event",
            )
        elif " " in bound.kind:
            problems.add(
                bound.line,
                "brat entity with a multi-word type",
                f"{tid}: type {bound.kind!r} has spaces, which a label cannot",
            )
        elif len(merged := _merge(text, bound.pieces)) > 1:
            problems.add(
                bound.line,
                "discontinuous brat entity",
                f"{tid}: a discontinuous entity cannot be imported",
            )
        else:
            found.append((*merged[0], bound.kind, tid, bound.line))
    found.sort(key=lambda f: (f[0], -f[1], f[4]))
    unique: dict[tuple[int, int, str], tuple[int, int, str, str, int]] = {}
    for item in found:
        if item[:3] in unique:
            options.collapse(DUPLICATE_SPAN)
        else:
            unique[item[:3]] = item
    kept, dropped = keep_first(unique.values(), lambda f: (f[0], f[1]))
    for start, end, label, tid, line in dropped:
        other = next(k for k in kept if k[0] < end and start < k[1])
        problems.add(
            line,
            "overlapping brat entity",
            f"{tid} {label} {start}..{end} overlaps "
            f"{other[3]} {other[2]} {other[0]}..{other[1]}; Newsmark's entities "
            "may not overlap",
        )
    return [{"start": s, "end": e, "label": label} for s, e, label, _, _ in kept]
