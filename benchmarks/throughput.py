"""Throughput: bare spaCy vs `eventcoder run` end to end (and the Spark engine), in one run.

    python benchmarks/throughput.py [--corpus ../shared/corpus/guardian_sdf_sample.jsonl] [--workers 2]

(a) bare baseline: ``nlp.pipe`` over every article text with the same model as spaCy ships it
(``spacy.load``, none of our components or replacements) and the same number of processes;
(b) ``eventcoder run`` end to end (ingest to DuckDB, merge included) with ``--workers N``;
(c) ``eventcoder run --engine spark`` in ``local[N]`` (JVM start included); with ``--spark-scale K``,
also (b) and (c) on the corpus K times over, where fixed start-up costs weigh less. Each runs as its own
process tree; wall time and the peak resident memory of the whole tree (sampled from /proc every
0.1 s) are printed, then the ``eventcoder evaluate`` figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = [SHARED / "gold" / "plover_gsr_dev.json", ROOT / "tests" / "data" / "coder_sentences.jsonl",
        ROOT / "tests" / "data" / "sample_gold.json"]

BASELINE = """
import sys, time
from eventcoder.pipeline.ingest import read_inputs
from eventcoder.models import Article
from eventcoder.pipeline.nlp import spacy_model
texts = [r.text for r in read_inputs([sys.argv[1]]) if isinstance(r, Article)]
nlp = spacy_model()  # the stock pipeline, as spaCy ships it (none of our components)
n = int(sys.argv[2])
t = time.perf_counter()
for _ in nlp.pipe(texts, n_process=n, batch_size=16):
    pass
print(len(texts), time.perf_counter() - t)
"""


def _tree_rss_kb(pid: int) -> int:
    """Resident memory (kB) of a process and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                total += next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


def measure(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak tree RSS (MB) and stdout of a command."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.1)
    out, err = proc.communicate()
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {err.strip().splitlines()[-1] if err.strip() else proc.returncode}")
    return wall, peak / 1024, out


def count_articles(corpus: Path) -> int:
    from eventcoder.models import Article
    from eventcoder.pipeline.ingest import read_inputs

    return sum(isinstance(r, Article) for r in read_inputs([corpus]))


def write_scaled(corpus: Path, out: Path, k: int) -> int:
    """The corpus ``k`` times over as one JSONL file: copy ``c`` of every record gets the id suffix
    ``-c<c>`` and a closing line naming the copy (so content hashes differ; the line recurs in every
    article of the copy, so the boilerplate pass drops it again). Returns the number of records."""
    import json

    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    with out.open("w", encoding="utf-8") as fh:
        for c in range(k):
            for rec in records:
                if c:
                    rec = dict(rec, id=f"{rec.get('id')}-c{c}", text=f"{rec.get('text', '')}\n\nBenchmark copy {c}.")
                fh.write(json.dumps(rec) + "\n")
    return k * len(records)


def evaluate_figures() -> None:
    for gold in GOLD:
        if not gold.exists():
            print(f"  {gold}: absent, skipped")
            continue
        out = subprocess.run(["eventcoder", "evaluate", "--gold", str(gold)], capture_output=True, text=True,
                             cwd=ROOT, env=dict(os.environ, COLUMNS="100")).stdout
        lines = [ln.strip() for ln in out.split("Per type")[0].split("Missed")[0].splitlines()]
        keep = [ln for ln in lines if ln and not ln.startswith(("eventcoder evaluate", "figure", "─", "Missed"))][:12]
        print(f"  {gold.relative_to(ROOT.parent)}:")
        for ln in keep:
            print(f"    {ln}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "guardian_sdf_sample.jsonl")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--prefilter", default="fast", choices=["off", "fast", "safe", "triggers"])
    ap.add_argument("--repeat", type=int, default=2,
                    help="rounds; each round runs every command once, in turn, and the fastest run of each is kept "
                         "(the machine's load drifts; taking each one's best, as timeit does, compares like with like)")
    ap.add_argument("--no-spark", action="store_true", help="skip the Spark engine")
    ap.add_argument("--spark-scale", type=int, default=1, metavar="K",
                    help="also compare Spark with the local engine on the corpus K times over (each copy's "
                         "texts made distinct by a closing line the boilerplate pass removes), so fixed "
                         "start-up costs weigh less than on 237 articles")
    ap.add_argument("--no-evaluate", action="store_true", help="skip the evaluate figures")
    args = ap.parse_args()
    corpus = args.corpus.resolve()
    if not corpus.exists():
        raise SystemExit(f"no corpus at {corpus}")
    n = count_articles(corpus)
    print(f"corpus: {corpus} ({n} articles); processes: {args.workers}; cores: {os.cpu_count()}; "
          f"rounds: {args.repeat}; load average before: {os.getloadavg()[0]:.2f}")
    spark = not args.no_spark
    if spark:
        try:
            import pyspark  # noqa: F401
        except ImportError:
            print("spark: pyspark not installed (pip install 'eventcoder[spark]'), skipped")
            spark = False
    best: dict[str, tuple[float, float]] = {}  # what -> (seconds, peak MB) of its fastest run
    pipe_best = float("inf")

    def keep(what: str, wall: float, mem: float) -> None:
        if what not in best or wall < best[what][0]:
            best[what] = (wall, mem)
        print(f"  round {r + 1}: {what}: {wall:.1f} s, peak {mem:.0f} MB", flush=True)

    bare = "bare spaCy process (incl. start, load, read)"
    local = f"eventcoder run --workers {args.workers} (end to end)"
    spark_name = f"eventcoder run --engine spark (local[{args.workers}], JVM start incl.)"
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.repeat):
            wall, mem, out = measure([sys.executable, "-c", BASELINE, str(corpus), str(args.workers)])
            pipe_best = min(pipe_best, float(out.split()[1]))
            keep(bare, wall, mem)
            db = Path(tmp) / f"bench{r}.duckdb"
            wall, mem, _ = measure(["eventcoder", "run", str(corpus), "--db", str(db), "--workers", str(args.workers),
                                    "--prefilter", args.prefilter, "--quiet"])
            keep(local, wall, mem)
            if spark:
                wall, mem, _ = measure(["eventcoder", "run", str(corpus), "--engine", "spark", "--workers",
                                        str(args.workers), "--out", str(Path(tmp) / f"parquet{r}"),
                                        "--prefilter", args.prefilter, "--quiet"])
                keep(spark_name, wall, mem)
        if spark and args.spark_scale > 1:
            scaled = Path(tmp) / f"scaled{args.spark_scale}.jsonl"
            n_scaled = write_scaled(corpus, scaled, args.spark_scale)
            scaled_best: dict[str, float] = {}
            for r in range(args.repeat):
                for what, extra in (("local", ["--db", str(Path(tmp) / f"scaled{r}.duckdb")]),
                                    ("spark", ["--engine", "spark", "--out", str(Path(tmp) / f"scaled-parquet{r}")])):
                    wall, mem, _ = measure(["eventcoder", "run", str(scaled), *extra, "--workers", str(args.workers),
                                            "--prefilter", args.prefilter, "--quiet"])
                    scaled_best[what] = min(scaled_best.get(what, wall), wall)
                    print(f"  round {r + 1}: {what} on the corpus x{args.spark_scale} ({n_scaled} articles): "
                          f"{wall:.1f} s, peak {mem:.0f} MB", flush=True)
    print(f"\n{'what (fastest of ' + str(args.repeat) + ')':<62} {'seconds':>8} {'art/s':>7} {'peak MB':>8}")
    print(f"{'bare spaCy nlp.pipe (model loaded)':<62} {pipe_best:8.1f} {n / pipe_best:7.2f} {best[bare][1]:8.0f}")
    for name, (secs, mb) in best.items():
        print(f"{name:<62} {secs:8.1f} {n / secs:7.2f} {mb:8.0f}")
    local_wall = best[local][0]
    print(f"\nend-to-end / bare spaCy throughput: {best[bare][0] / local_wall:.2f}x (target >= 1.5x; same "
          f"{args.workers} processes, both counted from process start)")
    print(f"end-to-end / bare nlp.pipe only:   {pipe_best / local_wall:.2f}x")
    print(f"peak memory of eventcoder run: {best[local][1]:.0f} MB (target <= 1536 MB)")
    if spark:
        print(f"spark local[{args.workers}] / local engine throughput: {local_wall / best[spark_name][0]:.2f}x "
              "(target >= 0.8x)")
    if spark and args.spark_scale > 1:
        print(f"spark local[{args.workers}] / local engine on the corpus x{args.spark_scale} ({n_scaled} articles): "
              f"{scaled_best['local']:.1f} s / {scaled_best['spark']:.1f} s = "
              f"{scaled_best['local'] / scaled_best['spark']:.2f}x")
    print(f"cost per article per core: {local_wall * args.workers / n * 1000:.0f} ms (end to end), "
          f"{pipe_best * args.workers / n * 1000:.0f} ms (bare nlp.pipe)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if not args.no_evaluate:
        print("\neventcoder evaluate:")
        evaluate_figures()


if __name__ == "__main__":
    main()
