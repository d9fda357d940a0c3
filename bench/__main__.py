"""Run the benchmarks and write docs/benchmarks.md (one section per benchmark)."""

import importlib
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

BENCHMARKS = [
    "reading",
    "unseen",
    "ocr",
    "hostile_inputs",
    "ner_compare",
    "scale",
    "scale_years",
    "entry_load",
    "bulk_writes",
    "publishing",
    "exchange",
]
# The order of the sections in the file: a benchmark may write a section of another name
# (its SECTION: scale_years at XASO_BENCH_SCALE=L writes scale_years_l, beside scale M's).
_AFTER_YEARS = BENCHMARKS.index("scale_years") + 1
SECTIONS = [*BENCHMARKS[:_AFTER_YEARS], "scale_years_l", *BENCHMARKS[_AFTER_YEARS:]]
OUT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import os

    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def stamped(section: str, when: str, on: str) -> str:
    """The section with when and where it was measured, under its heading: the file's
    sections are written by separate runs, on whatever machine a session had."""
    heading, _, rest = section.partition("\n")
    return f"{heading}\n\nMeasured {when} on {on}.\n{rest}"


def _previous_sections() -> dict[str, str]:
    """Sections of the last run, by benchmark name, so that running one keeps the others."""
    if not OUT.exists():
        return {}
    sections, name = {}, None
    for line in OUT.read_text(encoding="utf-8").splitlines():
        if line.startswith("<!-- bench:"):
            name = line.removeprefix("<!-- bench:").removesuffix(" -->")
            sections[name] = []
        if name:
            sections[name].append(line)
    return {key: "\n".join(lines) for key, lines in sections.items()}


def main(names: list[str]) -> int:
    fresh = {}
    for name in names or BENCHMARKS:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}", flush=True)
        section = getattr(module, "SECTION", name)
        # A blank line after each section, as the sections read back from the file have.
        text = stamped(module.run().rstrip(), f"{datetime.now(UTC):%d/%m/%Y %H:%M} UTC", machine())
        fresh[section] = f"<!-- bench:{section} -->\n{text}\n"
    # The other sections as the file has them now, not as it had them when the run began:
    # a section written meanwhile by another run is kept.
    sections = {**_previous_sections(), **fresh}
    header = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (last run {datetime.now(UTC):%d/%m/%Y %H:%M} UTC). Each "
        "section says what it measured, and when and on what machine (a section without "
        "that line was written before the runs recorded it: its machine is not on record; "
        "sections of one file may come from different machines).",
        "",
    ]
    ordered = [sections[name] for name in SECTIONS if name in sections]
    OUT.write_text("\n".join(header + ordered) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
