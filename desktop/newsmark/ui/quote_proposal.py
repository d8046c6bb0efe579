"""What Q proposes for a freshly marked quote: its cue and speaker read from the words
around it (domain/cue_rule.py), in the quote's one undo step."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from newsmark.commands.macro_command import MacroCommand
from newsmark.commands.quote_commands import AddQuoteCommand
from newsmark.domain.cue_rule import propose_attribution
from newsmark.domain.quotes import Quote
from newsmark.ui.speaker_roster import SPEAKER_LABELS

if TYPE_CHECKING:
    from newsmark.ui.document_session import DocumentSession


def proposed(session: DocumentSession, quote: Quote) -> Quote:
    """`quote` with the rule's cue and speaker filled in where it had none. An entity span
    that is the speaker mention, or ends it ("Stein spokeswoman Melezia Figueroa"), gives
    the speaker its label, and its entity when the span is linked already: a proposal
    creates no entity and links nothing, so one undo removes all it did (a digit or the
    roster links it)."""
    aset, doc = session.annotations, session.document
    assert aset is not None and aset.id is not None and doc is not None
    if quote.speaker is not None or quote.cue is not None:
        return quote
    speaker, cue = propose_attribution(doc.text, doc.tokens, (quote.start, quote.end))
    quote = replace(quote, cue=cue, speaker=speaker)
    if speaker is None:
        return quote
    lo, hi = speaker
    heads = [s for s in aset.spans if s.label in SPEAKER_LABELS and lo <= s.start and s.end == hi]
    if not heads:
        return quote
    head = min(heads, key=lambda s: s.start)  # the longest name that ends it
    quote = replace(quote, speaker_label=head.label)
    if head.entity_id is None:
        return quote
    entity = session.repo.get_entity(head.entity_id)
    return replace(quote, entity=entity.name, entity_id=entity.id)


def mark_command(session: DocumentSession, quote: Quote) -> MacroCommand:
    """Mark `quote` with the proposed cue and speaker: one undo step removes it all."""
    aset = session.annotations
    assert aset is not None and aset.id is not None
    filled = proposed(session, quote)
    changed = session.apply_quote_changes
    add = AddQuoteCommand(session.repo, aset.id, filled, session.who, changed)
    doc = session.document
    assert doc is not None
    said = [
        f"{role} “{doc.text[r[0] : r[1]]}”"
        for role, r in (("speaker", filled.speaker), ("cue", filled.cue))
        if r is not None
    ]
    text = f"Mark {filled.kind.value} quote" + (f" ({', '.join(said)})" if said else "")
    return MacroCommand(text, [add])
