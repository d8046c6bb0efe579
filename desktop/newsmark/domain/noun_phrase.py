"""A cheap noun-phrase rule over stored tokens: the speaker mention around a clicked word.

The window has tokens but no parse, so the rule reads the words alone. From the clicked
word (best: the head noun, the phrase's last common word) it takes to the LEFT every word
that is not a closed-class word (so modifiers, titles, names and a possessive "'s"), and
stops after a determiner ("the", "a", "their"...) or before punctuation, a line break or a
function word; to the RIGHT it takes capitalised words only (a name after a title:
"spokeswoman Melezia Figueroa"). A pronoun is a phrase of its own; a click on punctuation
or a function word finds none. Examples (seed sentences): "the Kremlin", "Opposition
leader Tomas Reid", "the department's chief engineer", "a spokesman", "she".
"""

from __future__ import annotations

from collections.abc import Sequence

from newsmark.domain.document import Token

Range = tuple[int, int]


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


PRONOUNS = _words("i me we us you he him she her it they them one someone somebody everyone who")
DETERMINERS = _words(
    "a an the this that these those his her its their our my your whose some any each "
    "every another no both"
)
POSSESSIVES = frozenset({"'s", "’s", "'", "’"})
# Closed-class and reporting words a phrase never reaches across.
FUNCTION_WORDS = _words(
    "and or but nor so yet if as than then when while because although though that which "
    "of in on at to for from by with without about after before during into over under "
    "between through against among since until per via "
    "is was are were be been being am has have had do does did will would shall should "
    "can could may might must not also only even just still too very "
    "said says say told tells tell added adds add asked asks according argued warned "
    "stated noted explained insisted claimed announced wrote replied reported confirmed "
    "denied suggested believes believed thinks thought urged called "
    "today yesterday tomorrow now however meanwhile later earlier there here"
)


def _word(text: str, token: Token) -> str:
    return text[token.start : token.end]


def _is_word(word: str) -> bool:
    return any(c.isalnum() for c in word) and not word.isspace()


def _joins_left(word: str) -> bool:
    """A word the phrase may take on its left (a modifier, a title, a name, "'s")."""
    low = word.casefold()
    if low in POSSESSIVES:
        return True
    return _is_word(word) and low not in FUNCTION_WORDS and low not in PRONOUNS


def noun_phrase_at(text: str, tokens: Sequence[Token], offset: int) -> Range | None:
    """The noun phrase (code points, end-exclusive) around the token at `offset`, or None
    when that token is whitespace, punctuation or a function word."""
    k = next((i for i, t in enumerate(tokens) if t.start <= offset < t.end), None)
    if k is None:
        return None
    word = _word(text, tokens[k])
    low = word.casefold()
    if low in PRONOUNS:
        return tokens[k].start, tokens[k].end
    if not _is_word(word) or low in FUNCTION_WORDS or low in DETERMINERS:
        return None
    first = last = k
    while first > 0:
        prev = _word(text, tokens[first - 1])
        if "\n" in text[tokens[first - 1].end : tokens[first].start]:
            break  # a phrase never crosses a line break
        if prev.casefold() in DETERMINERS:
            first -= 1
            break
        if not _joins_left(prev):
            break
        first -= 1
    while last + 1 < len(tokens):
        nxt = _word(text, tokens[last + 1])
        if "\n" in text[tokens[last].end : tokens[last + 1].start]:
            break
        if not (nxt[:1].isupper() and nxt.casefold() not in FUNCTION_WORDS):
            break
        last += 1
    return tokens[first].start, tokens[last].end
