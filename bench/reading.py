"""Reading speed: documents of about 10 KB through the whole reader (decode, clean, extract),
on one core; and peak memory when streaming 10× more documents (it must stay flat)."""

import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench.corpus import document
from xaso.reading import read_path

DOCS = 400
REPEATS = 5


def _write(folder: Path, count: int, offset: int = 0) -> list[Path]:
    paths = []
    for seed in range(offset, offset + count):
        path = folder / f"doc{seed}.txt"
        path.write_text(document(seed), encoding="utf-8")
        paths.append(path)
    return paths


def _rate(paths: list[Path]) -> float:
    started = time.perf_counter()
    for path in paths:
        read_path(path)
    return len(paths) / (time.perf_counter() - started)


def _peak(paths) -> int:
    tracemalloc.start()
    for path in paths:
        read_path(path)  # streamed: nothing kept between documents
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def run() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = _write(folder, DOCS)
        size = statistics.mean(path.stat().st_size for path in paths)
        figures = statistics.mean(len(read_path(path).figures) for path in paths[:50])
        _rate(paths[:20])  # warm caches and compiled patterns
        rates = [_rate(paths) for _ in range(REPEATS)]
        more = paths + _write(folder, DOCS * 9, offset=DOCS)
        peaks = {count: _peak(more[:count]) for count in (DOCS, DOCS * 5, DOCS * 10)}
        small_peak, large_peak = peaks[DOCS], peaks[DOCS * 10]
    median = statistics.median(rates)
    print(
        f"reading: {median:.0f} docs/s (median of {REPEATS}); peak {small_peak} B vs {large_peak} B"
    )
    return "\n".join(
        [
            "## Reading reports (`xaso.reading`, issue 4)",
            "",
            f"{DOCS} documents of our own corpus (`bench/corpus.py`), {size / 1024:.1f} KB each on "
            f"average with {figures:.0f} figures each (the seeds have about 2 per KB), "
            "UTF-8 text files read from disk through `read_path` (decode, strip furniture, "
            "extract meeting, people, places, figures, ratios, lists), one process, one core.",
            "",
            "| measure | result | target |",
            "|---|---|---|",
            f"| documents per second (median of {REPEATS} runs) | **{median:.0f}** "
            f"(runs: {', '.join(f'{r:.0f}' for r in rates)}) | ≥ 200 |",
            *[
                f"| peak traced memory (tracemalloc), {count} documents streamed | "
                f"{peak / 1024:.0f} KiB | flat |"
                for count, peak in peaks.items()
            ],
            "",
            "Memory is the largest document being read plus bounded caches (parsed numbers, "
            "plan wordings, legacy-encoding words: `functools.lru_cache` with fixed sizes) that "
            "fill during the first thousand documents and then stay put; nothing is kept per "
            "document.",
            "",
        ]
    )
