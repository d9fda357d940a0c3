"""The parts of a report that are lists: limitations ("tồn tại, hạn chế", "khó khăn"),
directives and key tasks (after "nhiệm vụ trọng tâm", "đề nghị", "yêu cầu"), and awards."""

import re

from xaso.reading import budget

_LIMITATION_CUE = re.compile(r"tồn\s+tại|hạn\s+chế|khó\s+khăn|yếu\s+kém", re.IGNORECASE)
_DIRECTIVE_CUE = re.compile(
    r"nhiệm\s+vụ\s+(?:trọng\s+tâm|trong\s+thời\s+gian\s+tới|thời\s+gian\s+tới)"
    r"|đề\s+nghị|yêu\s+cầu|định\s+hướng|nhấn\s+mạnh|giải\s+pháp",
    re.IGNORECASE,
)
_ITEM = re.compile(r"^\s*(?:[-–•+*]|\d{1,2}[.)]|[a-zđ]\))\s*(?P<text>.+)$")
# A paragraph that starts something else: a caption, a speech, a new scene.
_BREAK = re.compile(
    r"^\s*(?:Đ/c|Đồng\s+chí|đồng\s+chí|Phát\s+biểu|Tại\s+(?:hội|buổi)|Các\s+đại\s+biểu"
    r"|Một\s+số\s+hình\s+ảnh|Tác\s+giả|Ảnh|Cũng\s+tại|Bên\s+cạnh\s+những\s+kết\s+quả)",
    re.IGNORECASE,
)
_AWARD = re.compile(
    r"trao\s+(?:tặng\s+)?[Hh]uy\s+hiệu|khen\s+thưởng|[Gg]iấy\s+khen|[Bb]ằng\s+khen"
    r"|trao\s+tặng|danh\s+hiệu\s+thi\s+đua"
)
_SPLIT_INLINE = re.compile(r"\s*;\s*|\.\s+(?=[A-ZĐÀ-Ỹ])")


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def _clean_item(text: str) -> str:
    text = " ".join(text.split()).strip(" ;,.…")
    return text[:1].upper() + text[1:] if text else text


def _items_after(paragraphs: list[str], index: int, inline: str) -> list[str]:
    """The items that follow a cue: the rest of its own sentence after ":" if any, else the
    numbered, dashed or short paragraphs that come next, up to something else."""
    if inline.strip():
        return [_clean_item(part) for part in _SPLIT_INLINE.split(inline) if len(part.strip()) > 8]
    items = []
    for following in range(index + 1, len(paragraphs)):  # no slice: a copy per cue is quadratic
        paragraph = paragraphs[following]
        if following & 255 == 0:
            budget.check()
        if _BREAK.match(paragraph):
            break
        match = _ITEM.match(paragraph)
        if match:
            items.append(_clean_item(match.group("text")))
        elif len(paragraph) < 400 and not (items and paragraph.endswith(":")):
            items.append(_clean_item(paragraph))
        else:
            break
    return items


def _cue_kind(head: str) -> str | None:
    """Which list a heading announces: the cue nearest to its colon wins
    ("nêu lên những tồn tại … và định hướng nhiệm vụ trọng tâm:" announces directives)."""
    ends = {
        kind: max((m.end() for m in cue.finditer(head)), default=-1)
        for kind, cue in (("limitations", _LIMITATION_CUE), ("directives", _DIRECTIVE_CUE))
    }
    kind = max(ends, key=ends.get)
    return kind if ends[kind] >= 0 else None


def _cued_lists(text: str, wanted: str) -> list[str]:
    paragraphs = _paragraphs(text)
    found: list[str] = []
    seen: set[str] = set()
    for index, paragraph in enumerate(paragraphs):
        if index & 255 == 0:
            budget.check()
        colon = paragraph.find(":")
        if colon < 0:
            continue
        # The heading is the sentence that ends with the colon, not the whole paragraph.
        start = max(paragraph.rfind(".", 0, colon), paragraph.rfind(";", 0, colon)) + 1
        if _cue_kind(paragraph[start:colon]) != wanted:
            continue
        for item in _items_after(paragraphs, index, paragraph[colon + 1 :]):
            if item and item not in seen:
                seen.add(item)
                found.append(item)
    return found


def find_limitations(text: str) -> list[str]:
    found = _cued_lists(text, "limitations")
    if found:
        return found
    # Written inline: "Bên cạnh những kết quả…, còn nhiều khó khăn, hạn chế. A; B; C."
    for paragraph in _paragraphs(text):
        cue = _LIMITATION_CUE.search(paragraph)
        if cue and paragraph.lower().startswith(("bên cạnh", "tuy nhiên", "song", "những hạn chế")):
            first_stop = paragraph.find(".", cue.end())
            rest = paragraph[first_stop + 1 :] if first_stop >= 0 else ""
            found += [_clean_item(p) for p in _SPLIT_INLINE.split(rest) if len(p.strip()) > 8]
    return found


def find_directives(text: str) -> list[str]:
    return _cued_lists(text, "directives")


_STOP = re.compile(r"[.\n]")


def _sentence_around(text: str, start: int, end: int, floor: int = 0) -> tuple[int, int]:
    """The sentence around text[start:end], looking back no further than `floor` (the end of
    the sentence before: both searches are bounded, so a line of many sentences is linear)."""
    left = max(text.rfind(".", floor, start), text.rfind("\n", floor, start), floor - 1) + 1
    stop = _STOP.search(text, end)
    return left, stop.start() if stop else len(text)


def find_awards(text: str) -> list[str]:
    """Sentences that hand out awards (badges, certificates, commendations), once each."""
    found: list[str] = []
    covered = -1
    for match in _AWARD.finditer(text):
        if match.start() < covered:
            continue
        budget.check()
        left, right = _sentence_around(text, match.start(), match.end(), max(covered, 0))
        covered = right
        found.append(_clean_item(text[left:right].lstrip(" -–•")))
    return found
