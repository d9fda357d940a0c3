"""Hostile inputs (issue 11): archive bombs and quadratic texts through the whole reader.

Four inputs an outside review sent to the reader, rebuilt here with the same sizes:

* a DOCX of about 275 KB whose document.xml expands to 100 MB;
* a DOCX of about 2.4 MB whose document.xml expands to 1 GB;
* a DOCX of 3 million empty paragraphs;
* 4.9 MB of text: one paragraph of report text repeated.

Each is read by `load_document` and then `read_text` (what an upload and its review page do) in
a child process of its own, so that its peak resident memory (VmHWM) is its own; a run that
takes longer than the time limit is stopped and reported as "> limit". A second run measures
the peak memory traced by tracemalloc (Python allocations only: lxml's are not traced).

`python -m bench hostile_inputs` measures the current code and writes its section of
docs/benchmarks.md. `python -m bench.hostile_inputs --src DIR` prints the figures of another
copy of `src/` (the "before" figures below were measured that way, on the code before issue 11).
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 120  # seconds a run may take before it is stopped

# A paragraph of about 4 KB of report text: the bombs are text, not empty elements.
_SENTENCE = (
    "Trong tháng, toàn xã làm mới 2,4 km đường giao thông, trồng 1.250 cây xanh; thu ngân sách "
    "ước đạt 1.820 triệu đồng. "
)
_BODY = (
    '<w:p><w:r><w:t xml:space="preserve">'
    + _SENTENCE * (4_000 // len(_SENTENCE.encode()))
    + "</w:t></w:r></w:p>"
).encode()
_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body>"
)
_TAIL = "</w:body></w:document>"
_PARAGRAPH = (
    "Đảng ủy xã tổ chức hội nghị sơ kết công tác 6 tháng đầu năm 2022, triển khai nhiệm vụ 6 "
    "tháng cuối năm. Trong 6 tháng, toàn xã làm mới 1.135m đường giao thông nông thôn, trồng "
    "215 cây bóng mát; thu ngân sách ước đạt 3.750 triệu đồng/15.511 triệu đồng (đạt 24,2% kế "
    "hoạch huyện giao)."
)

# What the inputs are: (label, builder, argument).
INPUTS = {
    "docx_100mb": "DOCX, document.xml expanding to 100 MB",
    "docx_1gb": "DOCX, document.xml expanding to 1 GB",
    "docx_empty_paragraphs": "DOCX of 3 million empty paragraphs",
    "text_repeated": "4.9 MB text of one repeated paragraph",
}

# Measured once with `--src` on the code before issue 11 (commit 39b1666), this machine.
# The two CPUs were shared with other work, so the times are rough; text_repeated took 74.6 s
# in a first run.
BEFORE: dict[str, dict] = {
    "docx_100mb": {"time": "> 120 s", "rss": "654 MB when stopped"},
    "docx_1gb": {"time": "> 120 s", "rss": "2334 MB when stopped"},
    "docx_empty_paragraphs": {"time": "> 120 s", "rss": "732 MB when stopped"},
    "text_repeated": {"time": "107.7 s", "rss": "62 MB"},
}


def _docx(path: Path, units) -> None:
    """A DOCX whose document.xml is the concatenation of `units`, streamed to the archive."""
    from docx import Document

    base = io.BytesIO()
    Document().save(base)
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, source.read(info))
        with out.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(_HEAD.encode())
            for unit in units:
                member.write(unit)
            member.write(_TAIL.encode())


def _repeat(unit: bytes, total: int, chunk: int = 1 << 20):
    block = unit * max(1, chunk // len(unit))
    for _ in range(round(total / len(block))):
        yield block


def build(name: str, folder: Path) -> Path:
    if name == "docx_100mb":
        path = folder / "bomb-100mb.docx"
        _docx(path, _repeat(_BODY, 100 * 10**6))
    elif name == "docx_1gb":
        path = folder / "bomb-1gb.docx"
        _docx(path, _repeat(_BODY, 10**9))
    elif name == "docx_empty_paragraphs":
        path = folder / "empty-paragraphs.docx"
        _docx(path, _repeat(b"<w:p/>", 3_000_000 * 6, chunk=6 * 100_000))
    elif name == "text_repeated":
        path = folder / "repeated.txt"
        unit = (_PARAGRAPH + "\n\n").encode()
        path.write_bytes(unit * (4_900_000 // len(unit)))
    else:
        raise ValueError(name)
    return path


def _peak_rss(pid: int) -> int | None:
    """VmHWM (peak resident set) of a running process, in bytes; None if unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def measure(path: Path, *, src: Path | None = None, traced: bool = False, limit=LIMIT) -> dict:
    """Read `path` in a child process; its time, peak memory and outcome."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in (src or ROOT / "src", ROOT))
    command = [sys.executable, "-m", "bench.hostile_inputs", "--child", str(path)]
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        command + (["--traced"] if traced else []),
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    started, rss = time.monotonic(), None
    while child.poll() is None:
        rss = _peak_rss(child.pid) or rss
        if time.monotonic() - started > limit:
            child.kill()
            child.wait()
            return {"seconds": None, "rss": rss, "traced": None, "outcome": f"> {limit} s"}
        time.sleep(0.05)
    output = child.stdout.read()
    if child.returncode != 0:
        return {"seconds": None, "rss": rss, "traced": None, "outcome": f"exit {child.returncode}"}
    return json.loads(output)


def _child(path: Path, traced: bool) -> None:
    import tracemalloc

    import xaso
    from xaso.reading import ReadError, read_text
    from xaso.reading.source import load_document

    data = path.read_bytes()
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        text, warnings = load_document(data, path.name)
        extraction = read_text(text, source=path.name, warnings=warnings)
        outcome = f"read: {len(extraction.text)} characters"
    except ReadError as error:
        outcome = f"ReadError: {error}"
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if traced else None
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rss": rss,
                "traced": peak,
                "outcome": outcome,
                "code": xaso.__file__,
            }
        )
    )


def _mb(value) -> str:
    if value is None:
        return "–"
    return f"{value / 10**6:.0f} MB" if value >= 10**6 else f"{value / 1000:.0f} KB"


def _time(row: dict) -> str:
    return row["outcome"] if row["seconds"] is None else f"{row['seconds']:.2f} s"


def collect(src: Path | None = None, *, traced: bool = True, limit=LIMIT) -> dict[str, dict]:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in INPUTS:
            path = build(name, Path(tmp))
            row = measure(path, src=src, limit=limit)
            row["size"] = path.stat().st_size
            if traced and row["seconds"] is not None:
                row["traced"] = measure(path, src=src, traced=True, limit=limit)["traced"]
            print(name, row, flush=True)
            results[name] = row
            path.unlink()
    return results


def run() -> str:
    after = collect()
    lines = [
        "## Hostile inputs (`xaso.reading`, issue 11)",
        "",
        "Each input read by `load_document` then `read_text`, in a child process of its own "
        f"(stopped after {LIMIT} s). Peak RSS is the child's VmHWM, Python and its libraries "
        "included (about 35 MB before reading anything); traced is tracemalloc's peak of "
        "Python allocations during the reading, measured in a second run.",
        "",
        "| input | file | before: time | before: peak RSS | after: time | after: peak RSS "
        "| after: traced | after: outcome |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, label in INPUTS.items():
        row, old = after[name], BEFORE.get(name, {})
        lines.append(
            f"| {label} | {row['size'] / 1024:.0f} KB | {old.get('time', '–')} "
            f"| {old.get('rss', '–')} | {_time(row)} | {_mb(row['rss'])} | {_mb(row['traced'])} "
            f"| {row['outcome']} |"
        )
    lines += [
        "",
        "The two bombs declare their sizes truthfully and are refused from the declared total; "
        "a bomb whose header understates its size is refused while decompressing (the bytes "
        "are counted, and zipfile's CRC check fails): see `tests/fuzz/test_reading_fuzz.py`. "
        "The repeated text is read: one pass collapses it to the one paragraph.",
        "",
        "“Before” is the code before issue 11 (commit 39b1666), measured once with "
        "`python -m bench.hostile_inputs --src DIR` on this machine; a run still going after "
        f"{LIMIT} s was stopped, and its peak RSS is what it had reached by then.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--src", type=Path, help="the src/ folder of the code to measure")
    parser.add_argument("--limit", type=float, default=LIMIT, help="seconds per run")
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.traced)
        return 0
    results = collect(args.src, traced=False, limit=args.limit)
    for name, row in results.items():
        print(f"{name}: {_time(row)}, peak RSS {_mb(row['rss'])}, {row['outcome']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
