"""Validate the PLOVER trigger lexicon and measure its coverage of the coder test sentences.

Why: ``src/eventcoder/data/triggers.tsv`` is hand-edited data that the coder trusts blindly, so a typo
(an unknown type, a non-lowercase lemma, a CAMEO code that does not exist, two rows that shadow each
other) would silently change coding. This script catches those, then reports how many typed sentences
of ``tests/data/coder_sentences.jsonl`` contain a trigger lemma of their gold type (an upper bound on
the coder's recall) and how many get that type from the context-aware matcher.

Usage: python scripts/check_lexicon.py [--lexicon P] [--sentences P] [--cameo P] [--gold P] [--no-coverage]
The CAMEO check and the gold measurement run only when the reference files exist (../shared/... beside the project).
Exit status 1 when the lexicon has errors.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LEXICON = ROOT / "src" / "eventcoder" / "data" / "triggers.tsv"
DEFAULT_SENTENCES = ROOT / "tests" / "data" / "coder_sentences.jsonl"
SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT_CAMEO = SHARED / "dictionaries" / "CAMEO_goldstein.tsv"
DEFAULT_GOLD = SHARED / "gold" / "plover_gsr_dev.json"

COLUMNS = ("lemma", "pos", "event_type", "mode", "cameo", "context", "weight")
POS_TAGS = ("VERB", "NOUN")
WEIGHT_MIN, WEIGHT_MAX = 0.3, 1.0

#: PLOVER modes by event type (PLOVER codebook and CAMEO2PLOVER-2021); types absent here have none.
PLOVER_MODES: dict[str, frozenset[str]] = {
    "AGREE": frozenset(),
    "SUPPORT": frozenset(),
    "CONCEDE": frozenset(),
    "COOPERATE": frozenset(),
    "AID": frozenset(),
    "CONSULT": frozenset({"visit", "third-party", "multilateral", "phone"}),
    "RETREAT": frozenset({"withdraw", "release", "return", "disarm", "ceasefire", "access", "resign"}),
    "REQUEST": frozenset({"assist", "change", "yield", "meet"}),
    "ACCUSE": frozenset({"disapprove", "investigate", "allege"}),
    "REJECT": frozenset({"assist", "change", "yield", "meet"}),
    "THREATEN": frozenset({
        "restrict", "ban", "arrest", "relations", "rights", "expel", "territory", "violence", "political",
    }),
    "PROTEST": frozenset({"demo", "riot", "strike", "hunger", "boycott", "obstruct"}),
    "SANCTION": frozenset({"convict", "expel", "withdraw", "discontinue"}),
    "MOBILIZE": frozenset({"troops", "weapons", "police", "militia"}),
    "COERCE": frozenset({
        "seize", "restrict", "ban", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
        "misinformation", "cyber",
    }),
    "ASSAULT": frozenset({
        "abduct", "beat", "torture", "execute", "sexual", "assassinate", "destroy", "primitive", "firearms",
        "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control", "cleansing",
        "massacre", "unconventional",
    }),
}
PLOVER_TYPES = tuple(PLOVER_MODES)


@dataclass(slots=True)
class LexiconReport:
    """Outcome of validating the lexicon file."""

    n_rows: int = 0
    errors: list[str] = field(default_factory=list)
    by_type: Counter[str] = field(default_factory=Counter)
    by_pos: Counter[str] = field(default_factory=Counter)
    n_context_rows: int = 0
    cameo_checked: bool = False


@dataclass(slots=True)
class TypeCoverage:
    """Coverage of one PLOVER type over the typed test sentences."""

    event_type: str
    n_sentences: int
    n_lemma_hit: int
    n_matcher_hit: int


@dataclass(slots=True)
class CoverageReport:
    """Coverage of the lexicon over the whole test set."""

    per_type: list[TypeCoverage]
    n_typed: int
    n_lemma_hit: int
    n_matcher_hit: int
    n_null: int
    n_null_with_trigger: int


def _data_lines(path: Path) -> list[tuple[int, str]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.strip() and not line.startswith("#"):
                out.append((lineno, line.rstrip("\n")))
    return out


def load_cameo_codes(path: Path) -> set[str] | None:
    """CAMEO codes of the reference Goldstein table, or None when the table is absent."""
    if not path.is_file():
        return None
    with open(path, encoding="utf-8") as fh:
        rows = csv.reader(fh, delimiter="\t")
        return {row[0].strip() for row in rows if row and row[0].strip().isdigit()}


def validate_lexicon(path: Path, cameo_codes: set[str] | None) -> LexiconReport:
    """Check columns, types, modes, lemmas, weights, CAMEO codes and duplicate keys."""
    report = LexiconReport(cameo_checked=cameo_codes is not None)
    lines = _data_lines(path)
    if not lines:
        report.errors.append("empty lexicon")
        return report
    header = tuple(lines[0][1].split("\t"))
    if header != COLUMNS:
        report.errors.append(f"header is {header}, expected {COLUMNS}")
        return report
    seen: dict[tuple[str, str, str], int] = {}
    for lineno, line in lines[1:]:
        cells = line.split("\t")
        where = f"line {lineno}"
        if len(cells) != len(COLUMNS):
            report.errors.append(f"{where}: {len(cells)} columns, expected {len(COLUMNS)}")
            continue
        lemma, pos, event_type, mode, cameo, context, weight = (c.strip() for c in cells)
        report.n_rows += 1
        if not lemma or lemma != lemma.lower() or " " in lemma:
            report.errors.append(f"{where}: lemma {lemma!r} must be one lowercase token")
        if pos not in POS_TAGS:
            report.errors.append(f"{where}: pos {pos!r} not in {POS_TAGS}")
        if event_type not in PLOVER_MODES:
            report.errors.append(f"{where}: unknown event type {event_type!r}")
        elif mode and mode not in PLOVER_MODES[event_type]:
            report.errors.append(f"{where}: mode {mode!r} is not a PLOVER mode of {event_type}")
        if cameo and not cameo.isdigit():
            report.errors.append(f"{where}: CAMEO code {cameo!r} is not numeric")
        elif cameo and cameo_codes is not None and cameo not in cameo_codes:
            report.errors.append(f"{where}: CAMEO code {cameo} not in the CAMEO Goldstein table")
        if context != context.lower():
            report.errors.append(f"{where}: context must be lowercase")
        try:
            w = float(weight)
            if not WEIGHT_MIN <= w <= WEIGHT_MAX:
                report.errors.append(f"{where}: weight {w} outside {WEIGHT_MIN}-{WEIGHT_MAX}")
        except ValueError:
            report.errors.append(f"{where}: weight {weight!r} is not a number")
        key = (lemma, pos, " ".join(sorted(context.split())))
        if key in seen:
            report.errors.append(f"{where}: duplicate of line {seen[key]} for {key}")
        else:
            seen[key] = lineno
        report.by_type[event_type] += 1
        report.by_pos[pos] += 1
        report.n_context_rows += bool(context)
    for event_type in PLOVER_TYPES:
        if report.by_type[event_type] == 0:
            report.errors.append(f"no trigger row for {event_type}")
    return report


def load_test_sentences(path: Path) -> list[tuple[str, str | None]]:
    """(sentence, gold type) pairs of the coder test set (JSON lines)."""
    with open(path, encoding="utf-8") as fh:
        return [(rec["sentence"], rec.get("type")) for rec in map(json.loads, fh) if rec]


def load_gold_sentences(path: Path) -> list[tuple[str, str | None]]:
    """(sentence, 16-type label) pairs of the PLOVER gold file: measurement only, never tuning."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return [(rec["text"], rec.get("plover16")) for rec in data.get("records", [])]


def measure_coverage(lexicon_path: Path, records: list[tuple[str, str | None]]) -> CoverageReport:
    """Parse the sentences with the project's spaCy model and look for triggers of the gold type."""
    from eventcoder.pipeline.nlp import load_nlp
    from eventcoder.pipeline.triggers import TriggerLexicon

    lexicon = TriggerLexicon.from_file(lexicon_path)
    types_of_lemma: dict[str, set[str]] = defaultdict(set)
    for rule in lexicon.rules:
        types_of_lemma[rule.lemma].add(rule.event_type)
    nlp = load_nlp()
    totals: Counter[str] = Counter()
    lemma_hits: Counter[str] = Counter()
    matcher_hits: Counter[str] = Counter()
    n_null = n_null_trig = 0
    for (_, gold), doc in zip(records, nlp.pipe(text for text, _ in records), strict=True):
        lemma_types = {t for tok in doc for t in types_of_lemma.get(tok.lemma_.lower(), ())}
        matched = {rule.event_type for tok in doc if (rule := lexicon.match(tok)) is not None}
        if gold is None:
            n_null += 1
            n_null_trig += bool(matched)
            continue
        totals[gold] += 1
        lemma_hits[gold] += gold in lemma_types
        matcher_hits[gold] += gold in matched
    per_type = [
        TypeCoverage(t, totals[t], lemma_hits[t], matcher_hits[t]) for t in PLOVER_TYPES if totals[t]
    ]
    return CoverageReport(
        per_type=per_type,
        n_typed=sum(totals.values()),
        n_lemma_hit=sum(lemma_hits.values()),
        n_matcher_hit=sum(matcher_hits.values()),
        n_null=n_null,
        n_null_with_trigger=n_null_trig,
    )


def _pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:5.1f}%" if b else "   n/a"


def _print_coverage(name: str, path: Path, cov: CoverageReport) -> None:
    print(f"coverage over the {name}, {path.name} ({cov.n_typed} typed, {cov.n_null} without event):")
    print(f"  {'type':<10} {'n':>3}  {'lemma':>6}  {'matcher':>7}")
    for tc in cov.per_type:
        print(f"  {tc.event_type:<10} {tc.n_sentences:>3}  {_pct(tc.n_lemma_hit, tc.n_sentences)}  "
              f"{_pct(tc.n_matcher_hit, tc.n_sentences):>7}")
    print(f"  {'ALL':<10} {cov.n_typed:>3}  {_pct(cov.n_lemma_hit, cov.n_typed)}  "
          f"{_pct(cov.n_matcher_hit, cov.n_typed):>7}")
    if cov.n_null:
        print(f"  sentences without event that contain some trigger (the coder must filter these): "
              f"{cov.n_null_with_trigger}/{cov.n_null}")


def main(argv: list[str] | None = None) -> int:
    """Run the checks and print a report; non-zero exit on lexicon errors."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lexicon", type=Path, default=DEFAULT_LEXICON)
    parser.add_argument("--sentences", type=Path, default=DEFAULT_SENTENCES)
    parser.add_argument("--cameo", type=Path, default=DEFAULT_CAMEO)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="PLOVER gold file (if present)")
    parser.add_argument("--no-coverage", action="store_true", help="skip the spaCy coverage pass")
    args = parser.parse_args(argv)

    report = validate_lexicon(args.lexicon, load_cameo_codes(args.cameo))
    print(f"lexicon: {args.lexicon}")
    print(f"  rows: {report.n_rows} ({report.by_pos['VERB']} VERB, {report.by_pos['NOUN']} NOUN, "
          f"{report.n_context_rows} with context)")
    print("  rows per type: " + ", ".join(f"{t} {report.by_type[t]}" for t in PLOVER_TYPES))
    print(f"  CAMEO codes checked against reference table: {'yes' if report.cameo_checked else 'no (absent)'}")
    for err in report.errors:
        print(f"  ERROR {err}")
    print(f"  errors: {len(report.errors)}")

    if not args.no_coverage:
        for name, path, loader in (
            ("test set", args.sentences, load_test_sentences),
            ("PLOVER gold dev (measurement only)", args.gold, load_gold_sentences),
        ):
            if path.is_file():
                _print_coverage(name, path, measure_coverage(args.lexicon, loader(path)))
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
