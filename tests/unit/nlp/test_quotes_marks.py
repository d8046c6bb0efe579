"""Pairing of quotation marks into segments, without a model."""

from __future__ import annotations

from newsmark.nlp.quote_marks import find_segments, paragraphs


def texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_segments(text)]


def test_curly_straight_and_guillemets() -> None:
    text = '“One,” she said. "Two," he said. «Three,» they said.'
    assert texts(text) == ["“One,”", '"Two,"', "«Three,»"]


def test_single_quotes_inside_do_not_split() -> None:
    assert texts("“He told me ‘no’ twice,” she said.") == ["“He told me ‘no’ twice,”"]


def test_typewriter_double_apostrophes() -> None:
    assert texts("''It is over,'' Mr. Smith said.") == ["''It is over,''"]


def test_multi_paragraph_quote_is_one_segment() -> None:
    text = (
        "“First part of a long statement by the minister on the budget.\n\n“Second part.” she said."
    )
    segs = find_segments(text)
    assert len(segs) == 1
    assert segs[0].paragraph == 0 and segs[0].last_paragraph == 1 and segs[0].closed


def test_unbalanced_mark_stops_at_the_paragraph_end() -> None:
    text = "He called it “a mess.\n\nThe vote was held.\n\nNothing else happened."
    segs = find_segments(text)
    assert len(segs) == 1
    assert not segs[0].closed
    assert text[segs[0].start : segs[0].end] == "“a mess."


def test_short_fragment_left_open_does_not_join_next_quote() -> None:
    text = "Critics called it “a mess.\n\n“We are pleased,” the mayor said."
    assert texts(text) == ["“a mess.", "“We are pleased,”"]


def test_mixed_styles_do_not_continue_across_paragraphs() -> None:
    text = (
        '"An opening mark that is never closed in this paragraph at all\n\n“New quote,” she said.'
    )
    assert texts(text)[-1] == "“New quote,”"


def test_closing_mark_typed_as_opening_and_vice_versa() -> None:
    assert texts("”Fortunately, it ended,” she said.") == ["”Fortunately, it ended,”"]
    assert texts("It was labeled “Mostly True.“ Then it changed.") == ["“Mostly True.“"]


def test_paragraphs_skip_blank_runs() -> None:
    text = "A.\n\n \n\nB.\nC."
    assert [text[s:e] for s, e in paragraphs(text)] == ["A.", "B.", "C."]


def test_british_single_marks_when_there_are_no_double_ones() -> None:
    text = "‘We will not back down,’ the players’ union said. Its chief added: ‘It’s over.’"
    assert texts(text) == ["‘We will not back down,’", "‘It’s over.’"]


def test_single_marks_inside_double_ones_are_not_quotes() -> None:
    assert texts("“Don’t say ‘never’,” she said.") == ["“Don’t say ‘never’,”"]
