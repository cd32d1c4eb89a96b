"""Matchers by method name. A new method (say, a sentence-embedding `semantic` one) is one
new module with a `Matcher` subclass plus one line in MATCHERS."""
from callcoach.matching.base import Document, Match, Matcher, PhraseGroup, ScanResult
from callcoach.matching.intent import IntentMatcher
from callcoach.matching.normalize import NormText, normalize, normalize_many
from callcoach.matching.verbatim import VerbatimMatcher

MATCHERS: dict[str, type[Matcher]] = {
    VerbatimMatcher.method: VerbatimMatcher,
    IntentMatcher.method: IntentMatcher,
}

__all__ = ["MATCHERS", "Document", "IntentMatcher", "Match", "Matcher", "NormText", "PhraseGroup",
           "ScanResult", "VerbatimMatcher", "normalize", "normalize_many"]
