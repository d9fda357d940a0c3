"""`xaso ingest`: read reports (text, HTML, DOCX, .doc, PDF, photos) into structured data.

Needs no database. Photos and scanned PDF pages are read by OCR (Tesseract), .doc through
LibreOffice: see docs/reading.md, "Input formats"."""

import json
import sys


def cmd_ingest(args) -> int:
    """Read reports into structured data. Pure: needs no database."""
    from xaso.reading import ReadError, read_path

    results, failed = [], 0
    for path in args.files:
        try:
            extraction = read_path(path)
        except (ReadError, OSError) as error:
            failed += 1
            message = str(error) if isinstance(error, ReadError) else "Không mở được tệp."
            print(f"{path}: {message}", file=sys.stderr)
            if args.json:
                results.append({"source": path, "error": message})
            continue
        if args.json:
            results.append(extraction.to_json())
        else:
            print(_extraction_text(extraction))
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    return 1 if failed else 0


def _extraction_text(extraction) -> str:
    from xaso.vn.numbers import format_number

    meeting = extraction.meeting
    when = f"{meeting.date:%d/%m/%Y}" if meeting.date else "không rõ ngày"
    out = [f"== {extraction.source}", f"Hội nghị: {meeting.title or '(không có tiêu đề)'}"]
    out.append(
        f"  ngày {when} · {meeting.time_of_day or '-'} · {meeting.kind or '-'}"
        f" · kỳ {meeting.period or '-'} · nơi họp {meeting.place or '-'}"
    )
    for person in extraction.people:
        out.append(f"  người: {person.name} — {person.position} [{person.role or '-'}]")
    for figure in extraction.figures:
        line = f"  số liệu: {figure.label}: {format_number(figure.value)} {figure.unit_text}"
        if figure.plan is not None:
            line += f" / {format_number(figure.plan)} ({figure.plan_source_text or 'kế hoạch'})"
        if figure.percent_stated is not None:
            check = {True: "khớp", False: "KHÔNG khớp", None: ""}[figure.consistent]
            line += f", ghi {format_number(figure.percent_stated)}% {check}"
        out.append(line)
    for ratio in extraction.ratios:
        achieved = "" if ratio.achieved is None else f"{ratio.achieved}/"
        out.append(f"  tỷ số: {achieved}{ratio.total} {ratio.what}")
    out += [f"  hạn chế: {item}" for item in extraction.limitations]
    out += [f"  nhiệm vụ: {item}" for item in extraction.directives]
    out += [f"  cảnh báo: {item}" for item in extraction.warnings]
    return "\n".join(out)


def add_ingest(sub) -> None:
    ingest = sub.add_parser(
        "ingest", help="read reports (text, HTML, DOCX, .doc, PDF, photos) into structured data"
    )
    ingest.add_argument("files", nargs="+")
    ingest.add_argument("--json", action="store_true")
    ingest.set_defaults(func=cmd_ingest)
