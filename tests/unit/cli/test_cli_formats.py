"""Every format through `newsmark export`/`import`: files, folders, alignment, label options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import run
from spacy.tokens import DocBin

from newsmark.nlp.model import blank_english

TEXT = "Olaf Scholz met Emmanuel Macron in Berlin. \u201cWe agree,\u201d Scholz said."


@pytest.fixture
def annotated(capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path) -> Path:
    """One accepted document with entities, a quote with speaker and cue, one misaligned span."""
    q0 = TEXT.index("\u201c")
    q1 = TEXT.index("\u201d") + 1
    speaker = TEXT.index("Scholz said")
    record = {
        "text": TEXT,
        "spans": [
            {"start": 0, "end": 11, "label": "PERSON"},
            {"start": 16, "end": 31, "label": "PERSON"},
            {"start": 35, "end": 40, "label": "GPE"},  # "Berli": not on a token boundary
            {"start": speaker, "end": speaker + 6, "label": "PERSON"},
        ],
        "quotes": [
            {
                "kind": "direct",
                "quote": {"start": q0, "end": q1},
                "speaker": {"start": speaker, "end": speaker + 6},
                "cue": {"start": speaker + 7, "end": speaker + 11},
            }
        ],
        "status": "accepted",
        "_annotator_id": "ann",
    }
    src = tmp_path / "gold.jsonl"
    src.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(src))
    assert code == 0, err
    return tmp_path


def test_strict_alignment_refuses_and_leaves_nothing(
    capsys: pytest.CaptureFixture[str], annotated: Path
) -> None:
    for fmt, name in (("prodigy", "out.jsonl"), ("conll", "out.conll"), ("spacy", "out.spacy")):
        out = annotated / name
        code, _, err = run(capsys, "export", "--format", fmt, "-o", str(out))
        assert code == 2, (fmt, err)
        assert "35..40" in err and "--alignment" in err
        assert not out.exists() and not list(annotated.glob(f".{name}*"))


def test_expand_alignment_exports_and_reports(
    capsys: pytest.CaptureFixture[str], annotated: Path
) -> None:
    out = annotated / "out.spacy"
    code, _, err = run(
        capsys, "export", "--format", "spacy", "--alignment", "expand", "-o", str(out)
    )
    assert code == 0, err
    assert "35..40" in err and "expanded" in err
    (doc,) = DocBin().from_disk(out).get_docs(blank_english().vocab)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Olaf Scholz", "PERSON"),
        ("Emmanuel Macron", "PERSON"),
        ("Berlin", "GPE"),
        ("Scholz", "PERSON"),
    ]
    (quote,) = doc.spans["quotes"]
    assert quote.label_ == "direct" and quote._.speaker.text == "Scholz"
    assert quote._.cue.text == "said"


def test_split_writes_train_and_dev(capsys: pytest.CaptureFixture[str], annotated: Path) -> None:
    folder = annotated / "corpus"
    code, _, err = run(
        capsys,
        "export",
        "--format",
        "spacy",
        "--alignment",
        "contract",
        "--split",
        "0.5",
        "-o",
        str(folder),
    )
    assert code == 0, err
    assert (folder / "train.spacy").exists() and (folder / "dev.spacy").exists()
    code, _, err = run(capsys, "export", "--format", "conll", "--split", "0.5", "-o", str(folder))
    assert code == 2 and "spacy" in err


def test_brat_folder_round_trip(capsys: pytest.CaptureFixture[str], annotated: Path) -> None:
    folder = annotated / "brat"
    code, _, err = run(capsys, "export", "--format", "brat", "-o", str(folder))
    assert code == 0, err
    (ann,) = folder.glob("*.ann")
    lines = ann.read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("E") and "Quote:" in line and "Speaker:" in line for line in lines)
    assert (folder / "annotation.conf").exists()
    # Importing the folder reads the .txt through its .ann once (not also as plain text).
    other = annotated / "other"
    code, out, err = run(capsys, "--data-dir", str(other), "import", str(folder))
    assert code == 0, err
    assert "imported 1 new document(s) from 1 file(s)" in out
    code, out, _ = run(capsys, "--data-dir", str(other), "export", "--status", "any")
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record["text"] == TEXT
    assert {(s["start"], s["end"], s["label"]) for s in record["spans"]} >= {(0, 11, "PERSON")}
    (quote,) = record["quotes"]
    assert TEXT[quote["speaker"]["start"] : quote["speaker"]["end"]] == "Scholz"


def test_conll_says_quotes_are_dropped(capsys: pytest.CaptureFixture[str], annotated: Path) -> None:
    out = annotated / "out.conll"
    code, _, err = run(
        capsys, "export", "--format", "conll", "--alignment", "expand", "-o", str(out)
    )
    assert code == 0, err
    assert "quote" in err.lower()
    assert out.read_text(encoding="utf-8").startswith("-DOCSTART-")


def test_stdout_refused_for_file_formats(
    capsys: pytest.CaptureFixture[str], annotated: Path
) -> None:
    code, _, err = run(capsys, "export", "--format", "brat")
    assert code == 2 and "-o" in err


def test_map_and_add_labels(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    src = tmp_path / "per.jsonl"
    src.write_text(
        json.dumps(
            {
                "text": "Angela Merkel met the Bundestag.",
                "spans": [
                    {"start": 0, "end": 13, "label": "PER"},
                    {"start": 22, "end": 31, "label": "PARLIAMENT"},
                ],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "import", str(src))
    assert code == 2 and "PER" in err
    code, _, err = run(capsys, "import", str(src), "--map-labels", "PER=PERSON")
    assert code == 2 and "PARLIAMENT" in err
    code, _, err = run(
        capsys, "import", str(src), "--map-labels", "PER=PERSON", "--add-labels", "PARLIAMENT"
    )
    assert code == 0, err
    code, out, _ = run(capsys, "export", "--status", "any")
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert [s["label"] for s in record["spans"]] == ["PERSON", "PARLIAMENT"]
    code, _, err = run(capsys, "import", str(src), "--map-labels", "nonsense")
    assert code == 2 and "OLD=NEW" in err


def test_doccano_exports_say_which_project_setting_they_need(
    capsys: pytest.CaptureFixture[str], annotated: Path
) -> None:
    out = annotated / "d.jsonl"
    code, _, err = run(capsys, "export", "--format", "doccano", "-o", str(out))
    assert code == 0, err
    assert 'newsmark: note: doccano needs a Sequence Labeling project with "Use relation' in err
    assert '"Allow overlapping spans" on' in err and "doccano-flat" in err
    flat = annotated / "flat.jsonl"
    code, _, err = run(capsys, "export", "--format", "doccano-flat", "-o", str(flat))
    assert code == 0, err
    assert '"Allow overlapping spans" may stay off' in err
    # The quote's speaker "Scholz" is an entity: it stays, as the speaker's span.
    assert "left out" not in err
    # Both read back as doccano files, with the quote's kind.
    other = annotated / "other"
    code, _, err = run(capsys, "--data-dir", str(other), "import", str(flat))
    assert code == 0, err
    code, text, _ = run(capsys, "--data-dir", str(other), "export", "--status", "any")
    (record,) = [json.loads(line) for line in text.splitlines()]
    assert [q["kind"] for q in record["quotes"]] == ["direct"]
