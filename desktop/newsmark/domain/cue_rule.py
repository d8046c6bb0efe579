"""Cue and speaker of a quote read from the stored tokens: the word list, no parse.

`cue_at` is the cue around a clicked word: the token, or a known phrase around it
("according to", a reporting verb and its preposition: "called for", "pointed to").
`propose_attribution` is what Q fills in for a freshly marked quote: the nearest
reporting verb or phrase outside the content, in its paragraph and sentence, before
it ("X said that CONTENT", "according to X, CONTENT") or after it ("CONTENT, X said."
or "CONTENT," said X.), and the speaker = the noun phrase (noun_phrase.py's rule) just
before the cue, or just after an inverted "said X" / after "according to".
"""

from __future__ import annotations

from collections.abc import Sequence

from newsmark.domain.document import Token
from newsmark.domain.noun_phrase import PRONOUNS, noun_phrase_at
from newsmark.domain.quote_lexicon import Lexicon, load_lexicon

Range = tuple[int, int]


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Past forms the suffix rules below do not make.
IRREGULAR = {
    "said": "say",
    "told": "tell",
    "wrote": "write",
    "written": "write",
    "spoke": "speak",
    "spoken": "speak",
    "swore": "swear",
    "sworn": "swear",
    "sang": "sing",
    "read": "read",
    "found": "find",
    "thought": "think",
    "knew": "know",
    "felt": "feel",
    "sought": "seek",
}
# Words an inverted or fronted cue may stand behind ("also said", "has told").
ADVERBS = frozenset(["also", "has", "have", "had", "will", "would", "later", "again", "then"])
SENTENCE_END = frozenset(".!?")
BE = frozenset(["is", "are", "was", "were", "be", "been", "am", "'s", "’s", "'re", "’re"])
ARTICLES = frozenset(["the", "a", "an", "his", "her", "their", "its"])
PARTICLES = _set("out up against about over")
# Words ending as verb forms do that are none ("its", "during", "officials").
NOT_VERBS = _set(
    "is was has does as this less unless news its his us thus yes across plus during "
    "including according regarding something nothing anything everything things years "
    "times days weeks months officials members leaders voters others"
)
# Verbs that put their speaker after them ("said Smith"); "told The Post" names the
# listener.
INVERTED = _set(
    "say add write ask explain continue note reply respond insist argue declare recall "
    "conclude counter observe remark joke warn"
)
TIME_WORDS = _set(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tonight "
    "this last next earlier later recently in on at during after before"
)
# Before a verb, a cue takes these ("has said", "did not say", "also said").
CHAIN = _set(
    "has have had is are was were be been am will would can could may might must shall "
    "should does did do 's ’s 're ’re not n't n’t never also often still long already "
    "once again now just"
)
CLOSING = _set("” \" ' ’ »")
OPENING = _set("“ \" ' ‘ «")
ASIDES = _set("however meanwhile too though ,")
EXTEND_WORDS = 2
# How far (tokens) from the content the cue may be looked for.
REACH = 25


def lemma_candidates(word: str) -> list[str]:
    """Possible lemmas of an English verb form ("argued" -> "argu", "argue"...)."""
    w = word.casefold()
    out = [w]
    if w in IRREGULAR:
        out.append(IRREGULAR[w])
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            stem = w[: -len(suffix)]
            out += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                out.append(stem[:-1])  # "admitted" -> "admit"
            if suffix == "ed" and stem.endswith("i"):
                out.append(stem[:-1] + "y")  # "denied" -> "deny"
    if w.endswith("ies"):
        out.append(w[:-3] + "y")
    if w.endswith("es"):
        out.append(w[:-2])
    if w.endswith("s") and not w.endswith("ss"):
        out.append(w[:-1])
    return out


def is_reporting_verb(word: str, lexicon: Lexicon) -> bool:
    """A form of a speech verb of the lexicon ("said", "tells", "arguing")."""
    return any(c in lexicon.verbs or c in lexicon.objects for c in lemma_candidates(word))


def _words(text: str, tokens: Sequence[Token]) -> list[str]:
    return [text[t.start : t.end].casefold() for t in tokens]


def _phrase(words: list[str], k: int, lexicon: Lexicon) -> tuple[int, int] | None:
    """Token indices (first, last) of a multi-word cue through token k, or None."""
    if words[k] == "according" and k + 1 < len(words) and words[k + 1] == "to":
        return k, k + 1
    if words[k] == "to" and k > 0 and words[k - 1] == "according":
        return k - 1, k
    lemmas = lemma_candidates(words[k])
    if k + 1 < len(words) and any((lem, words[k + 1]) in lexicon.preps for lem in lemmas):
        return k, k + 1
    if k > 0:
        before = lemma_candidates(words[k - 1])
        if any((lem, words[k]) in lexicon.preps for lem in before):
            return k - 1, k
    return None


def cue_at(
    text: str,
    tokens: Sequence[Token],
    offset: int,
    lexicon: Lexicon | None = None,
    current: Range | None = None,
) -> Range | None:
    """The cue around the token at `offset`: a known phrase through it ("according to",
    "called for") or the token, with the auxiliaries and adverbs before a verb ("has
    said", "also said", "openly admires": PolNeAR's cues hold them); None on whitespace.
    A click on a word near the `current` cue (at most two words between, no punctuation)
    extends it."""
    lexicon = lexicon or load_lexicon()
    k = next((i for i, t in enumerate(tokens) if t.start <= offset < t.end), None)
    if k is None or not text[tokens[k].start : tokens[k].end].strip():
        return None
    words = _words(text, tokens)
    phrase = _phrase(words, k, lexicon)
    if phrase is None and words[k] in CHAIN and k + 1 < len(tokens):
        last = k  # a click on "has" of "has said": the verb after it
        while last + 1 < len(tokens) - 1 and _chain(words[last + 1]):
            last += 1
        phrase = (k, last + 1) if words[last + 1].isalpha() else (k, k)
    first, last = _with_chain(words, phrase or (k, k))
    found = tokens[first].start, tokens[last].end
    if current is not None and current != found:
        lo, hi = min(current[0], found[0]), max(current[1], found[1])
        gap = text[current[1] : found[0]] if current[1] <= found[0] else text[found[1] : current[0]]
        # Near the cue, in its phrase (a few words, no punctuation between): extends it,
        # "sounded" + "a" + "call for".
        near = len(gap.split()) <= EXTEND_WORDS and all(w.isalpha() for w in gap.split())
        inside = current[0] <= found[0] and found[1] <= current[1]
        if near and "\n" not in gap and not inside:
            return lo, hi
    return found


def _chain(word: str) -> bool:
    """An auxiliary, negation or adverb that a verb's cue takes before it."""
    return word in CHAIN or (word.endswith("ly") and word.isalpha() and word.islower())


def _with_chain(words: list[str], cue: tuple[int, int]) -> tuple[int, int]:
    """The cue with the auxiliaries and adverbs right before it ("has long debated")."""
    c0, c1 = cue
    if words[c0] == "according" or not words[c0].isalpha():
        return cue
    while c0 - 1 >= 0 and _chain(words[c0 - 1]):
        c0 -= 1
    return c0, c1


def _block(text: str, tokens: Sequence[Token], lo: int, hi: int) -> tuple[int, int]:
    """Token indices [first, last] of the paragraph around code points [lo, hi)."""
    start = text.rfind("\n", 0, lo) + 1
    stop = text.find("\n", hi)
    stop = len(text) if stop < 0 else stop
    inside = [i for i, t in enumerate(tokens) if start <= t.start and t.end <= stop]
    return (inside[0], inside[-1]) if inside else (0, -1)


def propose_attribution(
    text: str,
    tokens: Sequence[Token],
    content: Range,
    lexicon: Lexicon | None = None,
) -> tuple[Range | None, Range | None]:
    """(speaker, cue) for a quote whose content is `content` (code points), each None
    when the rule finds none. The cue is looked for after the content first (news
    writes "CONTENT," she said), then before it, within the sentence next to the
    content; the speaker is the noun phrase before the cue, or after an inverted cue
    ("said Smith") or "according to"."""
    lexicon = lexicon or load_lexicon()
    lo, hi = content
    words = _words(text, tokens)
    first, last = _block(text, tokens, lo, hi)
    inside = [i for i in range(first, last + 1) if lo <= tokens[i].start < hi]
    if not inside:
        return None, None
    cue = _colon_cue(text, tokens, words, inside[0], first, lexicon)
    if cue is None:
        cue = _adjacent_cue(words, inside[0], first, lexicon)
    if cue is None:
        after = _cue_after(words, inside[-1] + 1, last, lexicon)
        before = _cue_before(words, inside[0] - 1, first, lexicon)
        # The nearer one; on a tie the one after ("CONTENT," she said).
        if after is None or (before is not None and inside[0] - before[1] < after[0] - inside[-1]):
            cue = before
        else:
            cue = after
    if cue is None:
        return None, None
    cue = _with_chain(words, cue)
    c0, c1 = cue
    cue_range = (tokens[c0].start, tokens[c1].end)
    cue_first = _block(text, tokens, tokens[c0].start, tokens[c1].end)[0]  # "He said:"
    block = (min(first, cue_first), last)
    speaker = _speaker(text, tokens, words, cue, (inside[0], inside[-1]), block, lexicon)
    return speaker, cue_range


def _colon_cue(
    text: str, tokens: Sequence[Token], words: list[str], i: int, first: int, lexicon: Lexicon
) -> tuple[int, int] | None:
    """A colon just before the content, in its paragraph or ending the paragraph before
    ("He said:", "PENCE: ...", a headline "Caddell: ..."): the colon, with the
    reporting verb before it."""
    j = i - 1
    while j >= 0 and not any(c.isalnum() or c == ":" for c in words[j]):
        j -= 1  # opening quotation marks
    if j < 0 or words[j] != ":":
        return None
    if j < first and text[tokens[j].end : tokens[i].start].count("\n") > 3:
        return None
    if j > 0 and is_reporting_verb(words[j - 1], lexicon):
        return j - 1, j
    return j, j


def _adjacent_cue(words: list[str], i: int, first: int, lexicon: Lexicon) -> tuple[int, int] | None:
    """The verb the content follows ("X shows that CONTENT", "Trump openly admires
    CONTENT", "voted against CONTENT"): PolNeAR's content is often a verb's object, and
    the verb its cue, whether or not the word list knows it. A listed verb a word or two
    before wins ("told reporters that CONTENT")."""
    j = i - 1
    if j >= first and words[j] == "that":
        j -= 1
    if j < first:
        return None
    for k in range(j, max(first, j - 2) - 1, -1):
        if words[k] in SENTENCE_END or words[k] == ",":
            break
        if is_reporting_verb(words[k], lexicon):
            return _phrase(words, k, lexicon) or (k, k)
    if words[j] in PARTICLES and j - 1 >= first and _verb_like(words[j - 1]):
        return j - 1, j  # "pointed out", "voted against"
    return (j, j) if _verb_like(words[j]) else None


def _verb_like(word: str) -> bool:
    """A lower-case word ending as a verb form does ("shows", "ruled", "condemning")."""
    return (
        word.replace("-", "").isalpha()
        and word.islower()
        and word not in NOT_VERBS
        and (word.endswith(("s", "ed", "ing")) or word in IRREGULAR)
    )


def _cue_token(words: list[str], i: int, lexicon: Lexicon) -> tuple[int, int] | None:
    phrase = _phrase(words, i, lexicon)
    if phrase is not None and (words[phrase[0]] == "according" or phrase[0] == i):
        return phrase
    if is_reporting_verb(words[i], lexicon):
        return i, i
    return None


def _cue_after(words: list[str], i: int, last: int, lexicon: Lexicon) -> tuple[int, int] | None:
    for j in range(i, min(last, i + REACH) + 1):
        if words[j] in SENTENCE_END and j > i:
            return None  # the next sentence is another attribution's
        found = _cue_token(words, j, lexicon)
        if found is not None:
            return found
    return None


def _cue_before(words: list[str], i: int, first: int, lexicon: Lexicon) -> tuple[int, int] | None:
    for j in range(i, max(first, i - REACH) - 1, -1):
        if words[j] in SENTENCE_END:
            return None
        found = _cue_token(words, j, lexicon)
        if found is not None:
            return found
    return None


def _speaker(
    text: str,
    tokens: Sequence[Token],
    words: list[str],
    cue: tuple[int, int],
    content: tuple[int, int],
    block: tuple[int, int],
    lexicon: Lexicon,
) -> Range | None:
    """The noun phrase before the cue (its subject), else right after it (inverted:
    "said Smith", "according to Smith"); never inside the content. A participle after
    a comma (", saying", ", arguing") takes the sentence's subject."""
    c0, c1 = cue
    after_content = c0 > content[1]
    floor = content[1] + 1 if after_content else block[0]
    ceiling = block[1] if after_content else content[0] - 1
    k = c0 - 1
    while k >= floor and words[k] in CLOSING:
        k -= 1  # "a “strong leader,” comparing"
    participle = (
        words[c0].endswith("ing") and words[c0] != "according" and k >= floor and words[k] == ","
    )
    if participle or (k >= floor and words[k] in {"and", "but"}):
        # ", saying ...", "... and promptly voted against": the sentence's subject
        return _subject(text, tokens, words, k, floor, lexicon)
    if words[c0] != "according":
        found = _before(text, tokens, words, c0 - 1, floor)
        if found is not None:
            return found
        if not (set(lemma_candidates(words[c1])) & INVERTED):
            return None  # "told The Post": who was told, not who spoke
    # After the cue: the phrase's last word before punctuation or a function word.
    k = c1 + 1
    if k > ceiling or words[k] in TIME_WORDS:
        return None
    if _phrase_at(text, tokens, k) is None and words[k] not in ARTICLES:
        return None
    end = k
    while end + 1 <= ceiling and _phrase_at(text, tokens, end + 1) is not None:
        if words[end + 1] in PRONOUNS or words[end + 1] in TIME_WORDS:
            break
        end += 1
    found = _phrase_at(text, tokens, end)
    if found is None:
        return None
    return max(found[0], tokens[k].start), found[1]


def _before(
    text: str, tokens: Sequence[Token], words: list[str], j: int, floor: int
) -> Range | None:
    """The subject ending at token j: over adverbs ("he also said"), an aside in
    parentheses ("Mike Pence (R-IN) said") and an apposition's comma ("Phil Lovas, said")."""
    while j >= floor and (words[j] in ADVERBS or words[j] in ASIDES):
        j -= 1  # "he also said", "Some Democrats, however, question"
    if j >= floor and words[j] == ",":
        j -= 1
    end = j
    if j >= floor and words[j] == ")":  # the aside belongs to the name: "Pence (R-IN)"
        while j >= floor and words[j] != "(":
            j -= 1
        j -= 1
    found = _phrase_at(text, tokens, j) if j >= floor else None
    if found is None:
        return None
    lo, hi = max(found[0], tokens[floor].start), tokens[end].end  # not past the cue
    # An apposition opening the sentence: "Clinton, the former secretary of State,"
    i = next((x for x, t in enumerate(tokens) if t.start == lo), None)
    if i is not None and i - 2 >= floor and words[i - 1] == ",":
        name = _phrase_at(text, tokens, i - 2)
        at = next((x for x, t in enumerate(tokens) if name and t.start == name[0]), None)
        single = words[i] in PRONOUNS or words[i] in {"which", "whom", "whose"}
        opens = at is not None and (at == floor or _opens(words[at - 1]))
        if name is not None and opens and not single:
            return name[0], hi
    return lo, hi


def _opens(word: str) -> bool:
    """A token after which a sentence starts."""
    return word in SENTENCE_END or word in OPENING


def _subject(
    text: str, tokens: Sequence[Token], words: list[str], j: int, floor: int, lexicon: Lexicon
) -> Range | None:
    """Who speaks through ", saying ...": the speaker of a cue earlier in the sentence
    ("he said, adding"), else the sentence's first noun phrase."""
    start = j
    while start - 1 >= floor and words[start - 1] not in SENTENCE_END:
        start -= 1
    for k in range(j - 1, start - 1, -1):
        if is_reporting_verb(words[k], lexicon):
            found = _before(text, tokens, words, k - 1, start)
            if found is None and set(lemma_candidates(words[k])) & INVERTED and k + 1 < j:
                found = _phrase_at(text, tokens, k + 1)  # "said Caddell, speaking of"
            if found is not None:
                return found
    k = start
    while k < j and (not words[k][:1].isalnum() or words[k] in ARTICLES):
        k += 1  # an opening quotation mark, "The"
    found = _phrase_at(text, tokens, k) if k < j else None
    # The phrase's head: the last word of the run that shares its start ("The mayor").
    while found is not None and k + 1 < j:
        longer = _phrase_at(text, tokens, k + 1)
        nxt = words[k + 1]
        if longer is None or longer[0] != found[0] or nxt in PRONOUNS:
            break
        if nxt.islower() and (_verb_like(nxt) or _chain(nxt) or is_reporting_verb(nxt, lexicon)):
            break  # "The mayor opened ...", "Trump openly admires": a verb ends the subject
        found, k = longer, k + 1
    return found


def _phrase_at(text: str, tokens: Sequence[Token], i: int) -> Range | None:
    if i < 0 or i >= len(tokens):
        return None
    found = noun_phrase_at(text, tokens, tokens[i].start)
    word = text[tokens[i].start : tokens[i].end].casefold()
    if found is None and word in PRONOUNS:
        return tokens[i].start, tokens[i].end
    return found
