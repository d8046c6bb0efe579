"""Label sets: the entity labels an annotator may use, with colours and hotkeys."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newsmark.domain.errors import AnnotationError


@dataclass(frozen=True, slots=True)
class Label:
    name: str
    color: str  # "#rrggbb"
    hotkey: str | None = None  # one character; None = palette only
    description: str = ""


# spaCy's OntoNotes entity labels (what en_core_web_sm predicts). Colours follow displaCy's
# palette where it has one, so users recognise them; hotkeys are mnemonic letters. The
# letters q (quote), c (cue), x (delete) and digits (speakers) are kept for quote work.
DEFAULT_LABELS: tuple[Label, ...] = (
    Label("PERSON", "#aa9cfc", "p", "People, including fictional"),
    Label("ORG", "#7aecec", "o", "Companies, agencies, institutions"),
    Label("GPE", "#feca74", "g", "Countries, cities, states"),
    Label("NORP", "#c887fb", "n", "Nationalities, religious or political groups"),
    Label("LOC", "#ff9561", "l", "Non-GPE locations, mountain ranges, bodies of water"),
    Label("FAC", "#9cc9cc", "f", "Buildings, airports, highways, bridges"),
    Label("EVENT", "#ffeb80", "e", "Named hurricanes, battles, wars, sports events"),
    Label("WORK_OF_ART", "#f0d0ff", "w", "Titles of books, songs"),
    Label("LAW", "#ff8197", "j", "Named documents made into laws"),
    Label("LANGUAGE", "#ff8197", "k", "Any named language"),
    Label("PRODUCT", "#bfeeb7", "r", "Objects, vehicles, foods (not services)"),
    Label("DATE", "#bfe1d9", "d", "Absolute or relative dates or periods"),
    Label("TIME", "#bfe1d9", "t", "Times smaller than a day"),
    Label("MONEY", "#e4e7d2", "m", "Monetary values"),
    Label("PERCENT", "#e4e7d2", "u", "Percentages"),
    Label("QUANTITY", "#e4e7d2", "y", "Measurements, as of weight or distance"),
    Label("ORDINAL", "#e4e7d2", "i", '"first", "second"'),
    Label("CARDINAL", "#e4e7d2", "b", "Numerals that do not fall under another type"),
)

# Letters a label may not take: they are bound to quote and navigation actions.
RESERVED_KEYS = frozenset("qcxas")


class LabelSet:
    """An ordered set of labels with unique names and hotkeys."""

    def __init__(self, labels: Iterable[Label] = DEFAULT_LABELS) -> None:
        self._labels: dict[str, Label] = {}
        keys: dict[str, str] = {}
        for label in labels:
            if not label.name or label.name != label.name.strip():
                raise AnnotationError(f"invalid label name {label.name!r}")
            if label.name in self._labels:
                raise AnnotationError(f"duplicate label {label.name!r}")
            if label.hotkey is not None:
                key = label.hotkey.lower()
                if len(key) != 1 or key in RESERVED_KEYS or key.isdigit():
                    raise AnnotationError(
                        f"label {label.name}: hotkey {label.hotkey!r} is not available"
                    )
                if key in keys:
                    raise AnnotationError(
                        f"hotkey {key!r} is used by both {keys[key]} and {label.name}"
                    )
                keys[key] = label.name
            self._labels[label.name] = label

    def __contains__(self, name: object) -> bool:
        return name in self._labels

    def __iter__(self) -> Iterator[Label]:
        return iter(self._labels.values())

    def __len__(self) -> int:
        return len(self._labels)

    def __getitem__(self, name: str) -> Label:
        return self._labels[name]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._labels)

    def color(self, name: str) -> str:
        label = self._labels.get(name)
        return label.color if label else "#dddddd"

    def by_hotkey(self, key: str) -> Label | None:
        key = key.lower()
        return next((lab for lab in self if lab.hotkey == key), None)

    def with_labels(self, names: Iterable[str]) -> LabelSet:
        """This set plus any new names (grey, no hotkey): `--add-labels` on import."""
        extra = [Label(n, "#dddddd") for n in names if n not in self._labels]
        return LabelSet([*self, *extra]) if extra else self
