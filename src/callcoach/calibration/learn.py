"""`calibrate --suggest`: learn from the disagreements, the way example-based trackers learn
from tagged sentences, but deterministically, explained and measured.

From each disagreement on the *learning* calls:
- a pass callcoach missed: the reviewer's evidence, cut to phrase size (the candidate the
  matcher read in the quote, else its first words), as a new phrasing of the criterion, of
  the step it comes closest to, or of the trigger (a prospect's quote the check never saw);
- a fail callcoach passed (or a violation the reviewer did not count): the threshold raised
  just above the offending match, with the match kept as a `match: false` example (the
  example alone changes no score; it is the test that pins the new threshold).
A quote whose closest part is already done (or already matches it) says the miss is
elsewhere (the window, the order) and makes no suggestion; a phrasing under 3 words is
dropped.
Every suggestion is measured: the learning calls are re-scored with it (and with every
suggestion kept before it) and it is kept only when agreement does not drop, the label it
was learnt from now agrees, agreement rises, and the rubric lints without new errors. The held-out calls
(picked by a hash of the call id, so the split is stable) are scored before and after, and
that is the number to trust.

    learnt = learn(calls, labels, rubric_path=Path("rubric.yaml"), holdout=0.3)
    learnt.kept, learnt.holdout_before, learnt.holdout_after, learnt.rubric_text
"""
from __future__ import annotations

import hashlib
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from callcoach.calibration.agreement import Stats
from callcoach.calibration.core import (CalibrationCalls, calibrate, find_quote, score_calls,
                                        verdict)
from callcoach.calibration.labels import Label
from callcoach.fmt import plural
from callcoach.matching import Document, normalize
from callcoach.rubric.model import Rubric
from callcoach.scoring.checks import CHECKS
from callcoach.scoring.compile import compile_rubric
from callcoach.scoring.result import CriterionResult

MAX_PHRASE_WORDS = 12   # a learnt phrasing is cut to at most this many words
THRESHOLD_STEP = 0.1    # a raised threshold sits this far above the offending match


@dataclass(slots=True)
class Suggestion:
    kind: str                 # phrase | threshold
    criterion: str
    part: str                 # phrases | step/<id> | before | trigger
    value: object             # the phrase or the threshold
    why: str                  # the disagreement it comes from
    label: Label
    example: dict | None = None   # with a threshold: the offending match, as match: false
    gain: int = 0             # agreements won (or lost) on the learning calls
    kept: bool = False
    note: str = ""            # why it was not kept

    def describe(self) -> str:
        if self.kind == "phrase":
            where = self.criterion if self.part == "phrases" else f"{self.criterion} {self.part}"
            return f"{where}: add phrasing '{self.value}'"
        # a step's threshold is the check's: it applies to every step
        where = f"{self.criterion} {self.part}" if self.part in ("before", "trigger") else \
            self.criterion + (" (all steps)" if self.part.startswith("step/") else "")
        return f"{where}: threshold {self.value:g}, with '{self.example['text']}' as a " \
            "match: false example"

    def to_dict(self) -> dict:
        return {"kind": self.kind, "criterion": self.criterion, "part": self.part,
                "value": self.value, "example": self.example, "why": self.why,
                "call_id": self.label.call_id,
                "gain": self.gain, "kept": self.kept, "note": self.note or None}


@dataclass(slots=True)
class Learnt:
    rubric: Rubric                       # with the kept suggestions
    rubric_text: str                     # the rubric file with them applied (--write-rubric)
    learning: list[str]                  # call ids learnt from
    held_out: list[str]                  # call ids held out
    suggestions: list[Suggestion] = field(default_factory=list)
    learning_before: Stats | None = None
    learning_after: Stats | None = None
    holdout_before: Stats | None = None
    holdout_after: Stats | None = None

    @property
    def kept(self) -> list[Suggestion]:
        return [s for s in self.suggestions if s.kept]

    def to_dict(self) -> dict:
        def stats(s: Stats | None) -> dict | None:
            return None if s is None else {"n": s.n, "agreement": s.to_dict()["agreement"],
                                           "kappa": s.to_dict()["kappa"]}
        return {"learning_calls": len(self.learning), "held_out_calls": len(self.held_out),
                "held_out": self.held_out,
                "learning": {"before": stats(self.learning_before),
                             "after": stats(self.learning_after)},
                "holdout": {"before": stats(self.holdout_before),
                            "after": stats(self.holdout_after)},
                "suggestions": [s.to_dict() for s in self.suggestions]}


def split(call_ids: Sequence[str], holdout: float) -> tuple[list[str], list[str]]:
    """(learning, held out): a call is held out when a hash of its id falls under `holdout`,
    so the split does not depend on the order or the number of calls."""
    learning, held = [], []
    for cid in sorted(call_ids):
        h = int(hashlib.sha256(cid.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
        (held if h < holdout else learning).append(cid)
    return learning, held


def learn(calls: CalibrationCalls, labels: Sequence[Label], *, rubric_path: Path | None = None,
          holdout: float = 0.3, pass_mark: float | None = None,
          progress: Callable[[str], None] | None = None) -> Learnt:
    """Suggestions from the disagreements of the learning calls, each measured and kept or not;
    the held-out calls' agreement before and after. `rubric_path` is the rubric file the kept
    suggestions are written into (comments and order kept)."""
    say = progress or (lambda _: None)
    known = [lab for lab in labels if lab.call_id in calls.transcripts]
    learning, held = split({lab.call_id for lab in known}, holdout)
    learn_labels = [lab for lab in known if lab.call_id in set(learning)]
    held_labels = [lab for lab in known if lab.call_id in set(held)]
    edit = _Editor(calls.rubric, rubric_path)
    base = calls.rubric

    def agreement(rubric: Rubric, which: list[Label]) -> tuple[Stats, dict]:
        ids = {lab.call_id for lab in which}
        sub = CalibrationCalls(rubric, {c: t for c, t in calls.transcripts.items() if c in ids},
                               answers=calls.answers)   # a model is asked each question once
        results = score_calls(sub, rubric, pass_mark)
        return calibrate(sub, which, results=results, locate=False).overall, results

    out = Learnt(base, edit.text(), learning, held)
    out.learning_before, results = agreement(base, learn_labels)
    out.holdout_before = agreement(base, held_labels)[0] if held_labels else None
    out.suggestions = _candidates(calls, learn_labels, results, base, pass_mark)
    errors_before = _lint_errors(edit.text() or edit.dump(base))
    say(f"measuring {len(out.suggestions)} suggestions on {len(learning)} learning calls")
    current, current_stats, current_results = base, out.learning_before, results
    for i, sug in enumerate(out.suggestions, start=1):
        trial = edit.apply(current, sug)
        if trial is None:
            sug.note = "does not apply to this rubric"
            continue
        problem = _lint_problem(edit, trial, sug, errors_before)
        if problem:
            sug.note = problem
            continue
        stats, results = agreement(trial, learn_labels)
        sug.gain = stats.agreed - current_stats.agreed
        fixed = verdict(results.get(sug.label.call_id, {}).get(sug.criterion)) == sug.label.label
        if sug.gain < 0:
            sug.note = f"lowers agreement by {-sug.gain}"
        elif not fixed:
            sug.note = "does not fix the disagreement it comes from"
        elif sug.gain == 0:
            sug.note = "fixes its disagreement but breaks another"
        elif lost := _lost_elsewhere(sug, current_results, results):
            # what cuts matches from calls it was not learnt from (a threshold, or a phrasing
            # that shifts the words' weights) guesses where their good matches end
            sug.note = f"removes {lost} from other calls"
        else:
            sug.kept = True
            current, current_stats, current_results = trial, stats, results
            edit.keep(sug)
        say(f"  {i}/{len(out.suggestions)} {'kept' if sug.kept else 'not kept'}: "
            f"{sug.describe()}")
    out.rubric = current
    out.rubric_text = edit.text()
    out.learning_after = current_stats
    out.holdout_after = agreement(current, held_labels)[0] if held_labels else None
    return out


def _lost_elsewhere(sug: Suggestion, before: dict, after: dict) -> str | None:
    """The matches of the suggestion's criterion that calls other than its own lose ("3
    matches"), or None."""
    def found(results: dict, call_id: str) -> set:
        r = results.get(call_id, {}).get(sug.criterion)
        return set() if r is None else {(m.utterance, m.step, m.kind) for m in r.moments
                                        if m.kind in ("match", "trigger", "violation")}
    lost = sum(len(found(before, c) - found(after, c)) for c in before
               if c != sug.label.call_id)
    return plural(lost, "match", "matches") if lost else None


# -- the suggestions ------------------------------------------------------------------------
def _candidates(calls: CalibrationCalls, labels: list[Label],
                results: dict[str, dict[str, CriterionResult]], rubric: Rubric,
                pass_mark: float | None) -> list[Suggestion]:
    compiled = compile_rubric(rubric, pass_mark=pass_mark)
    criteria = {c.id: c for c in rubric.criteria}
    out: list[Suggestion] = []
    seen: set[tuple] = set()
    for lab in labels:
        criterion = criteria.get(lab.criterion)
        result = results.get(lab.call_id, {}).get(lab.criterion)
        if criterion is None or result is None:
            continue
        tool = verdict(result)
        if tool == lab.label:
            continue
        check = criterion.check
        why = f"{lab.call_id}: reviewer {lab.label}, callcoach {tool}"
        made: list[Suggestion] = []
        missed = (lab.label == "pass" and check.type != "forbidden") or \
            (lab.label == "fail" and check.type == "forbidden") or \
            (lab.label != "na" and tool == "na")
        if missed:
            made += _phrasings(lab, criterion, result, compiled, why,
                               calls.transcripts[lab.call_id])
        else:
            made += _tightenings(lab, criterion, result, compiled, why,
                                 calls.transcripts[lab.call_id])
        for sug in made:
            key = (sug.kind, sug.criterion, sug.part, str(sug.value))
            if key not in seen:
                seen.add(key)
                out.append(sug)
    return out


def _phrasings(lab: Label, criterion, result: CriterionResult, compiled, why: str,
               transcript) -> list[Suggestion]:
    """A missed pass (or a missed violation, or a trigger never seen): each evidence quote,
    cut to phrase size, as a phrasing of the part it comes closest to."""
    check = criterion.check
    parts = CHECKS[check.type].parts(check)
    done = {m.step for m in result.moments if m.kind in ("match", "trigger")}
    out = []
    for ev in lab.evidence:
        quote = ev.quote
        if not normalize(quote):
            continue
        turn, _ = find_quote(ev, transcript)
        prospect_said = turn is not None and turn.role == "prospect"
        if check.type == "response":
            # a prospect's quote is the objection; a rep's, a step (only when the reviewer
            # passed the call: a failed call's rep quotes show what went wrong)
            targets = [p for p in parts if (p.name == "trigger") == prospect_said]
            if not prospect_said and lab.label != "pass":
                continue
        elif prospect_said:
            continue
        else:
            targets = [p for p in parts if p.name != "before"]
        # the part the quote comes closest to; a part already done (or already matching the
        # quote) means the miss is elsewhere (the window, the order), not in the phrasing
        best = None
        for part in targets:
            key = f"{criterion.id}/{part.name}"
            matcher = compiled.matcher(key)
            scan = matcher.scan(Document.from_texts([quote]), near_misses=True)
            near = scan.near_misses.get(key)
            found = scan.matches.get(key)
            sim = 100.0 if found else near.similarity if near is not None else 0.0
            text = near.text if near is not None and part.method != "verbatim" else None
            if best is None or sim > best[0]:
                best = (sim, part, text, bool(found))
        if best is None or best[3] or (best[1].step is not None and best[1].step in done):
            continue
        sim, part, text, _ = best
        phrase = _cut(text or normalize(quote))
        if len(phrase.split()) < 3:
            continue
        out.append(Suggestion("phrase", criterion.id, part.name, phrase, why, lab))
    return out


def _tightenings(lab: Label, criterion, result: CriterionResult, compiled, why: str,
                 transcript) -> list[Suggestion]:
    """A fail callcoach passed, a violation or trigger the reviewer did not count: the
    threshold just above the offending match, which becomes a match: false example."""
    check = criterion.check
    if check.type == "forbidden":
        offending = [m for m in result.moments if m.kind == "violation"]
    elif check.type == "response" and lab.label == "na":
        offending = [m for m in result.moments if m.kind == "trigger"]
    else:
        offending = [m for m in result.moments if m.kind == "match"]
    out = []
    for m in offending:
        if m.step not in (None, "trigger"):
            # a step's threshold is its check's, shared by every step: one step's false
            # match does not move it (objection handling's steps raised to 76.4 for one
            # call's "can I ask a couple more things first" cut acknowledgements elsewhere)
            continue
        part = "trigger" if m.step == "trigger" else "phrases"
        key = f"{criterion.id}/{part}"
        if key not in compiled.groups or compiled.methods[key] != "intent" or m.similarity is None:
            continue
        # the whole turn: a moment of a long one quotes only an excerpt, and its span is
        # in the whole normalised turn
        turn = transcript.utterances[m.utterance].text
        if len(turn) <= 200:
            example = {"text": turn}
        else:   # what matched, from the whole turn's normalised text
            said = normalize(turn)
            example = {"text": said[m.span[0]:m.span[1]] if m.span else said}
        if part != "phrases":
            example["step"] = part.removeprefix("step/")
        example["match"] = False
        raised = math.floor((m.similarity + THRESHOLD_STEP) * 10 + 1e-9) / 10
        if raised <= 100:
            out.append(Suggestion("threshold", criterion.id, part, raised, why, lab, example))
    return out


def _cut(text: str) -> str:
    words = text.split()
    return " ".join(words[:MAX_PHRASE_WORDS])


# -- applying them: the model for scoring, ruamel for the file -------------------------------
class _Editor:
    """Applies suggestions to the rubric model (to score with) and, for the kept ones, to the
    rubric file through ruamel.yaml's round trip (comments and order kept)."""

    def __init__(self, rubric: Rubric, path: Path | None):
        from ruamel.yaml import YAML

        self.yaml = YAML()
        self.yaml.preserve_quotes = True
        self.yaml.width = 4096
        self.yaml.indent(mapping=2, sequence=4, offset=2)
        self.doc = None
        if path is not None:
            self.doc = self.yaml.load(path.read_text(encoding="utf-8"))

    def apply(self, rubric: Rubric, sug: Suggestion) -> Rubric | None:
        data = rubric.model_dump(mode="json", by_alias=True, exclude_none=True)
        if not _edit(data, sug):
            return None
        return Rubric.model_validate(data)

    def keep(self, sug: Suggestion) -> None:
        if self.doc is not None:
            _edit(self.doc, sug)

    def dump(self, rubric: Rubric) -> str:
        """A rubric model as YAML (when there is no file to edit)."""
        buf = io.StringIO()
        self.yaml.dump(rubric.model_dump(mode="json", by_alias=True, exclude_none=True), buf)
        return buf.getvalue()

    def text(self) -> str:
        if self.doc is None:
            return ""
        buf = io.StringIO()
        self.yaml.dump(self.doc, buf)
        return buf.getvalue()

    def trial_text(self, sug: Suggestion) -> str | None:
        """The file as it would be with `sug` applied too (None without a file)."""
        if self.doc is None:
            return None
        doc = self.yaml.load(self.text())   # a fresh copy: deepcopy loses ruamel's comments
        _edit(doc, sug)
        buf = io.StringIO()
        self.yaml.dump(doc, buf)
        return buf.getvalue()


def _edit(data, sug: Suggestion) -> bool:
    """Apply `sug` to a rubric mapping (a plain dict or ruamel's); False when it has nowhere
    to go."""
    criterion = next((c for c in data["criteria"] if c.get("id") == sug.criterion), None)
    if criterion is None:
        return False
    check = criterion["check"]
    if sug.part == "phrases":
        target = check
    elif sug.part in ("before", "trigger"):
        target = check.get(sug.part)
    else:
        step = sug.part.removeprefix("step/")
        target = next((s for s in check.get("steps", []) if s.get("id") == step), None)
    if target is None:
        return False
    if sug.kind == "threshold":
        holder = target if sug.part in ("before", "trigger") else check
        if holder.get("threshold") is not None and float(holder["threshold"]) >= sug.value:
            return False
        holder["threshold"] = sug.value
        criterion.setdefault("examples", []).append(dict(sug.example))
        return True
    phrases = target.get("phrases")
    if phrases is None or sug.value in phrases:
        return False
    phrases.append(sug.value)
    return True


def _lint_errors(text: str) -> set[str]:
    """The rubric's lint errors, without their numbers (a new phrasing shifts every
    similarity a little: an error the rubric had already is still the same error)."""
    from callcoach.rubric.lint import lint_text

    return {re.sub(r"\d+(\.\d+)?", "#", f"{f.code}: {f.message}")
            for f in lint_text(text) if f.is_error}


def _lint_problem(edit: _Editor, rubric: Rubric, sug: Suggestion, before: set[str]) -> str:
    """The first lint error the suggestion would bring (empty when none; errors the rubric
    had already are not its doing)."""
    text = edit.trial_text(sug)
    new = sorted(_lint_errors(text if text is not None else edit.dump(rubric)) - before)
    return f"lint: {new[0]}" if new else ""
