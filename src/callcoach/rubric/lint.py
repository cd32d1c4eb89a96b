"""`rubric lint`: the schema, then what the schema cannot see, then every criterion's examples run
through the real matchers.

    >>> findings = lint(["rubrics/meddicc.yaml"])          # doctest: +SKIP
    >>> exit_code(findings)
    0

Errors make a rubric unusable or wrong (an example the matcher misses, a phrase that can never
match); warnings are smells a team may accept (a two-word intent phrase). `strict=True` turns
warnings into errors, for CI.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from callcoach.errors import RubricError, UsageError
from callcoach.matching import MATCHERS, Document, PhraseGroup, ScanResult, normalize
from callcoach.rubric.findings import Finding, Severity, sorted_findings
from callcoach.rubric.loader import (LoadedRubric, Loc, parse_rubric, parse_rubric_partly,
                                     read_text)
from callcoach.rubric.model import Criterion
from callcoach.scoring.checks import CHECKS, Part
from callcoach.scoring.compile import CompiledRubric, compile_rubric
from callcoach.suggest import did_you_mean, hint_text

RUBRIC_SUFFIXES = (".yaml", ".yml")
MIN_INTENT_WORDS = 3


def lint(paths: Iterable[str | Path], strict: bool = False, judge=None) -> list[Finding]:
    """Every finding of every rubric file (folders: their *.yaml / *.yml, recursively), sorted
    by file and line. A path that does not exist is a `UsageError`. `judge` (a
    `callcoach.judge.Backend`) answers the examples of the checks a model answers; without
    it they are not run (`judged_examples` counts them)."""
    files = rubric_files(paths)
    findings: list[Finding] = []
    for file in files:
        try:
            text = read_text(file)
        except RubricError as e:
            findings.append(Finding(str(file), 1, 1, "error", "unreadable", e.message, e.hint))
            continue
        findings.extend(lint_text(text, str(file), judge))
    if strict:
        findings = [replace(f, severity="error") for f in findings]
    return sorted_findings(findings)


def exit_code(findings: list[Finding]) -> int:
    return 1 if any(f.is_error for f in findings) else 0


def rubric_files(paths: Iterable[str | Path]) -> list[Path]:
    """The rubric files named, folders expanded. A missing path, or a folder with no rubric in
    it, is a usage error: a wrong path in CI must fail, not lint nothing and pass."""
    files: list[Path] = []
    missing: list[str] = []
    empty: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.suffix in RUBRIC_SUFFIXES and f.is_file())
            files.extend(found)
            if not found:
                empty.append(str(raw))
        elif p.exists():
            files.append(p)
        else:
            missing.append(str(raw))
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}", hint="check the path")
    if empty:
        raise UsageError(f"no rubric files (*.yaml, *.yml) in {', '.join(empty)}",
                         hint="check the path")
    return files


def lint_text(text: str, path: str = "<rubric>", judge=None) -> list[Finding]:
    """Findings for one rubric given as text: the load's, and the linter's over as much of the
    rubric as loads (misspellings taken as their "did you mean"), all in one run."""
    loaded, findings = parse_rubric_partly(text, path)
    if loaded is not None:
        findings = findings + _Linter(loaded, judge).run()
    return sorted_findings(findings)


def judged_examples(paths: Iterable[str | Path]) -> int:
    """How many examples of the rubrics a model would have to answer (`lint` runs them only
    with a judge). Files that do not load count none: lint reports them."""
    n = 0
    for file in rubric_files(paths):
        try:
            rubric = parse_rubric(read_text(file), str(file)).rubric
        except RubricError:
            continue
        n += sum(len(c.examples) for c in rubric.criteria
                 if CHECKS[c.check.type].EXAMPLES == "verdict")
    return n


@dataclass(frozen=True, slots=True)
class PhraseList:
    """One thing a check looks for, exactly as scoring compiles it (its `Part`: phrases, method
    and threshold), and where its `phrases` are in the file."""

    part: Part
    loc: Loc

    @property
    def target(self) -> str | None:
        """None (phrase/forbidden), a step id, "before" or "trigger"."""
        return self.part.step

    @property
    def phrases(self) -> tuple[str, ...]:
        return self.part.phrases

    @property
    def method(self) -> str:
        return self.part.method

    @property
    def threshold(self) -> float | None:
        return self.part.threshold

    @property
    def label(self) -> str:
        if self.target is None:
            return "the phrases"
        if self.target in ("before", "trigger"):
            return f"the {self.target} phrases"
        return f"step '{self.target}'"

    def group(self) -> PhraseGroup:
        return PhraseGroup(self.label, self.phrases, self.threshold)


def phrase_lists(criterion: Criterion, index: int) -> list[PhraseList]:
    """What a criterion's check matches, from the check type's own `parts`: the lists, methods
    and thresholds scoring compiles, so lint tests exactly what scoring uses."""
    base: Loc = ("criteria", index, "check")
    # a step's place in the file (an any_turn step has no part, but it has its place)
    places = {s.id: i for i, s in enumerate(getattr(criterion.check, "steps", None) or [])}
    out: list[PhraseList] = []
    for part in CHECKS[criterion.check.type].parts(criterion.check):
        if part.name.startswith("step/"):
            where: Loc = ("steps", places[part.step])
        else:
            where = () if part.name == "phrases" else (part.name,)
        out.append(PhraseList(part, base + where + ("phrases",)))
    return out


def _part(check, target: str | None):
    """The part of `check` a phrase list or an example is for: the check itself (None), its
    cut-off ("before"), its trigger ("trigger") or the step of that id (None if there is none)."""
    if target is None:
        return check
    if target in ("before", "trigger"):
        return getattr(check, target, None)
    return next((s for s in getattr(check, "steps", None) or [] if s.id == target), None)


class _Linter:
    def __init__(self, loaded: LoadedRubric, judge=None):
        self.judge = judge
        self.rubric = loaded.rubric
        self.source = loaded.source
        self.path = loaded.path
        self.findings: list[Finding] = []
        # criteria by their index in the file (some may have been left out of a partial load)
        self.criteria = {loaded.index(pos): c for pos, c in enumerate(loaded.rubric.criteria)}
        self._compiled: CompiledRubric | None = None

    @property
    def compiled(self) -> CompiledRubric:
        """The rubric as scoring compiles it: examples run through the same matchers (an
        intent word's weight depends on every group of the rubric)."""
        if self._compiled is None:
            self._compiled = compile_rubric(self.rubric)
        return self._compiled

    def add(self, loc: Loc, severity: Severity, code: str, message: str,
            hint: str | None = None, *, at_key: bool = False) -> None:
        pos = self.source.key(loc) if at_key else self.source.value(loc)
        self.findings.append(Finding(self.path, pos.line, pos.column, severity, code, message,
                                     hint))

    def line(self, loc: Loc) -> int:
        return self.source.value(loc).line

    def run(self) -> list[Finding]:
        seen: dict[str, tuple[int, PhraseList, int]] = {}
        for i, criterion in self.criteria.items():
            lists = phrase_lists(criterion, i)
            self.shape(criterion, i, lists)
            for pl in lists:
                self.phrases(pl, i, seen)
            self.examples(criterion, i, lists)
        return self.findings

    def shape(self, criterion: Criterion, i: int, lists: list[PhraseList]) -> None:
        check = criterion.check
        loc: Loc = ("criteria", i, "check")
        for smell in CHECKS[check.type].smells(check):
            self.add(loc + smell.at, smell.severity, smell.code, smell.message, smell.hint,
                     at_key=True)
        # A threshold is ignored when everything that would use it is matched verbatim;
        # `before` and `trigger` may set their own instead of inheriting the check's.
        own = {name for name in ("before", "trigger")
               if getattr(getattr(check, name, None), "threshold", None) is not None}
        for pl in lists:
            if pl.part.name in own and pl.method == "verbatim":
                self.add(loc + (pl.part.name, "threshold"), "warning", "threshold-ignored",
                         f"{pl.part.name}.threshold applies to method: intent only; a verbatim "
                         f"match is exact", hint="remove it, or use method: intent", at_key=True)
        inheriting = [pl for pl in lists if pl.part.name not in own]
        if check.threshold is not None and all(pl.method == "verbatim" for pl in inheriting):
            self.add(loc + ("threshold",), "warning", "threshold-ignored",
                     "threshold applies to method: intent only; a verbatim match is exact",
                     hint="remove it, or use method: intent", at_key=True)
        if not criterion.examples:
            self.add(("criteria", i, "id"), "warning", "no-examples",
                     f"criterion '{criterion.id}' has no examples",
                     hint="add examples: a few ways reps say it, and a near miss with "
                          "match: false; lint runs them through the matcher")

    def phrases(self, pl: PhraseList, i: int, seen: dict[str, tuple[int, PhraseList, int]]) -> None:
        if not pl.phrases and not self.has_form(pl, i):   # a form matches without phrases
            self.add(pl.loc, "error", "empty-phrases", f"{pl.label}: the list of phrases is empty",
                     hint="a check with no phrases never matches", at_key=True)
        for k, phrase in enumerate(pl.phrases):
            loc = pl.loc + (k,)
            norm = normalize(phrase)
            if not norm:
                self.add(loc, "error", "blank-phrase", f"phrase {phrase!r} has no words")
                continue
            words = norm.split()
            if pl.method == "intent":
                if len(words) < MIN_INTENT_WORDS:
                    self.add(loc, "warning", "short-phrase",
                             f"intent phrase '{phrase}' has {len(words)} word"
                             f"{'s' * (len(words) != 1)}: too short to carry an intent",
                             hint=f"write it the way a rep says it ({MIN_INTENT_WORDS}+ words), "
                                  f"or use method: verbatim")
            first = seen.get(norm)
            if first is None:
                seen[norm] = (i, pl, k)
                continue
            fi, fpl, fk = first
            where = f"line {self.line(fpl.loc + (fk,))}"
            if fi == i and fpl.loc == pl.loc:
                self.add(loc, "warning", "repeated-phrase",
                         f"phrase '{phrase}' is repeated in this list ({where})")
            elif fi == i:
                self.add(loc, "error", "repeated-phrase",
                         f"phrase '{phrase}' is in both {fpl.label} ({where}) and {pl.label}: "
                         f"a match cannot tell them apart")
            else:
                other = self.criteria[fi].id
                self.add(loc, "warning", "repeated-phrase",
                         f"phrase '{phrase}' is also in criterion '{other}' ({where}): "
                         f"one utterance counts for both")

    def examples(self, criterion: Criterion, i: int, lists: list[PhraseList]) -> None:
        if CHECKS[criterion.check.type].EXAMPLES == "verdict":
            return self.verdicts(criterion, i)
        targets = {pl.target: pl for pl in lists if pl.target is not None}
        for j, example in enumerate(criterion.examples):
            loc: Loc = ("criteria", i, "examples", j)
            if example.verdict is not None:
                self.add(loc + ("verdict",), "error", "example-verdict",
                         f"verdict: is for the examples of checks a model answers; a "
                         f"{criterion.check.type} check's examples say match: (and step:)",
                         hint="use match: true or match: false", at_key=True)
                continue
            if example.step is not None:
                steps = getattr(criterion.check, "steps", [])
                if any(st.id == example.step and st.any_turn for st in steps):
                    self.add(loc + ("step",), "warning", "example-untestable",
                             f"step '{example.step}' is done by any turn (any_turn: true), so "
                             f"an example cannot test it", hint="remove the example")
                    continue
                if example.step not in targets:
                    names = sorted(targets)
                    if not names:
                        self.add(loc + ("step",), "error", "unknown-step",
                                 f"step '{example.step}': a {criterion.check.type} check has "
                                 f"no steps", hint="remove step:")
                        continue
                    guess = did_you_mean(example.step, names, n=1, prefixes=True)
                    self.add(loc + ("step",), "error", "unknown-step",
                             f"step '{example.step}' is not a step of this check"
                             + ("; " + hint_text(guess) if guess else ""),
                             hint=f"one of: {', '.join(names)}")
                    continue
                if self.done_by_form(criterion.check, example, loc) or \
                        self.done_by_cue(criterion.check, example, loc):
                    continue
                chosen = [targets[example.step]]
            elif self.done_by_form(criterion.check, example, loc):
                continue
            else:
                chosen = [pl for pl in lists if pl.target not in ("before", "trigger")]
            every = getattr(criterion.check, "asked", False)   # a sequence's: all its steps
            asked = frozenset(s.id for s in getattr(criterion.check, "steps", None) or []
                              if every or s.asked)
            self.run_example(example.text, example.match, chosen, loc, example.step is None,
                             criterion.id, asked=asked)

    def has_form(self, pl: PhraseList, i: int) -> bool:
        """Does the part the list belongs to (the check, its cut-off, trigger or a step) name a
        form (forms.FORM_KEYS)?"""
        from callcoach.scoring.forms import has_form

        part = _part(self.criteria[i].check, pl.target)
        return part is not None and has_form(part)

    def done_by_form(self, check, example, loc: Loc) -> bool:
        """An example its step's form does (open_question, opening; a cut-off's price; a
        trigger's pushback and pushback_model; a forbidden check's promise) is settled by the
        form: an error when marked match: false, since scoring would count it."""
        from callcoach.scoring.forms import FORM_KEYS, done_by, has_form

        part = _part(check, example.step)   # no step: a check with a form of its own (promise)
        found = done_by(part, example.text) if part is not None and has_form(part) else []
        if found and not example.match:
            what = {"before": "reaches the cut-off", "trigger": "triggers the check",
                    None: "is a violation"}.get(example.step, f"does step '{example.step}'")
            self.add(loc, "error", "example-matched",
                     f"example marked match: false {what} as {found[0][1]} ('{found[0][0]}')",
                     hint=f"remove the example, or drop the form ({', '.join(FORM_KEYS)})")
        return bool(found)

    def done_by_cue(self, check, example, loc: Loc) -> bool:
        """An example of a sequence step that one of the step's cues does (an open question no
        phrase need match) is settled by the cue: an error when marked match: false."""
        from callcoach.scoring.checks.sequence import SequenceCheck, cued_step

        found = cued_step(check, example.text) if isinstance(check, SequenceCheck) else None
        if found is None or found[0] != example.step:
            return False
        if not example.match:
            self.add(loc, "error", "example-matched",
                     f"example marked match: false does step '{example.step}' by its cue "
                     f"('{found[1]}')", hint="remove the example, or the cue")
        return True

    def verdicts(self, criterion: Criterion, i: int) -> None:
        """Examples of a check a model answers: each says the verdict a reviewer gives it;
        with a judge, the model is asked and must agree."""
        for j, example in enumerate(criterion.examples):
            loc: Loc = ("criteria", i, "examples", j)
            if example.verdict is None or example.step is not None or not example.match:
                self.add(loc, "error", "example-needs-verdict",
                         f"an example of a {criterion.check.type} check says the verdict a "
                         f"reviewer gives it (verdict: pass, fail or na), not match: or step:",
                         hint="e.g. {text: 'Rep: …\\nProspect: …', verdict: fail}")
                continue
            if self.judge is not None:
                self.judge_example(criterion, example, loc)

    def judge_example(self, criterion: Criterion, example, loc: Loc) -> None:
        from callcoach.judge import answer_pending, example_transcript
        from callcoach.scoring.compile import compile_rubric
        from callcoach.scoring.engine import score_transcript

        rubric = self.rubric.model_copy(update={"criteria": [criterion]})
        score = score_transcript(example_transcript(example.text), compile_rubric(rubric))
        (answered,) = answer_pending([score], rubric.criteria, self.judge)
        r = answered.results[0]
        if r.counts.get("judge_errors") or r.counts.get("unverified"):
            self.add(loc, "error", "example-unjudged",
                     f"the model's answer to this example could not be used: {r.reason}")
            return
        got = "na" if r.score is None else "pass" if r.passed else "fail"
        if got != example.verdict:
            self.add(loc, "error", "example-misjudged",
                     f"example should be judged {example.verdict} but was judged {got}: "
                     f"{r.reason}",
                     hint="sharpen the question, the standard or the anchors, or na_when")

    def run_example(self, text: str, expect: bool, lists: list[PhraseList], loc: Loc,
                    any_step: bool, criterion_id: str,
                    asked: frozenset[str] = frozenset()) -> None:
        """`asked`: the steps that count only where a sentence asks (a sequence's `asked`, a
        response step's), as scoring reads them (forms.asks_at)."""
        from callcoach.scoring.forms import asks_at

        doc = Document.from_texts([text])
        norm = doc.texts[0].text
        hits, misses = [], []
        scans: dict[str, ScanResult] = {}
        for pl in lists:
            if not pl.phrases:
                continue
            if expect and norm in {normalize(p) for p in pl.phrases}:
                self.add(loc, "warning", "example-copies-phrase",
                         f"example is a copy of a phrase of {pl.label}, so it tests nothing",
                         hint="write another way a rep would say it")
            key = f"{criterion_id}/{pl.part.name}"
            result = scans.get(pl.method)
            if result is None:
                result = scans[pl.method] = self.compiled.matchers[pl.method].scan(
                    doc, near_misses=True)
            found = result.of(key)
            unasked = []
            if pl.target in asked:
                asks = [asks_at(text, doc.texts[0], m.start) for m in found]
                unasked = [m for m, a in zip(found, asks) if not a]
                found = [m for m, a in zip(found, asks) if a]
            if found:
                hits.append((pl, max(found, key=lambda m: m.similarity)))
            elif unasked:
                misses.append((pl, max(unasked, key=lambda m: m.similarity), "unasked"))
            else:
                negated = result.negated.get(key)
                misses.append((pl, negated[0] if negated else result.near_misses.get(key),
                               "negated" if negated else ""))
        what = "any step" if any_step and len(lists) > 1 else (lists[0].label if lists else "")
        if expect and not hits:
            unasked = any(why == "unasked" for _, m, why in misses if m is not None)
            self.add(loc, "error", "example-missed",
                     f"example should match {what} but does not: {self.best(misses)}",
                     hint="write it as the question a rep asks" if unasked else
                          "add a phrase closer to it, or lower the threshold")
        elif not expect and hits:
            pl, m = max(hits, key=lambda h: h[1].similarity)
            threshold = self.threshold(pl)
            score = (f"similarity {m.similarity:g} >= threshold {threshold:g}"
                     if pl.method == "intent" else "verbatim")
            self.add(loc, "error", "example-matched",
                     f"example marked match: false matches {pl.label} ({score}, "
                     f"phrase '{pl.phrases[m.phrase]}')",
                     hint="make the phrases more specific, or raise the threshold")

    @staticmethod
    def threshold(pl: PhraseList) -> float:
        return MATCHERS[pl.method].threshold_for(pl.threshold)

    def best(self, misses: list) -> str:
        seen = [(pl, m, why) for pl, m, why in misses if m is not None]
        if not seen:
            return "it shares no content word with any phrase (best similarity 0)"
        pl, m, why = max(seen, key=lambda h: h[1].similarity)
        if why == "negated":
            return (f"it is said inside a negated clause ('{m.text}' is like "
                    f"'{pl.phrases[m.phrase]}', {m.similarity:g}, but negated)")
        if why == "unasked":
            return (f"it asks nothing: '{m.text}' is like '{pl.phrases[m.phrase]}' "
                    f"({m.similarity:g}), but the check counts only questions and prompts "
                    f"(asked: true)")
        if pl.method == "verbatim" and m.similarity >= 100:
            return (f"no phrase occurs word for word; '{pl.phrases[m.phrase]}' occurs only "
                    f"inside longer words")
        if pl.method == "verbatim":
            return (f"no phrase occurs word for word; closest is '{pl.phrases[m.phrase]}', "
                    f"{m.similarity:g}% similar to '{m.text}'")
        return (f"best similarity {self.compiled.matchers[pl.method].short_of(m)} "
                f"(phrase '{pl.phrases[m.phrase]}' vs '{m.text}')")
