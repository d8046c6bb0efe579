"""Fuzz every importer through `import_file` on a real database: success or a located InputError.

Inputs: random bytes, truncated and byte-mutated valid files of each format (written by
that format's own writer from a real annotated record), huge lines, deeply nested JSON,
NUL bytes, lone surrogates, other encodings. An error must leave the database as it was.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import signal
import sqlite3
import tempfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsmark.domain.document import DocumentInput
from newsmark.domain.errors import InputError
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Span
from newsmark.formats import all_formats, get_format
from newsmark.formats.brat import write_brat
from newsmark.formats.newsmark_jsonl import export_record
from newsmark.nlp.tokens import tokenize
from newsmark.services.importing import import_file
from newsmark.storage import Database, Repository

QUICK_EXAMPLES = 1000
CASE_BUDGET_S = 10  # one input may take this long; more is a hang
TEXT = 'Jonas Weber met Kenji Sato in Berlin. "Talks go on," Weber said in Köln 🙂.'
READERS = sorted(f.name for f in all_formats() if f.read is not None)


def annotated_record(tmp: Path) -> dict[str, Any]:
    """A real record: a stored document with spans, a quote with speaker and cue, accepted."""
    with Database.open(tmp / "sample.sqlite3") as db:
        repo = Repository(db)
        [(doc_id, _)] = repo.add_documents([(DocumentInput(text=TEXT), tokenize(TEXT))], "import")
        aset = repo.annotation_set(doc_id, "ann1")
        assert aset is not None and aset.id is not None
        for word, label in (("Jonas Weber", "PERSON"), ("Kenji Sato", "PERSON"), ("Berlin", "GPE")):
            start = TEXT.index(word)
            repo.add_span(aset.id, Span(start, start + len(word), label), "ann1")
        q0, q1 = TEXT.index('"Talks'), TEXT.index("Weber said") - 1
        speaker = TEXT.index("Weber said")
        repo.add_quote(
            aset.id,
            Quote(
                parts=((q0, q1),),
                kind=QuoteKind.DIRECT,
                speaker=(speaker, speaker + 5),
                speaker_label="PERSON",
                cue=(speaker + 6, speaker + 10),
            ),
            "ann1",
        )
        repo.set_status(aset.id, "accepted", "ann1")
        [(doc, stored, entities)] = list(repo.iter_export(status="any"))
        return export_record(doc, stored, entities)


def valid_samples(tmp: Path) -> dict[str, list[dict[str, bytes]]]:
    """Per reader: files (suffix -> bytes) its own writer made, plus hand-made ones."""
    record = annotated_record(tmp)
    out: dict[str, list[dict[str, bytes]]] = {
        "txt": [{".txt": TEXT.encode()}, {".txt": ("\ufeffdate 2023-12-10\r\n" + TEXT).encode()}],
        "md": [{".md": f"---\ntitle: Call\nauthor: A. B.\n---\n# Call\n\n{TEXT}\n".encode()}],
        "html": [
            {
                ".html": (
                    "<!doctype html><html><head><title>Call</title>"
                    '<meta name="author" content="A. B."></head><body><article>'
                    f"<h1>Call</h1><p>{TEXT}</p><p>{TEXT}</p></article></body></html>"
                ).encode()
            }
        ],
    }
    for name in READERS:
        fmt = get_format(name)
        if name == "spacy":
            from docbin_support import write_docbin  # the spacy format's own bytes

            write_docbin([record], tmp / "sample.spacy")
            out[name] = [{".spacy": (tmp / "sample.spacy").read_bytes()}]
        elif name == "brat":
            dest = tmp / "brat-out"
            write_brat([record], dest)
            [ann] = sorted(dest.glob("*.ann"))
            out[name] = [{".ann": ann.read_bytes(), ".txt": ann.with_suffix(".txt").read_bytes()}]
        elif fmt.write is not None:
            stream = io.StringIO()
            fmt.write([record, {**record, "text": record["text"] + " More."}], stream)
            out[name] = [{fmt.extensions[0]: stream.getvalue().encode()}]
    out["conll"].append({".iob": IOB_SAMPLE.encode()})
    out["brat"].append({".ann": attribution_ann().encode(), ".txt": TEXT.encode()})
    out["spacy"].append({".spacy": span_group_docbin()})
    for name in READERS:
        assert out.get(name), f"no valid sample for reader {name!r}: add one"
    return out


# Layouts no writer of Newsmark produces: spaCy's sentence-per-line .iob, a PolNeAR-style
# brat attribution (Source, Cue, Content), a DocBin with a span group.
IOB_SAMPLE = (
    "Jonas|NNP|B-PERSON Weber|NNP|I-PERSON met|VBD|O Kenji|NNP|B-PERSON Sato|NNP|I-PERSON "
    'in|IN|O Berlin|NNP|B-GPE .|.|O\n"|``|O Talks|NNS|O go|VBP|O on|RP|O ,|,|O "|""|O '
    "Weber|NNP|B-PERSON said|VBD|O in|IN|O Köln|NNP|B-GPE 🙂|NFP|O .|.|O\n"
)


def attribution_ann() -> str:
    def at(word: str, start: int = 0) -> str:
        begin = TEXT.index(word, start)
        return f"{begin} {begin + len(word)}\t{word}"

    return (
        f"T1\tSource {at('Weber', 40)}\nT2\tCue {at('said')}\n"
        f"T3\tContent {at('Talks go on')}\nT4\tAttribution {at('said')}\n"
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
        f"T5\tPERSON {at('Jonas Weber')}\nT6\tGPE {at('Berlin')}\n"
    )


def span_group_docbin() -> bytes:
    from spacy.tokens import DocBin

    from newsmark.nlp.model import blank_english

    doc = blank_english().make_doc(TEXT)
    doc.spans["sc"] = [doc.char_span(0, 11, "PERSON"), doc.char_span(30, 36, "GPE")]
    return bytes(DocBin(docs=[doc], store_user_data=True).to_bytes())


def specials(suffix: str) -> list[bytes]:
    """Inputs known to break parsers: sizes, nesting, NULs, surrogates, encodings."""
    huge = "word " * 60_000
    return [
        b"",
        b"\n\n   \n",
        b"\x00" * 64,
        TEXT.encode() + b"\x00middle\x00",
        ("x" * 300_000).encode(),
        json.dumps({"text": huge}).encode(),
        b"[" * 100_000,
        b'{"text": ' + b'{"a": ' * 20_000 + b"1" + b"}" * 20_000 + b"}",
        b'{"text": "bad \\ud800 surrogate", "spans": []}\n',
        b'{"text": "\\udfff\\ud800", "meta": {"title": "\\ud83d"}}\n',
        b'[{"data": {"text": "\\ud800"}}]',
        TEXT.encode("utf-16"),
        TEXT.encode("utf-16-le"),
        TEXT.encode("latin-1", errors="replace"),
        "Ärger über Straße – “Zitat”".encode("cp1252"),
        b"\xff\xfe\x00\x00" + TEXT.encode("utf-32-le"),
        b"\xed\xa0\x80 CESU surrogate bytes",
        b"\xc3\x28 invalid continuation",
        b'{"text": 1}\n{"text": null}\n{"text": ["a"]}\n',
        b'{"text": "abc", "spans": [{"start": -1, "end": 99999999999999999999, "label": 5}]}',
        b'{"text": "abc", "spans": {"start": 0}}\n',
        b'{"text": "abc", "entities": [[0, 1, "X"], [2]], "relations": [{}]}\n',
        b'[{"data": {"text": "abc"}, "annotations": [{"result": [{"value": {}}]}]}]',
        b"T1\tPERSON 0 5\tJonas\nT2\tPERSON 99 2\tx\nE1\tQuote:T9\nA1\tKind E1 direct\n",
        b"T1\tPER;SON 0 5\tx\nR1\tSpeaker Arg1:T1 Arg2:T1\n#1\tAnnotatorNotes T1\tn\n",
        b"-DOCSTART- -X- O O\n\nJonas B-PERSON\nWeber I-PERSON\nX I-\n\n",
        b"Jonas\tB-PERSON\tEXTRA\n" * 1000,
        b"---\n" + b"a: [" * 10_000 + b"\n---\nbody",
        b"---\ntitle: !!python/object/apply:os.system ['true']\n---\nbody",
        b"<html>" + b"<div>" * 50_000 + b"text" + b"</div>" * 50_000 + b"</html>",
        b"<!doctype html><script>alert(1)</script><p>" + TEXT.encode() + b"</p>",
        ("\r\n" * 5000 + TEXT).encode(),
        b"\n".join([b'{"text": "line"}'] * 3 + [b"{"]) + suffix.encode(),
    ]


@st.composite
def mutated(draw: st.DrawFn, sample: bytes) -> bytes:
    data = bytearray(sample)
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(("flip", "insert", "delete", "dup")))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            data[pos:pos] = draw(
                st.sampled_from((b'"', b"{", b"}", b"[", b"\n", b"\t", b"\x00", b"\\u", b"\xff"))
            )
        elif op == "delete" and data:
            del data[pos : pos + draw(st.integers(1, 16))]
        elif op == "dup" and data:
            data[pos:pos] = data[pos : pos + draw(st.integers(1, 64))]
    return bytes(data)


def case_strategy(samples: list[dict[str, bytes]]) -> st.SearchStrategy[dict[str, bytes]]:
    """A file set: one suffix -> bytes entry, or .ann and .txt for brat."""

    def vary(files: dict[str, bytes]) -> st.SearchStrategy[dict[str, bytes]]:
        key = st.sampled_from(sorted(files))
        main = next(iter(files))

        def replaced(k: str, content: st.SearchStrategy[bytes]) -> Any:
            return content.map(lambda b: {**files, k: b})

        deeper = []
        if main == ".spacy":
            # A DocBin is zlib-compressed msgpack: mutate inside the compression too, or
            # every case would stop at the decompressor.
            inner = zlib.decompress(files[main])
            deeper.append(replaced(main, mutated(inner).map(zlib.compress)))
        return st.one_of(
            *deeper,
            key.flatmap(lambda k: replaced(k, mutated(files[k]))),
            key.flatmap(
                lambda k: replaced(k, st.integers(0, len(files[k])).map(lambda n: files[k][:n]))
            ),
            key.flatmap(lambda k: replaced(k, st.binary(max_size=2048))),
            key.flatmap(lambda k: replaced(k, st.text(max_size=400).map(_encode_any))),
            replaced(main, st.sampled_from(specials(main))),
        )

    return st.sampled_from(samples).flatmap(vary)


def _encode_any(text: str) -> bytes:
    # Hypothesis text can hold lone surrogates: they reach the reader as invalid UTF-8.
    return text.encode("utf-8", errors="surrogatepass")


def digest(db_path: Path) -> tuple[int, ...]:
    """Cheap content fingerprint: row counts and max ids of every table we write."""
    con = sqlite3.connect(db_path)
    try:
        out: list[int] = []
        for table in ("documents", "annotation_sets", "spans", "quotes", "entities", "edit_log"):
            n, top = con.execute(f"SELECT count(*), coalesce(max(id), 0) FROM {table}").fetchone()
            out += [n, top]
        return tuple(out)
    finally:
        con.close()


def _too_slow(_signum: int, _frame: FrameType | None) -> None:
    raise TimeoutError(f"one input took over {3 * CASE_BUDGET_S} s: a hang")


@pytest.fixture(scope="module")
def samples() -> Iterator[dict[str, list[dict[str, bytes]]]]:
    with tempfile.TemporaryDirectory() as tmp:
        yield valid_samples(Path(tmp))


@pytest.fixture
def fast_dir() -> Iterator[Path]:
    # A tmpfs keeps each import's fsync cheap; it is still a real SQLite file.
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as tmp:
        yield Path(tmp)


@pytest.mark.parametrize("name", READERS)
def test_importer_survives_fuzzing(
    name: str, samples: dict[str, list[dict[str, bytes]]], fast_dir: Path, slow_profile: int
) -> None:
    db_path = fast_dir / "newsmark.sqlite3"
    db = Database.open(db_path)
    repo = Repository(db)
    counter = itertools.count()
    outcomes = {"ok": 0, "refused": 0}
    previous = signal.signal(signal.SIGALRM, _too_slow)

    @settings(
        max_examples=int(os.environ.get("NEWSMARK_FUZZ_EXAMPLES", QUICK_EXAMPLES)) * slow_profile,
        deadline=None,
        database=None,
        # CI (quick) replays the same cases, so a red build is never a coin toss; --slow
        # explores new ones each run (how the brat and DocBin crashes were found).
        derandomize=slow_profile == 1,
        suppress_health_check=list(HealthCheck),
    )
    @given(files=case_strategy(samples[name]))
    def run(files: dict[str, bytes]) -> None:
        stem = fast_dir / f"case{next(counter)}"
        for suffix, content in files.items():
            stem.with_suffix(suffix).write_bytes(content)
        path = stem.with_suffix(next(iter(files)))
        before = digest(db_path)
        started = time.monotonic()
        signal.alarm(3 * CASE_BUDGET_S)
        try:
            import_file(repo, path, fmt=name, annotator="fuzz")
            outcomes["ok"] += 1
        except InputError as exc:
            outcomes["refused"] += 1
            assert exc.path is not None and Path(exc.path).name.startswith(stem.name), exc
            assert exc.line is None or exc.line >= 1, exc
            assert digest(db_path) == before, f"refused input changed the database: {exc}"
        finally:
            signal.alarm(0)
            for suffix in files:
                stem.with_suffix(suffix).unlink()
        took = time.monotonic() - started
        assert took < CASE_BUDGET_S, f"one input took {took:.1f} s"

    try:
        run()
    finally:
        signal.signal(signal.SIGALRM, previous)
        db.close()
    assert (
        sum(outcomes.values())
        >= int(os.environ.get("NEWSMARK_FUZZ_EXAMPLES", QUICK_EXAMPLES)) * slow_profile
    )
    assert outcomes["refused"], "nothing was refused: the fuzzer is not reaching the parser"
    print(f"\n{name}: {outcomes['ok']} imported, {outcomes['refused']} refused")


# Regressions the fuzzer found (each crashed or hung before its fix).


def test_deeply_nested_label_studio_task_is_refused(tmp_path: Path) -> None:
    """labelstudio.py raised RecursionError from json's decoder instead of an InputError."""
    path = tmp_path / "tasks.json"
    path.write_bytes(b"[" * 100_000)
    with Database.open(tmp_path / "db.sqlite3") as db, pytest.raises(InputError) as info:
        import_file(Repository(db), path, fmt="labelstudio", annotator="fuzz")
    assert info.value.path == str(path) and "nested too deeply" in info.value.reason


@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_long_punctuation_run_is_refused_not_tokenized_for_minutes(
    tmp_path: Path, fmt: str
) -> None:
    """spaCy's tokenizer needed over 30 s for 100,000 '[' (quadratic affix stripping)."""
    path = tmp_path / f"blob.{fmt}"
    path.write_bytes(b"Intro line.\n" + b"[" * 100_000)
    started = time.monotonic()
    with Database.open(tmp_path / "db.sqlite3") as db, pytest.raises(InputError) as info:
        import_file(Repository(db), path, fmt=fmt, annotator="fuzz")
    assert time.monotonic() - started < CASE_BUDGET_S
    assert info.value.path == str(path) and info.value.line == 2
    assert "without a space" in info.value.reason


def test_docbin_with_a_label_missing_from_its_strings_is_refused(tmp_path: Path) -> None:
    """nlp/docbin.py let spaCy's ValueError E084 escape for an entity label not in strings."""
    import srsly

    from docbin_support import write_docbin

    good = tmp_path / "good.spacy"
    write_docbin([annotated_record(tmp_path)], good)
    msg = srsly.msgpack_loads(zlib.decompress(good.read_bytes()))
    columns = list(msg["attrs"])
    tokens = bytearray(msg["tokens"])
    # ENT_TYPE (attr 78) of the first token: an id that is neither a symbol nor a string.
    at = 8 * columns.index(78)
    tokens[at : at + 8] = (640).to_bytes(8, "little")
    msg["tokens"] = bytes(tokens)
    bad = tmp_path / "bad.spacy"
    bad.write_bytes(zlib.compress(srsly.msgpack_dumps(msg)))
    with Database.open(tmp_path / "db.sqlite3") as db, pytest.raises(InputError) as info:
        import_file(Repository(db), bad, fmt="spacy", annotator="fuzz")
    assert info.value.path == str(bad) and "not a valid spaCy Doc" in info.value.reason


def test_brat_event_argument_with_a_nul_is_refused(tmp_path: Path) -> None:
    """brat.py raised ValueError (unpacking) for an event argument holding a second colon."""
    (tmp_path / "doc.txt").write_text(TEXT, encoding="utf-8")
    ann = tmp_path / "doc.ann"
    ann.write_bytes(b"T1\tPERSON 0 11\tJonas Weber\nE1\tQuote:T1 Speaker:T1\x00Cue:T1\n")
    with Database.open(tmp_path / "db.sqlite3") as db, pytest.raises(InputError) as info:
        import_file(Repository(db), ann, fmt="brat", annotator="fuzz")
    assert (info.value.path, info.value.line) == (str(ann), 2)
