"""Services over a real database: human edits survive re-runs, lock, restore, line numbers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsmark.domain.errors import InputError, StorageError
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.services import maintenance
from newsmark.services.importing import import_paths
from newsmark.services.preannotation import load_model, preannotate
from newsmark.services.workspace import open_workspace


def test_preannotate_never_overwrites_human_edits_without_force(
    data_dir: Path, seed_path: Path
) -> None:
    ws = open_workspace()
    try:
        (doc_id,) = import_paths(ws.repo, [seed_path]).added
        model = load_model()
        report = preannotate(ws.repo, model, None, annotator="ann")
        assert report.done == [doc_id] and report.spans > 10

        aset = ws.repo.annotation_set(doc_id, "ann")
        assert aset is not None and aset.status is Status.PREANNOTATED
        victim = aset.spans[0]
        ws.repo.update_span(
            aset.id, victim.id, "ann", label="ORG" if victim.label != "ORG" else "GPE"
        )
        text = ws.repo.get_document(doc_id).text
        start = text.index("telephone")
        ws.repo.add_span(aset.id, Span(start, start + 9, "EVENT", Origin.HUMAN), "ann")

        # --all skips it now (a human touched it); explicit ids without force keep it too.
        assert preannotate(ws.repo, model, None, annotator="ann").done == []
        again = preannotate(ws.repo, model, [doc_id], annotator="ann")
        assert again.kept_human == [doc_id]
        after = ws.repo.annotation_set(doc_id, "ann")
        assert after is not None
        assert any(s.key == (start, start + 9, "EVENT") for s in after.spans)
        assert after.status is Status.IN_PROGRESS

        forced = preannotate(ws.repo, model, [doc_id], annotator="ann", force=True)
        assert forced.done == [doc_id]
        redone = ws.repo.annotation_set(doc_id, "ann")
        assert redone is not None
        # Human spans stay; model spans are the model's again.
        assert any(
            s.key == (start, start + 9, "EVENT") and s.origin is Origin.HUMAN for s in redone.spans
        )
    finally:
        ws.close()


def test_unknown_label_in_jsonl_names_its_line(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "tasks.jsonl"
    bad.write_text(
        '{"text": "Olaf Scholz spoke."}\n\n'
        '{"text": "Emmanuel Macron spoke.", '
        '"spans": [{"start": 0, "end": 15, "label": "VILLAIN"}]}\n',
        encoding="utf-8",
    )
    ws = open_workspace()
    try:
        report = import_paths(ws.repo, [bad])
        assert report.added == []
        (err,) = report.refused
        assert isinstance(err, InputError)
        assert err.path == str(bad) and err.line == 3 and "VILLAIN" in err.reason
        assert ws.repo.document_ids() == []  # whole file or nothing
    finally:
        ws.close()


def test_second_window_opens_read_only_with_a_reason(data_dir: Path, seed_path: Path) -> None:
    first = open_workspace(take_lock=True)
    try:
        assert not first.readonly
        # The window takes the day's backup in its start-up task, not while opening.
        assert not first.db.backups()
        assert first.daily_backup() is None and first.db.backups()
        second = open_workspace(take_lock=True)
        try:
            assert second.readonly and second.readonly_reason
            assert "another Newsmark" in second.readonly_reason
        finally:
            second.close()
        # And restore refuses while the first one holds the database.
        copy = first.db.backup(data_dir / "copy.sqlite3")
        with pytest.raises(StorageError, match="in use"):
            maintenance.restore(None, copy)
    finally:
        first.close()
    assert "restored" in maintenance.restore(None, copy)


def test_model_speakers_are_linked_to_corpus_entities(data_dir: Path, seed_path: Path) -> None:
    from newsmark.formats.newsmark_jsonl import export_record

    ws = open_workspace()
    try:
        (doc_id,) = import_paths(ws.repo, [seed_path]).added
        model = load_model()
        preannotate(ws.repo, model, None, annotator="ann")
        preannotate(ws.repo, model, [doc_id], annotator="ann", force=True)  # no duplicates
        doc, aset, entities = next(iter(ws.repo.iter_export(status="any")))
        record = export_record(doc, aset, entities)
        text = record["text"]
        linked = [q for q in record["quotes"] if q["entity"]]
        assert linked, "no predicted quote has a speaker entity"
        by_id = {e["id"]: e for e in record["entities"]}
        for quote in linked:
            entity = by_id[quote["entity_id"]]
            assert entity["name"] == quote["entity"]
        names = [e.name for e in ws.repo.entities()]
        assert len(names) == len(set(names))
        assert "Benjamin Netanyahu" in names
        # The speaker mention, where it is an entity span of the same label, is linked too.
        kremlin = [s for s in record["spans"] if text[s["start"] : s["end"]] == "Kremlin"]
        assert any(s.get("entity_id") for s in kremlin)
    finally:
        ws.close()


def test_a_start_with_documents_loads_no_tokenizer(tmp_path: Path) -> None:
    # The window seeds on a worker thread at start-up: when there is nothing to seed,
    # loading spaCy there only takes the GIL from the window being built.
    from newsmark.services.workspace import open_workspace, seed_if_empty

    ws = open_workspace(tmp_path / "data")
    try:
        assert seed_if_empty(ws), "the first run imports the sample articles"
    finally:
        ws.close()
    code = (
        "import sys; from pathlib import Path; "
        "from newsmark.services.workspace import open_workspace, seed_if_empty; "
        f"ws = open_workspace(Path({str(tmp_path / 'data')!r})); "
        "print(seed_if_empty(ws), 'spacy' in sys.modules); ws.close()"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["[]", "False"]
