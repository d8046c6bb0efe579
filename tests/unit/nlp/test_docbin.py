"""The `spacy` format: DocBin files that spaCy loads and trains on, and that import back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from spacy.tokens import DocBin

from docbin_support import write_docbin
from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.document import Document, text_sha256
from newsmark.domain.entities import Entity
from newsmark.domain.errors import InputError
from newsmark.domain.offsets import Alignment
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.reading import ReadOptions
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.formats.newsmark_jsonl import export_record
from newsmark.nlp.docbin import read_docbin
from newsmark.nlp.model import blank_english
from newsmark.nlp.tokens import tokenize

DATA = Path(__file__).resolve().parents[2] / "data" / "formats_tools"
TEXT = "“A,” she said, “B.” 😀 Angela Merkel agreed."
QUOTE = Quote(
    parts=((0, 4), (15, 19)),
    kind=QuoteKind.MIXED,
    speaker=(5, 8),
    cue=(9, 13),
    entity="Angela Merkel",
)


def record(text: str = TEXT, spans=((22, 35, "PERSON"),), quotes=(QUOTE,), doc_id: int = 1) -> dict:
    doc = Document(doc_id, text, text_sha256(text), {"source": "a.txt"}, tuple(tokenize(text)))
    aset = AnnotationSet(
        doc_id,
        "ann1",
        Status.ACCEPTED,
        [Span(s, e, label, Origin.HUMAN, entity_id=4) for s, e, label in spans],
        list(quotes),
    )
    return export_record(doc, aset, {4: Entity(4, "Angela Merkel", "PERSON", "Q567")})


def load(path: Path) -> list:
    return list(DocBin().from_disk(path).get_docs(blank_english().vocab))


def test_spacy_loads_ents_quote_spans_and_user_data(tmp_path: Path) -> None:
    assert write_docbin([record()], tmp_path / "gold.spacy") == 1
    (doc,) = load(tmp_path / "gold.spacy")
    assert doc.text == TEXT
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [("Angela Merkel", "PERSON", "Q567")]
    (span,) = doc.spans["quotes"]
    assert (span.start_char, span.end_char, span.label_) == (0, 19, "mixed")
    # DocBin's msgpack gives lists back as tuples.
    assert doc.user_data["newsmark_quotes"] == (
        {
            "parts": ((0, 4), (15, 19)),
            "speaker": (5, 8),
            "cue": (9, 13),
            "entity": "Angela Merkel",
            "speaker_label": None,
        },
    )


def test_import_gives_back_entities_quotes_and_meta(tmp_path: Path) -> None:
    write_docbin([record()], tmp_path / "gold.spacy")
    (doc,) = read_docbin(tmp_path / "gold.spacy")
    assert doc.spans == (Span(22, 35, "PERSON", Origin.IMPORT),)
    (quote,) = doc.quotes
    assert quote.parts == ((0, 4), (15, 19)) and quote.kind is QuoteKind.MIXED
    assert (quote.speaker, quote.cue, quote.entity) == ((5, 8), (9, 13), "Angela Merkel")
    assert (doc.status, doc.annotator, doc.meta["source"]) == ("accepted", "ann1", "a.txt")


def test_split_is_seeded_and_complete(tmp_path: Path) -> None:
    records = [record(f"Text number {i}.", spans=(), quotes=(), doc_id=i) for i in range(10)]
    write_docbin(records, tmp_path / "a", split=0.8, seed=7)
    write_docbin(records, tmp_path / "b", split=0.8, seed=7)
    train, dev = load(tmp_path / "a" / "train.spacy"), load(tmp_path / "a" / "dev.spacy")
    assert (len(train), len(dev)) == (8, 2)
    assert sorted(d.text for d in train + dev) == sorted(r["text"] for r in records)
    assert (tmp_path / "a" / "train.spacy").read_bytes() == (
        tmp_path / "b" / "train.spacy"
    ).read_bytes()


def test_misaligned_entity_strict_expand_contract(tmp_path: Path) -> None:
    bad = record(spans=((23, 35, "PERSON"),), quotes=())  # "ngela Merkel"
    with pytest.raises(InputError, match=r"span PERSON 23..35 'ngela Merkel'"):
        write_docbin([bad], tmp_path / "x.spacy")
    assert not (tmp_path / "x.spacy").exists()
    write_docbin([bad], tmp_path / "e.spacy", alignment=Alignment.EXPAND)
    assert [e.text for e in load(tmp_path / "e.spacy")[0].ents] == ["Angela Merkel"]
    write_docbin([bad], tmp_path / "c.spacy", alignment=Alignment.CONTRACT)
    assert [e.text for e in load(tmp_path / "c.spacy")[0].ents] == ["Merkel"]


@pytest.mark.parametrize("content", [b"", b"not a docbin", b"\x78\x9c\x00"])
def test_bad_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.spacy"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        list(read_docbin(path))
    assert info.value.path == str(path)


def test_truncated_file_is_refused(tmp_path: Path) -> None:
    write_docbin([record()], tmp_path / "ok.spacy")
    data = (tmp_path / "ok.spacy").read_bytes()
    (tmp_path / "cut.spacy").write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="not a spaCy DocBin"):
        list(read_docbin(tmp_path / "cut.spacy"))


@pytest.mark.slow
def test_spacy_trains_on_an_exported_split(tmp_path: Path) -> None:
    texts = [
        ("Angela Merkel met Emmanuel Macron in Paris.", [(0, 13, "PERSON"), (18, 33, "PERSON"),
                                                        (37, 42, "GPE")]),
        ("“We agree,” Olaf Scholz said in Berlin.", [(12, 23, "PERSON"), (32, 38, "GPE")]),
    ]  # fmt: skip
    records = [
        record(text, spans=spans, quotes=(), doc_id=n) for n, (text, spans) in enumerate(texts * 5)
    ]
    write_docbin(records, tmp_path / "corpus", split=0.8)
    done = subprocess.run(
        [
            sys.executable, "-m", "spacy", "train", str(DATA / "tiny_ner.cfg"),
            "--paths.train", str(tmp_path / "corpus" / "train.spacy"),
            "--paths.dev", str(tmp_path / "corpus" / "dev.spacy"),
            "--output", str(tmp_path / "model"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert (tmp_path / "model" / "model-last" / "meta.json").exists()


# --- DocBins other tools write: their tokens and span groups -------------------------------


def foreign(tmp_path: Path, docs: list) -> Path:
    path = tmp_path / "foreign.spacy"
    DocBin(docs=docs, store_user_data=True).to_disk(path)
    return path


def make_doc(words: list[str], spaces: list[bool] | None = None):
    from spacy.tokens import Doc

    return Doc(blank_english().vocab, words=words, spaces=spaces)


def spans_of(doc, start: int, end: int, label: str):
    from spacy.tokens import Span as SpacySpan

    return SpacySpan(doc, start, end, label=label)


def test_the_docs_own_tokens_are_kept(tmp_path: Path) -> None:
    doc = make_doc(
        ["Trata-se", "de", "l'alliance", "\n", "18h26", "."],
        [True, True, False, False, False, False],
    )
    (item,) = read_docbin(foreign(tmp_path, [doc]))
    assert item.text == "Trata-se de l'alliance\n18h26."
    assert item.tokens == tuple((t.idx, t.idx + len(t.text), bool(t.whitespace_)) for t in doc)


def group_doc():
    """ "Angela Merkel met Emmanuel Macron in Paris ." with ents, sc and incorrect_spans."""
    doc = make_doc(["Angela", "Merkel", "met", "Emmanuel", "Macron", "in", "Paris", "."])
    doc.ents = [spans_of(doc, 0, 2, "PERSON"), spans_of(doc, 6, 7, "GPE")]
    doc.spans["sc"] = [
        spans_of(doc, 0, 2, "PERSON"),  # identical to an entity: collapses
        spans_of(doc, 1, 2, "SURNAME"),  # inside an entity: overlaps
        spans_of(doc, 3, 5, "PERSON"),
        spans_of(doc, 3, 4, "FIRST"),  # nested in the span before it
        spans_of(doc, 4, 5, "SURNAME"),  # nested too
    ]
    doc.spans["incorrect_spans"] = [spans_of(doc, 2, 3, "ORG")]
    return doc


def keys(item) -> list[tuple[int, int, str]]:
    return sorted((s.start, s.end, s.label) for s in item.spans)


def test_overlapping_groups_are_refused_naming_groups_and_options(tmp_path: Path) -> None:
    path = foreign(tmp_path, [group_doc()])
    with pytest.raises(InputError) as info:
        list(read_docbin(path))
    assert info.value.path == str(path)
    reason = info.value.reason
    assert "doc.spans['sc'] has 5 spans and 3 of them overlap an earlier one" in reason
    assert "doc.spans['incorrect_spans'] has 1 spans marked as not entities" in reason
    assert "--span-group NAME (this file has: ents, sc, incorrect_spans)" in reason
    assert "--drop-unsupported" in reason


def test_dropping_keeps_the_first_of_each_overlapping_run(tmp_path: Path) -> None:
    options = ReadOptions(drop_unsupported=True)
    (item,) = read_docbin(foreign(tmp_path, [group_doc()]), options)
    # Merkel 0..13, Emmanuel Macron 18..33, Paris 37..42.
    assert keys(item) == [(0, 13, "PERSON"), (18, 33, "PERSON"), (37, 42, "GPE")]
    assert options.dropped == {
        "overlapping span (group sc)": 3,
        "span marked as not an entity (group incorrect_spans)": 1,
    }
    assert options.collapsed == {"identical duplicate span": 1}


def test_chosen_groups_only_and_in_their_order(tmp_path: Path) -> None:
    path = foreign(tmp_path, [group_doc()])
    options = ReadOptions(span_groups=("incorrect_spans", "ents"))
    (item,) = read_docbin(path, options)
    assert keys(item) == [(0, 13, "PERSON"), (14, 17, "ORG"), (37, 42, "GPE")]
    assert options.dropped == {"span of group sc (not chosen)": 5}
    # sc first: its spans win the overlaps against doc.ents when dropping.
    options = ReadOptions(drop_unsupported=True, span_groups=("sc", "ents"))
    (item,) = read_docbin(path, options)
    assert keys(item) == [(0, 13, "PERSON"), (18, 33, "PERSON"), (37, 42, "GPE")]
    assert options.dropped == {
        "overlapping span (group sc)": 3,
        "span of group incorrect_spans (not chosen)": 1,
    }


def test_unknown_group_name_is_refused(tmp_path: Path) -> None:
    path = foreign(tmp_path, [group_doc()])
    with pytest.raises(InputError) as info:
        list(read_docbin(path, ReadOptions(span_groups=("ents", "spans"))))
    assert info.value.reason == (
        "no span group 'spans' in this file (it has: ents, sc, incorrect_spans)"
    )


def test_whitespace_span_is_refused_or_dropped(tmp_path: Path) -> None:
    doc = make_doc(["Hi", "\n", "Bob"], [False, False, False])
    doc.spans["sc"] = [spans_of(doc, 1, 2, "X"), spans_of(doc, 2, 3, "PERSON")]
    path = foreign(tmp_path, [doc])
    with pytest.raises(InputError, match=r"document 1: doc.spans\['sc'\] has an empty or "):
        list(read_docbin(path))
    options = ReadOptions(drop_unsupported=True)
    (item,) = read_docbin(path, options)
    assert keys(item) == [(3, 6, "PERSON")]
    assert options.dropped == {"empty or whitespace span (group sc)": 1}


def test_a_group_named_twice_is_read_once(tmp_path: Path) -> None:
    options = ReadOptions(span_groups=("ents", "ents"))
    (item,) = read_docbin(foreign(tmp_path, [group_doc()]), options)
    assert keys(item) == [(0, 13, "PERSON"), (37, 42, "GPE")]
    assert not options.collapsed
