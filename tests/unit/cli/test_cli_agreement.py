"""`newsmark agreement` end to end: annotators' sets written through the Repository into
a real SQLite database, the JSON figures checked against values worked out by hand."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from newsmark.cli import main
from newsmark.domain.document import DocumentInput, Token, complete_tokens
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Span
from newsmark.services.workspace import open_workspace
from shared_data import realfile

MEET = "Anna Berg met Carl Dahl in Oslo today ."
#       0    5    10  14   19   24 27   32    38
SAID = "Anna said the plan works . Carl said it fails ."
#       0    5    10  14   19    25 27  32   37 40    46
ALONE = "Nobody else read this one ."

P, G, R = "PERSON", "GPE", "ORG"
Q1 = dict(kind=QuoteKind.INDIRECT, speaker=(0, 4), cue=(5, 9))

# Per document, per annotator: (spans, quotes).
SETS: dict[str, dict[str, tuple[list[Span], list[Quote]]]] = {
    MEET: {
        "ann": ([Span(0, 9, P), Span(14, 23, P), Span(27, 31, G)], []),
        "bob": ([Span(0, 9, P), Span(19, 23, P), Span(27, 31, R)], []),
        "cid": ([Span(0, 9, P), Span(14, 23, P), Span(27, 31, G)], []),
    },
    SAID: {
        "ann": (
            [Span(0, 4, P), Span(27, 31, P)],
            [
                Quote(((10, 24),), **Q1),  # type: ignore[arg-type]
                Quote(((37, 45),), QuoteKind.INDIRECT, speaker=(27, 31)),
            ],
        ),
        "bob": (
            [Span(0, 4, P)],
            [
                Quote(((10, 26),), **Q1),  # type: ignore[arg-type]
                Quote(((37, 45),), QuoteKind.MIXED),
            ],
        ),
    },
    ALONE: {"ann": ([], [])},
}


def words(text: str) -> tuple[Token, ...]:
    return complete_tokens(
        text, [Token(m.start(), m.end(), False) for m in re.finditer(r"\S+", text)]
    )


def build(sets: dict[str, dict[str, tuple[list[Span], list[Quote]]]]) -> None:
    ws = open_workspace()
    try:
        repo = ws.repo
        for text, by_annotator in sets.items():
            [(doc_id, _)] = repo.add_documents([(DocumentInput(text=text), words(text))], "import")
            for name, (spans, quotes) in by_annotator.items():
                aset = repo.annotation_set(doc_id, name)
                assert aset is not None and aset.id is not None
                for span in spans:
                    repo.add_span(aset.id, span, name)
                for quote in quotes:
                    repo.add_quote(aset.id, quote, name)
                repo.set_status(aset.id, "accepted", name)
    finally:
        ws.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(["agreement", "--format", "json", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_two_annotators_figures_match_the_hand_computation(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build(SETS)
    report = run(capsys, "--annotators", "ann,bob", "--by", "annotator-pair")
    assert report["annotators"] == ["ann", "bob"]
    # MEET and SAID have both; ALONE has ann only.
    assert report["documents"] == {"compared": 2, "with_all": 2, "skipped": 1}
    overall = report["overall"]
    # Spans: ann 3 + 2, bob 3 + 1 = 9. Exact: Anna Berg, Anna = 2 matches. Overlap adds
    # Carl Dahl ~ Dahl (same label); Oslo GPE ~ Oslo ORG is no match (labels differ).
    assert overall["span_f1_exact"] == pytest.approx(2 * 2 / 9)
    assert overall["span_f1_overlap"] == pytest.approx(2 * 3 / 9)
    # Quotes: 2 + 2; "it fails" is the same in both (exact), "the plan works" vs "the
    # plan works ." overlaps. Of the 2 matched pairs the first agrees on speaker (Anna)
    # and kind; the second has a speaker in ann's set only and kinds indirect / mixed.
    assert overall["quote_f1_exact"] == pytest.approx(2 * 1 / 4)
    assert overall["quote_f1_overlap"] == pytest.approx(1.0)
    assert overall["quotes_matched"] == 2
    assert overall["speaker_agreement"] == pytest.approx(0.5)
    assert overall["kind_agreement"] == pytest.approx(0.5)
    # Tokens (IO labels) over MEET (9) and SAID (11):
    #   ann P P O P P O G O O | P O O O O O P O O O O
    #   bob P P O O P O R O O | P O O O O O O O O O O
    # 17 of 20 agree; ann: P 6, GPE 1, O 13; bob: P 4, ORG 1, O 15.
    p_o, p_e = 17 / 20, (6 * 4 + 13 * 15) / 20**2
    assert overall["cohen_kappa"] == pytest.approx((p_o - p_e) / (1 - p_e))
    # α: 40 pairable values (P 10, GPE 1, ORG 1, O 28), 3 disagreeing units, each one
    # pair of values both ways: D_o ∝ 6; α = 1 - (n-1)·6 / (n² - Σ n_c²).
    assert overall["token_alpha"] == pytest.approx(1 - 39 * 6 / (40**2 - (100 + 1 + 1 + 784)))
    assert overall["fleiss_kappa"] is None  # two annotators
    [pair] = report["rows"]
    assert pair["annotators"] == ["ann", "bob"] and pair["documents"] == 2
    assert pair["cohen_kappa"] == pytest.approx(overall["cohen_kappa"])
    assert pair["span_f1_exact"] == pytest.approx(2 * 2 / 9)


def test_quote_content_ualpha_of_one_document_by_hand(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build(SETS)
    report = run(capsys, "--annotators", "ann,bob", "--by", "document")
    said = next(
        r
        for r in report["rows"]
        if r["annotators"] == ["ann", "bob"] and r["title"].startswith("Anna said")
    )
    # Krippendorff (2004) on SAID (L = 47, m = 2), quote content only.
    # ann: units 10..24 (14), 37..45 (8); gaps 10, 13, 2.  bob: 10..26 (16), 37..45 (8);
    # gaps 10, 11, 2. Observed: the overlapping units differ by 0 at the start and 2 at
    # the end (0² + 2² = 4, both ways); no unit lies inside the other's gap.
    d_o = 2 * 4 / (2 * 1 * 47**2)

    # Expected: per unit of length l, (N-1)/3·(2l³-3l²+l) + l²·Σ(gap ≥ l)(gap - l + 1),
    # N = 4 units; ×2/L; over mL(mL-1) - Σ l(l-1).
    def term(length: int) -> float:
        fits = sum(g - length + 1 for g in (10, 13, 2, 10, 11, 2) if g >= length)
        return (4 - 1) / 3 * (2 * length**3 - 3 * length**2 + length) + length**2 * fits

    numerator = (term(14) + term(8) + term(16) + term(8)) * 2 / 47
    d_e = numerator / (94 * 93 - (14 * 13 + 8 * 7 + 16 * 15 + 8 * 7))
    assert said["quote_alpha_u"] == pytest.approx(1 - d_o / d_e)
    assert said["speaker_agreement"] == pytest.approx(0.5)


def test_three_annotators_fleiss_on_the_document_all_three_did(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build(SETS)
    report = run(capsys)  # everyone with an accepted set
    assert report["annotators"] == ["ann", "bob", "cid"]
    assert report["documents"] == {"compared": 2, "with_all": 1, "skipped": 1}
    # MEET's 9 tokens, 3 raters (ann, bob, cid): 7 unanimous, 2 split 2:1 (Carl: P O P;
    # Oslo: GPE ORG GPE). P_i = 1, or (2² + 1² - 3)/(3·2) = 1/3 for the split ones.
    p_bar = (7 + 2 / 3) / 9
    # Category totals over 27 ratings: PERSON 11, O 13, GPE 2, ORG 1.
    p_e = (11**2 + 13**2 + 2**2 + 1**2) / 27**2
    assert report["overall"]["fleiss_kappa"] == pytest.approx((p_bar - p_e) / (1 - p_e))
    labels = {r["label"]: r for r in report["rows"]}
    assert set(labels) == {"GPE", "ORG", "PERSON"}
    assert labels["PERSON"]["spans"] == 2 + 2 + 2 + 2 + 1  # MEET's three sets, SAID's two
    # PERSON exact matches per pair: ann-bob 1 + 1 (SAID), ann-cid 2, bob-cid 1; sizes
    # ann-bob 2+2 + 2+1, ann-cid 2+2, bob-cid 2+2.
    assert labels["PERSON"]["span_f1_exact"] == pytest.approx(2 * (2 + 2 + 1) / (7 + 4 + 4))


def test_the_table_prints_every_figure(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(SETS)
    assert main(["agreement", "--by", "label"]) == 0
    out = capsys.readouterr().out
    assert "Fleiss' κ" in out and "uα (quote content)" in out
    assert re.search(r"^PERSON\s+9\s", out, re.MULTILINE)
    assert "1 skipped (fewer than two annotators)" in out
    # A title from an imported file is shown with its control characters escaped.
    build({"\x1b[2JCleared the screen .": {"ann": ([], []), "bob": ([], [])}})
    assert main(["agreement", "--by", "document"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b[2JCleared" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--annotators", "ann,zed"], "unknown annotator 'zed' (annotators: ann, bob, cid)"),
        (["--annotators", "ann"], "agreement needs two or more annotators; 1 named"),
        (["--status", "skipped"], "agreement needs two or more annotators; 0 have skipped sets"),
    ],
)
def test_bad_selections_exit_2_with_one_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    build(SETS)
    assert main(["agreement", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("newsmark: error: " + message)
    assert captured.err.count("\n") == 1


def test_a_database_with_one_annotator_is_refused(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build({MEET: {"ann": SETS[MEET]["ann"]}})
    assert main(["agreement"]) == 2
    assert "needs two or more annotators; 1 has accepted sets (ann)" in capsys.readouterr().err


def test_a_real_label_studio_export_of_two_annotators(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ChristophAlt/labelstudio_converter's fixture: 2 German news tasks, each annotated
    by the same 2 people with the same DIRECT-QUOTE and SPEAKER regions (2 quotes in the
    first task, 1 in the second) and quotee relations: all quote figures are 1."""
    path = realfile("labelstudio", "de-news-quotes-relations-2annotators.json")
    code = main(["import", "--status", "accepted",
                 "--map-labels", "DIRECT-QUOTE=QUOTE,quotee=SPEAKER", str(path)])  # fmt: skip
    assert code == 0
    capsys.readouterr()
    report = run(capsys, "--by", "document")
    assert report["annotators"] == [
        "labelstudio:alan.akbik@gmail.com",
        "labelstudio:christoph.alt@posteo.de",
    ]
    assert report["documents"] == {"compared": 2, "with_all": 2, "skipped": 0}
    overall = report["overall"]
    assert overall["quotes_matched"] == 3
    for key in ("quote_f1_exact", "speaker_agreement", "kind_agreement", "quote_alpha_u"):
        assert overall[key] == 1.0, key
    # No entity spans: nothing to agree or disagree on, so no span figure.
    assert overall["span_f1_exact"] is None and overall["cohen_kappa"] is None
    assert [r["quotes_matched"] for r in report["rows"]] == [2, 1]


def test_agreement_runs_without_qt(data_dir: Path) -> None:
    from test_cli_without_qt import newsmark  # PySide6 imports blocked in a subprocess

    build(SETS)
    result = newsmark("agreement", "--format", "json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["annotators"] == ["ann", "bob", "cid"]
