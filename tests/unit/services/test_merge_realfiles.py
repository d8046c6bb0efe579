"""`newsmark merge` on real files: two annotators' data dirs built through the CLI from the
seeds and published annotation files (../shared/realfiles, read by path), pre-annotated
by the real model; the model's sets are the duplicate both files hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from merge_support import exported, fingerprint, open_repo

from newsmark.cli import main
from shared_data import realfile

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "seeds"


def _annotator(data: Path, *files: Path, options: tuple[str, ...] = ()) -> Path:
    assert main(["--data-dir", str(data), "import", *options, *map(str, files)]) == 0
    assert main(["--data-dir", str(data), "preannotate", "--all", "--annotator", "model"]) == 0
    return data / "newsmark.sqlite3"


def test_merge_of_real_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    quotes = realfile("labelstudio", "de-news-quotes-relations-2annotators.json")
    fashion = realfile("prodigy-accept-empty-reject-ignore", "prodigy-hf-fashion-train.jsonl")
    mapping = ("--map-labels", "DIRECT-QUOTE=QUOTE,quotee=SPEAKER")
    a = _annotator(tmp_path / "alice", SEEDS, quotes, options=mapping)
    b = _annotator(tmp_path / "bob", SEEDS, fashion, options=("--add-labels", "FASHION_BRAND"))
    before = fingerprint(a.parent), fingerprint(b.parent)
    target = tmp_path / "review" / "review.sqlite3"

    assert main(["merge", str(a), str(b), "--into", str(target)]) == 0

    assert (fingerprint(a.parent), fingerprint(b.parent)) == before
    with open_repo(a) as ra, open_repo(b) as rb, open_repo(target) as rt:
        docs = {ra.get_document(i).sha256 for i in ra.document_ids()} | {
            rb.get_document(i).sha256 for i in rb.document_ids()
        }
        assert len(docs) == 3 + 2 + 10  # the seeds once, the German news, the fashion posts
        assert len(rt.document_ids()) == len(docs)
    assert exported(target, tmp_path) == sorted(set(exported(a, tmp_path) + exported(b, tmp_path)))

    # Bob corrects the model's set of one seed in his file: the copies now differ.
    with open_repo(b) as repo:
        doc_id = next(d.id for d in repo.list_documents() if "harbour" in d.title)
        model_set = repo.annotation_set(doc_id, "model", create=False)
        assert model_set is not None and model_set.id is not None and model_set.spans
        repo.delete_span(model_set.id, model_set.spans[0].id or 0, "bob")
    again = tmp_path / "review2" / "review.sqlite3"
    capsys.readouterr()
    assert main(["merge", str(a), str(b), "--into", str(again)]) == 2
    [_head, line] = capsys.readouterr().err.splitlines()
    assert "annotator 'model' for 'Council backs harbour bridge repairs" in line
    assert not again.exists()
