"""Write the "Mutation testing" section of docs/testing.md from mutmut's results.

Run by `make mutants` after `mutmut run`. Reads mutants/**/*.meta (each mutant's exit code),
counts per module, and lists the surviving mutants with the explanation kept for each in
tools/mutants_notes.toml: "equivalent (why)", or the test that kills it now. Only the
section's body is replaced; the rest of docs/testing.md is left as it is.
"""

import datetime
import json
import re
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = Path("mutants")
NOTES = ROOT / "tools" / "mutants_notes.toml"
DOC = ROOT / "docs" / "testing.md"
HEADING = "## Mutation testing"

STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests"}
STATUS.update(dict.fromkeys((36, 24, -24, 152, 255), "timeout"))
STATUS[None] = "not checked"


def results() -> dict[str, dict[str, str]]:
    """{module: {mutant name: status}}"""
    found: dict[str, dict[str, str]] = {}
    for meta in sorted(MUTANTS.glob("src/**/*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        if not codes:
            continue
        module = ".".join(meta.relative_to(MUTANTS / "src").with_suffix("").with_suffix("").parts)
        found[module] = {name: STATUS.get(code, "suspicious") for name, code in codes.items()}
    return found


def changed_line(name: str) -> str:
    """The line the mutant changes, as mutmut shows it ("-old" → "+new")."""
    shown = subprocess.run(  # noqa: S603 — our own tool, our own mutant names
        [sys.executable, "-m", "mutmut", "show", name],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    old = [line[1:].strip() for line in shown.splitlines() if re.match(r"-(?!--)", line)]
    new = [line[1:].strip() for line in shown.splitlines() if re.match(r"\+(?!\+\+)", line)]
    return f"`{' '.join(old)[:90]}` → `{' '.join(new)[:90]}`" if old or new else ""


def earlier(text: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The table rows and survivor lines of the section as it stands, by module: kept for the
    modules this mutants/ did not run (mutmut's results are per checkout and can be lost)."""
    rows: dict[str, str] = {}
    survivors: dict[str, list[str]] = {}
    for line in text.splitlines():
        row = re.match(r"\| (xaso\.[\w.]+)( †)? \|", line)
        if row:
            rows[row.group(1)] = line.replace(f"| {row.group(1)} † |", f"| {row.group(1)} |", 1)
        name = re.match(r"- `(xaso\.[^`]+)`", line)
        if name and "__mutmut_" in name.group(1) and " → " in line:
            module = name.group(1).split(".x")[0]
            survivors.setdefault(module, []).append(line)
    return rows, survivors


def section(found: dict[str, dict[str, str]], notes: dict, before_text: str = "") -> str:
    explained = notes.get("mutant", {})
    old_rows, old_survivors = earlier(before_text)
    carried: list[str] = []
    before = notes.get("before", {})
    lines = [
        HEADING,
        "",
        "Run with `make mutants` (mutmut 3, configured in `[tool.mutmut]` of pyproject.toml; not",
        "part of `make test` nor `.ci/run`). Each mutant runs only the tests that call the",
        "function it changes, drawn from the module's own tests (tests/figures, tests/org and",
        "tests/web/test_access_sweep.py, tests/vn, tests/test_periods*.py, tests/reading).",
        "This section is written by `tools/mutants_report.py`; explanations of survivors are",
        "kept in `tools/mutants_notes.toml`.",
        "",
        f"Last run: {datetime.datetime.now(datetime.UTC).date().isoformat()}.",
        "",
        *([notes["run"]["note"], ""] if "note" in notes.get("run", {}) else []),
        "Score = (killed + timeout) / (total − not checked − equivalent survivors).",
        "",
        "| module | killed | survived | of which equivalent | timeout | no tests | not checked "
        "| total | score | score before the new tests |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    survivors: list[str] = []
    killed_now: list[str] = []
    for module, statuses in found.items():
        count = Counter(statuses.values())
        if count["not checked"] == len(statuses) and "not run (" not in old_rows.get(
            module, "not run ("
        ):
            # Not run in this mutants/: the row of the earlier run, marked.
            lines.append(old_rows[module].replace(f"| {module} |", f"| {module} † |", 1))
            survivors += old_survivors.get(module, [])
            killed_now += [
                f"- `{name}`: {note}"
                for name, note in explained.items()
                if name.startswith(f"{module}.x") and "killed by" in note
            ]
            carried.append(f"{module} ({len(statuses)} mutants now)")
            continue
        alive = [name for name, status in statuses.items() if status == "survived"]
        equivalent = [n for n in alive if explained.get(n, "").startswith("equivalent")]
        checked = len(statuses) - count["not checked"] - len(equivalent)
        caught = count["killed"] + count["timeout"]
        score = f"{100 * caught / checked:.1f} %" if checked and not count["not checked"] else "—"
        if count["not checked"]:
            score = (
                f"{100 * caught / checked:.1f} % of the {checked} reached"
                if caught
                else f"not run ({count['not checked']} left)"
            )
        lines.append(
            f"| {module} | {count['killed']} | {count['survived']} | {len(equivalent)} "
            f"| {count['timeout']} | {count['no tests']} | {count['not checked']} "
            f"| {len(statuses)} | {score} | {before.get(module, '—')} |"
        )
        for name in alive:
            note = explained.get(name, "not yet explained")
            survivors.append(f"- `{name}` {changed_line(name)}: {note}")
        for name, status in statuses.items():
            if status == "killed" and name in explained and "killed by" in explained[name]:
                killed_now.append(f"- `{name}`: {explained[name]}")
    if carried:
        lines += [
            "",
            "† Not run in this mutants/ directory: the row (and survivors) of the earlier run, on "
            "the code of then; the count of mutants in the code now: " + ", ".join(carried) + ".",
        ]
    known = notes.get("known", {})
    if known:
        lines += ["", "### Known gaps from the audit", ""]
        lines += [f"- {gap}: {verdict}" for gap, verdict in known.items()]
    lines += ["", "### Surviving mutants", ""]
    lines += survivors or ["None."]
    if killed_now:
        lines += ["", "### Survivors of an earlier run, killed by tests added since", ""]
        lines += killed_now
    return "\n".join(lines) + "\n"


def replace_section(text: str, body: str) -> str:
    """`text` with the section's body replaced by `body` (appended if there is no section)."""
    found = re.search(rf"^{HEADING}[ \t]*$", text, flags=re.M)
    if found is None:
        return (text.rstrip("\n") + "\n\n" if text.strip() else "") + body
    following = re.search(r"^## ", text[found.end() :], flags=re.M)
    end = found.end() + following.start() if following else len(text)
    return text[: found.start()] + body + ("\n" + text[end:] if following else "")


def main() -> None:
    notes = tomllib.loads(NOTES.read_text()) if NOTES.exists() else {}
    text = DOC.read_text() if DOC.exists() else ""
    body = section(results(), notes, text)
    DOC.write_text(replace_section(text, body))
    print(body)


if __name__ == "__main__":
    main()
