"""Document › Re-run model on the seed article with the real model: links kept, one undo step."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

from gui_support import MODEL_TIMEOUT_MS

from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.spans import Origin
from newsmark.domain.status import Status
from newsmark.ui.main_window import MainWindow


def predicted(qtbot, window: MainWindow, worker) -> AnnotationSet:
    with qtbot.waitSignal(window.session.annotations_changed, timeout=MODEL_TIMEOUT_MS):
        window.load()
        worker.start()
    aset = window.session.annotations
    assert aset is not None and aset.status is Status.PREANNOTATED
    return aset


def rerun(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.session.annotations_changed, timeout=MODEL_TIMEOUT_MS):
        window.window_actions["rerun_model"].trigger()


def state(aset: AnnotationSet) -> tuple[object, ...]:
    """Everything an undo must give back: status, spans and quotes with their ids."""
    return (
        aset.status,
        sorted(aset.spans, key=lambda s: (s.start, s.end)),
        sorted(aset.quotes, key=lambda q: (q.start, q.end, q.id or 0)),
    )


def links(aset: AnnotationSet) -> tuple[list[object], list[object]]:
    """Each quote's entity and each linked mention's, by position (ids change on a re-run)."""
    quotes = sorted((q.parts, q.speaker, q.entity_id) for q in aset.quotes)
    spans = sorted((s.start, s.end, s.label, s.entity_id) for s in aset.spans if s.entity_id)
    return quotes, spans


def test_rerun_keeps_the_speakers_corpus_entities(qtbot, window, workspace, worker):
    first = predicted(qtbot, window, worker)
    quotes, spans = links(first)
    # The seed's speakers: Netanyahu, the Kremlin and Putin, linked by the first prediction.
    assert sum(1 for *_, entity in quotes if entity is not None) >= 3
    assert len(spans) >= 3

    rerun(qtbot, window)
    s = window.session
    assert s.annotations is not None
    assert links(s.annotations) == (quotes, spans)
    stored = workspace.repo.get_set(s.annotations.id)
    assert links(stored) == (quotes, spans)
    assert stored.status is Status.PREANNOTATED  # a model run is not a human edit


def test_undo_of_a_rerun_restores_exactly_the_state_before(qtbot, window, workspace, worker):
    first = predicted(qtbot, window, worker)
    s, repo = window.session, workspace.repo
    # What an older model left: every other span, no speaker links, one quote less.
    older = [replace(sp, entity_id=None) for sp in first.spans[::2]]
    assert repo.save_predictions(first.document_id, s.annotator, older, first.quotes[1:])
    s.reload_annotations()
    before = state(s.annotations)
    stack = s.undo_group.activeStack()
    assert stack.count() == 0  # a model run before this session is where the history starts

    rerun(qtbot, window)
    assert [stack.text(i) for i in range(stack.count())] == ["Re-run model"]
    after = state(s.annotations)
    assert after != before and links(s.annotations) == links(first)
    assert state(repo.get_set(first.id)) == after

    errors: list[str] = []
    s.failed.connect(errors.append)
    window.window_actions["undo"].trigger()
    assert errors == []
    assert state(s.annotations) == before
    assert state(repo.get_set(first.id)) == before
    assert sorted(window.article.spans, key=lambda x: (x.start, x.end)) == before[1]
    assert window.quotes.model.rowCount() == len(before[2])

    window.window_actions["redo"].trigger()
    assert state(repo.get_set(first.id)) == after
    assert state(s.annotations) == after


def test_rerun_after_a_human_edit_adds_new_spans_as_one_undo_step(qtbot, window, worker):
    first = predicted(qtbot, window, worker)
    s = window.session
    linked = next(sp for sp in first.spans if sp.entity_id is not None)
    gone = next(sp for sp in first.spans if sp.entity_id is None and sp.label == "GPE")
    assert s.delete_span(gone) and s.delete_span(linked)
    edited = state(s.annotations)
    assert edited[0] is Status.IN_PROGRESS

    window.preferences.ask_add_new_only = lambda: True
    rerun(qtbot, window)
    back = {(sp.start, sp.end, sp.label): sp for sp in s.annotations.spans}
    assert back[(gone.start, gone.end, gone.label)].origin is Origin.MODEL
    # The speaker mention comes back linked to its entity, as the first prediction had it.
    assert back[(linked.start, linked.end, linked.label)].entity_id == linked.entity_id
    assert len(s.annotations.spans) == len(first.spans)
    assert state(s.annotations)[2] == edited[2]  # quotes are left as they are
    stack = s.undo_group.activeStack()
    assert [stack.text(i) for i in range(stack.count())][-1] == "Re-run model"

    stored = window.session.repo.get_set(s.annotations.id)
    assert (s.annotations.version, state(s.annotations)) == (stored.version, state(stored))

    window.window_actions["undo"].trigger()
    assert state(s.annotations) == edited


def test_the_window_imports_no_spacy_before_the_model_loads():
    # The session applies predictions through services.preannotation, which must not pull
    # spaCy in at import: the window paints first, the NLP thread imports spaCy later.
    code = "import sys, newsmark.ui.main_window; assert 'spacy' not in sys.modules, 'spaCy'"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
