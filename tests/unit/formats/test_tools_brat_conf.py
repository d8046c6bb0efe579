"""brat export's annotation.conf under brat's own rules (brat_rules.py follows brat's code)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from brat_rules import Config, ConfigError, parse_ann, verify, verify_folder
from tools_support import make_record

from newsmark.domain.errors import InputError
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.formats.brat import ann_lines, annotation_conf, write_brat

TEXT = "Prime Minister Benjamin Netanyahu said that Putin called him from Moscow."
NETANYAHU = (15, 33)
SPEAKER = (0, 33)  # a speaker that contains the PERSON entity


def test_annotation_conf_as_written() -> None:
    assert annotation_conf({"PERSON", "GPE"}) == (
        "[entities]\nCue\nGPE\nPERSON\nSpeaker\n\n"
        "[relations]\n"
        "# Speakers and cues may overlap entities and each other in any way; two entities\n"
        "# never overlap (entities behave as NER in Newsmark).\n"
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:Speaker|Cue, <OVL-TYPE>:contain|equal|cross\n"
        "<OVERLAP>\tArg1:Speaker|Cue, Arg2:<ENTITY>, <OVL-TYPE>:contain|equal|cross\n\n"
        "[events]\nQuote\tSpeaker?:GPE|PERSON|Speaker, Cue?:Cue\n\n"
        "[attributes]\nKind\tArg:Quote, Value:direct|indirect|mixed\n"
    )


def test_the_overlap_rules_mean_what_brat_reads_in_them() -> None:
    conf = Config(annotation_conf({"PERSON", "ORG"}))
    # projectconfig.py: Arg1 is the inner span, Arg2 the outer one.
    assert conf.span_can_contain("PERSON", "Speaker") and conf.span_can_contain("Speaker", "ORG")
    assert conf.span_can_contain("Cue", "Speaker") and conf.spans_can_cross("Speaker", "PERSON")
    assert conf.spans_can_be_equal("Cue", "PERSON")
    # Entities stay NER-like: brat still reports two overlapping entities.
    assert not conf.span_can_contain("PERSON", "ORG")
    assert not conf.spans_can_cross("PERSON", "ORG")
    assert not conf.spans_can_be_equal("PERSON", "PERSON")
    # Quote is an event type: brat's overlap check leaves its triggers alone.
    assert not conf.is_physical_entity_type("Quote")


def _record() -> dict:
    quote = Quote(
        parts=((39, 72),), kind=QuoteKind.INDIRECT, speaker=SPEAKER, cue=(34, 38),
        entity="Benjamin Netanyahu",
    )  # fmt: skip
    # Two quotes with the same words and different speakers share one trigger.
    other = Quote(parts=((39, 72),), kind=QuoteKind.INDIRECT, speaker=NETANYAHU, cue=(34, 38))
    spans = [(*NETANYAHU, "PERSON"), (44, 49, "PERSON"), (66, 72, "GPE")]
    return make_record(TEXT, spans, [quote, other])


def test_brats_checks_pass_on_a_speaker_that_contains_an_entity(tmp_path: Path) -> None:
    write_brat([_record()], tmp_path / "out", force=True)
    assert verify_folder(tmp_path / "out") == []


def test_without_the_overlap_rules_brat_reports_the_speaker(tmp_path: Path) -> None:
    lines, types = ann_lines(_record())
    ann = parse_ann("\n".join(lines), TEXT)
    before = annotation_conf(types).split("[relations]")[0] + "[relations]\n\n[events]"
    before += annotation_conf(types).split("[events]")[1]
    issues = verify(ann, Config(before))
    assert sorted(d for _, _, d in issues) == [
        "Error: PERSON cannot be contained in Speaker (T5)",
        "Error: Speaker cannot contain PERSON (T1)",
    ]
    # The same file under the exported configuration: nothing.
    assert verify(ann, Config(annotation_conf(types))) == []


def test_shared_trigger_and_each_types_declaration(tmp_path: Path) -> None:
    lines, types = ann_lines(_record())
    assert sum(1 for line in lines if line.split("\t")[1].startswith("Quote ")) == 1
    events = [line for line in lines if line.startswith("E")]
    assert len(events) == 2 and {e.split("\t")[1].split(" ")[0] for e in events} == {"Quote:T4"}
    conf = Config(annotation_conf(types))
    ann = parse_ann("\n".join(lines), TEXT)
    used = {t.type for t in ann.textbounds}
    assert used <= set(conf.entities) | set(conf.events)
    assert {e.type for e in ann.events} <= set(conf.events)
    assert {a.type for a in ann.attributes} == {"Kind"}
    kinds = conf.attributes[0].arguments["Value"]
    assert {a.value for a in ann.attributes} <= set(kinds)


def test_the_port_reports_what_brat_would_on_broken_files() -> None:
    conf = Config(annotation_conf({"PERSON", "ORG"}))
    text = "Angela Merkel spoke."
    body = "\n".join(
        [
            "T1\tPERSON 0 13\tAngela Merkel",
            "T2\tORG 7 13\tMerkel",
            "T3\tQuote 14 20\tspoke.",
            "T4\tQuote 14 20\tspoke.",
            "T5\tLOC 0 6\tAngela",
            "E1\tQuote:T3 Speaker:T1 Speaker2:T2",
            "E2\tQuote:T4 Theme:T1",
            "A1\tKind T1 direct",
        ]
    )
    found = {(i, d) for i, _, d in verify(parse_ann(body, text), conf)}
    assert found >= {
        ("T5", "Error: LOC is not a known textbound type (check configuration?)"),
        ("T2", "Error: ORG cannot be contained in PERSON (T1)"),
        ("T1", "Error: PERSON cannot contain ORG (T2)"),
        ("E1", "Error: Quote cannot take multiple Speaker arguments"),
        ("E2", "Error: Quote cannot take a Theme argument"),
        ("T1", "Error: PERSON cannot take a Kind attribute"),
    }
    assert any(d.startswith("Warning: triggers T3,T4 have identical span") for _, d in found)


@pytest.mark.parametrize(
    ("conf", "reason"),
    [
        ("[entities]\nPERSON\n", "missing section [relations]"),
        ("[entities]\n[relations]\n[events]\n[attributes]\n[colours]\n", "unexpected section"),
        ("[entities]\n[relations]\nX\tArg1:<THING>\n[events]\n[attributes]\n", "undefined macro"),
        ("[entities]\n[relations]\n[events]\nQuote\tSpeaker\n[attributes]\n", "parse argument"),
    ],
)
def test_the_config_parser_refuses_what_brat_refuses_or_warns_about(conf: str, reason: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(reason)):
        Config(conf)


def test_a_label_brat_cannot_declare_is_refused() -> None:
    # brat turns "." into "_" in annotation.conf, so the .ann type would be undeclared.
    record = make_record("Bob met Ann.", [(0, 3, "PER.X")])
    with pytest.raises(InputError, match=r"'PER.X' cannot be a brat type name"):
        ann_lines(record)
