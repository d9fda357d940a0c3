"""Run the benchmarks and write docs/benchmarks.md (one section per benchmark)."""

import importlib
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

BENCHMARKS = ["reading", "ner_compare", "scale"]
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


def main(names: list[str]) -> int:
    sections = []
    for name in names or BENCHMARKS:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}", flush=True)
        sections.append(module.run())
    header = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {datetime.now(UTC):%d/%m/%Y %H:%M} UTC.",
        f"Machine: {machine()}.",
        "",
    ]
    OUT.write_text("\n".join(header + sections) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
