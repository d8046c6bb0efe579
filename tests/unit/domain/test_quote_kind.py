"""guess_kind and guess_quote_kind: straight, curly, nested, split, scare and
paragraph-spanning quotations; apostrophes are not quotation marks."""

from __future__ import annotations

from newsmark.domain.quotes import QuoteKind, guess_kind, guess_quote_kind

DIRECT, INDIRECT, MIXED = QuoteKind.DIRECT, QuoteKind.INDIRECT, QuoteKind.MIXED


def between(text: str, first: str, last: str) -> tuple[int, int]:
    """[start of `first`, end of `last`) in `text`."""
    start = text.index(first)
    return start, text.index(last, start) + len(last)


def test_straight_quotes_with_a_nested_single_or_curly_quote_are_direct() -> None:
    text = "\"The plan is 'a disaster' and “rigged,” he told me,\" she said.\n"
    assert guess_kind(text, *between(text, '"The', 'me,"')) is DIRECT
    assert guess_kind(text, *between(text, "The", "told me")) is DIRECT  # marks left out
    nested = "\"I'm going to read you the question: “Do you think so?” That's it.\"\n"
    assert guess_kind(nested, 0, len(nested) - 1) is DIRECT


def test_curly_quotes_nested_in_curly_quotes_are_direct() -> None:
    text = "“I’d rather live in what he calls “hell” than live there.” ― Adriana\n"
    assert guess_kind(text, *between(text, "I’d", "there.")) is DIRECT


def test_each_part_of_a_split_quote_is_direct() -> None:
    text = '"A," she said. "B."'
    a, b = between(text, '"A,"', '"A,"'), between(text, '"B."', '"B."')
    assert guess_kind(text, *a) is DIRECT
    assert guess_kind(text, *b) is DIRECT
    assert guess_kind(text, a[0] + 1, a[1] - 2) is DIRECT  # "A" alone
    assert guess_quote_kind(text, [a, b]) is DIRECT
    curly = "“We stand together,” Scholz said. “Europe will not wait.”"
    parts = [between(curly, "We", "together"), between(curly, "Europe", "wait.")]
    assert guess_quote_kind(curly, parts) is DIRECT
    # the whole sentence, "she said" included, is mixed
    assert guess_kind(text, 0, len(text)) is MIXED


def test_a_direct_part_and_an_indirect_part_make_a_mixed_quote() -> None:
    text = 'He said the plan failed. "It is over," he added.'
    parts = [between(text, "the plan", "failed"), between(text, "It is", "over")]
    assert guess_quote_kind(text, parts) is MIXED
    assert guess_quote_kind(text, parts[:1]) is INDIRECT


def test_scare_quotes_in_unquoted_prose_are_mixed() -> None:
    for text in (
        "He called the election “rigged” and left.",
        'He called the election "rigged" and left.',
        "He called the election 'rigged' and left.",
        'Sanders told MSNBC\'s "Morning Joe" that nobody would question her.',
    ):
        assert guess_kind(text, 0, len(text)) is MIXED, text


def test_unquoted_text_is_indirect_and_apostrophes_open_nothing() -> None:
    for text in (
        "He said the talks were useful.",
        "Clinton’s aides said the voters’ concerns were the ’90s all over again.",
        "Clinton's aides said the voters' concerns were the '90s all over again.",
        "They don't think it's over, he said of the '90s.",
    ):
        assert guess_kind(text, 0, len(text)) is INDIRECT, text
    assert guess_kind("abc", 1, 1) is INDIRECT  # empty


def test_a_quotation_runs_on_to_its_paragraphs_end_and_no_further() -> None:
    text = "She said: “We will win this.\n“And we will win the next one.”\nHe left early.\n"
    assert guess_kind(text, *between(text, "We will", "this.")) is DIRECT
    assert guess_kind(text, *between(text, "And we", "one.")) is DIRECT
    assert guess_kind(text, *between(text, "He left", "early.")) is INDIRECT


def test_other_conventions_of_quotation_marks() -> None:
    cases = [
        ("''The sooner he releases his returns, the better,'' Mr. Kaine said.", "The", "better"),
        ("Er sagte: „Wir schaffen das.“ Dann ging er.", "Wir", "das."),
        ("Il a dit : « Nous gagnerons. » Puis il est parti.", "Nous", "gagnerons."),
        ("”Fear. I am truly afraid.” ― Edwin G. Monroy", "Fear", "afraid."),
        ('“Immunity deals should not be a requirement," Chaffetz said.', "Immunity", "requirement"),
    ]
    for text, first, last in cases:
        assert guess_kind(text, *between(text, first, last)) is DIRECT, text
    after = "Er sagte: „Wir schaffen das.“ Dann ging er."
    assert guess_kind(after, *between(after, "Dann", "er.")) is INDIRECT


def test_a_split_quote_read_without_a_kind_gets_the_kind_of_its_parts() -> None:
    import json

    from newsmark.formats.jsonl import parse_line

    text = '"A," she said. "B."'
    parts = [list(between(text, '"A,"', '"A,"')), list(between(text, '"B."', '"B."'))]
    record = {"text": text, "quotes": [{"parts": parts}]}
    [quote] = parse_line(json.dumps(record)).quotes
    assert quote.kind is DIRECT  # the hull, "she said" included, would be mixed


def test_a_huge_one_line_text_is_read_around_the_range_only(monkeypatch) -> None:
    from newsmark.domain import quotation_marks

    windows: list[tuple[int, int]] = []
    scan = quotation_marks.paragraph_regions

    def recorded(text: str, start: int, end: int) -> list[tuple[int, int]]:
        windows.append((start, end))
        return scan(text, start, end)

    monkeypatch.setattr(quotation_marks, "paragraph_regions", recorded)
    filler = "He said the talks were useful and went on. " * (quotation_marks.SCAN_LIMIT // 10)
    text = filler + "“We will win,” he said. " + filler
    start = text.index("We will")
    assert guess_kind(text, start, start + len("We will win")) is DIRECT
    [(lo, hi)] = windows
    assert (
        lo <= start - quotation_marks.SCAN_LIMIT and start + 11 + quotation_marks.SCAN_LIMIT <= hi
    )
    assert hi - lo <= 4 * quotation_marks.SCAN_LIMIT < len(text)
    # A second quote nearby reuses that scan: a long paragraph's quotes share a few.
    later = text.index("we", start + 40) if "we" in text[start + 40 :] else start + 60
    guess_kind(text, later, later + 2)
    assert len(windows) == 1
