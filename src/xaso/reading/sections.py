"""The parts of a report that are lists: limitations ("tồn tại, hạn chế", "khó khăn"),
directives and key tasks (after "nhiệm vụ trọng tâm", "đề nghị", "yêu cầu"), and awards.

Both lists are written in three ways, and read in three passes:
- a heading ending in ":" and its items (inline after the colon, or the paragraphs below);
- a heading with no colon that breaks off ("… trong thời gian tới cần") or points forward
  ("… như sau."), followed by dashed or numbered items;
- running sentences: a shortcoming stated after "Tuy nhiên", "Bên cạnh đó, vẫn còn…" or with
  a predicate such as "còn chậm", "chưa kịp thời"; an instruction given with "đề nghị" or
  "yêu cầu" as a verb ("Đồng chí X đề nghị các xã …"). Such a sentence counts once, or once per
  clause when its clauses are separated by ";".
"""

import re

from xaso.reading import budget

_KHO_KHAN = (
    # "khó khăn" as a shortcoming (a noun: "những khó khăn", "gặp khó khăn", "khó khăn, vướng
    # mắc"), not as an adjective of need ("hộ có hoàn cảnh khó khăn").
    r"(?:những|các|nhiều|gặp|còn|số|mọi)\s+khó\s+khăn"
    r"|khó\s+khăn(?=\s*(?:,|và)\s*(?:vướng|hạn\s+chế|tồn\s+tại|yếu\s+kém|thách\s+thức|bất\s+cập))"
)
_LIMITATION_CUE = re.compile(
    rf"(?:tồn\s+tại|hạn\s+chế|yếu\s+kém|{_KHO_KHAN}|vướng\s+mắc|bất\s+cập)"
    r"(?:\s+cần\s+(?:tập\s+trung\s+)?khắc\s+phục)?",
    re.IGNORECASE,
)
_DIRECTIVE_CUE = re.compile(
    r"nhiệm\s+vụ\s+(?:trọng\s+tâm|trong\s+thời\s+gian\s+tới|thời\s+gian\s+tới)"
    r"|đề\s+nghị|yêu\s+cầu|định\s+hướng|nhấn\s+mạnh|giải\s+pháp"
    # "chỉ đạo" as the speaker's verb, not in "lãnh đạo, chỉ đạo", "Ban Chỉ đạo", "Dự và chỉ
    # đạo", "phát biểu chỉ đạo", "sự chỉ đạo của".
    r"|(?<!đạo,\s)(?<!đạo\s)(?<!và\s)(?<!sự\s)(?<!ban\s)(?<!biểu\s)chỉ\s+đạo(?!\s+của)"
    r"|cần\s+tập\s+trung"
    r"|(?:thời\s+gian|năm|tháng|giai\s+đoạn)\s+tới[^:.;]*?\b(?:cần|phải)\b",
    re.IGNORECASE,
)
# A heading that lists who attended ("Dự và chỉ đạo hội nghị có các đồng chí:") is no task list.
_ATTENDANCE = re.compile(r"\bdự\b[^:]*\bcó\b|(?:đồng\s+chí|đại\s+biểu|ông|bà)\s*$", re.I)
_ITEM = re.compile(r"^\s*(?:[-–•+*]|\d{1,2}[.)]|[a-zđ]\))\s*(?P<text>.+)$")
# A heading with no colon: it breaks off without a full stop, or points at what follows.
_FORWARD = re.compile(r"(?:\bsau|\bnhư\s+sau|cụ\s+thể)\s*\.?\s*$|[^.!?;…\"”)]\s*$", re.IGNORECASE)
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

# --- running sentences -----------------------------------------------------------------------

# A sentence ends at . ! ? before a capital, unless the word before the stop is an
# abbreviation ("TP. Hà Tĩnh", "P. Bí thư").
_STOP_CANDIDATE = re.compile(r"(?<![\s.][A-ZĐ])(?<![\s.][A-ZĐ]{2})[.!?…]+\s+")
# The discourse openings before a shortcoming: a contrast ("Tuy nhiên") announces one; an
# addition ("Bên cạnh đó") only when a shortcoming follows ("…, vẫn còn …").
_CONTRAST_OPENING = re.compile(r"^(?:tuy\s+nhiên|tuy\s+vậy|song|nhưng)\s*,?\s*", re.IGNORECASE)
_ADDITION_OPENING = re.compile(
    r"^(?:mặt\s+khác|bên\s+cạnh\s+đó|bên\s+cạnh\s+(?:những|các)\s+(?:kết\s+quả|mặt)[^,]*)"
    r"\s*,?\s*",
    re.IGNORECASE,
)
# A concession is no shortcoming of its own ("dù còn nhiều khó khăn, xã vẫn hoàn thành…").
_CONCESSION = re.compile(r"\b(?:mặc\s+dù|dù|dẫu|tuy(?!\s+(?:nhiên|vậy)))\s+[^,;]*,\s*", re.I)
# Overcoming or helping with a difficulty is no shortcoming ("đã vượt qua những khó khăn").
_OVERCOME = re.compile(
    r"\b(?:vượt\s+qua|đã\s+khắc\s+phục|khắc\s+phục\s+được|tháo\s+gỡ|hỗ\s+trợ|giúp"
    r"|chia\s+sẻ|thăm\s+hỏi|tặng)\b",
    re.IGNORECASE,
)
_STILL = re.compile(r"^(?:vẫn\s+còn|còn\s+(?:có\s+)?(?:một\s+số|nhiều|tình\s+trạng))\b", re.I)
# After an addition, "vẫn còn" after its subject too ("Mặt khác, tình trạng … vẫn còn xảy ra").
_STILL_LATER = re.compile(r"\bvẫn\s+còn\b", re.I)
# Predicates of a shortcoming. Lenient: enough after an opening that announces one.
_SHORTCOMING = re.compile(
    r"\b(?:vẫn\s+còn|chưa\s+(?!từng\b|bao\s+giờ\b)\w"
    r"|còn\s+(?:gặp\s+|nhiều\s+|rất\s+|khá\s+)*(?:chậm|thấp|hạn\s+chế|lúng\s+túng|yếu|kém"
    r"|bất\s+cập|thiếu|khó\s+khăn|vướng|nể\s+nang|cao|dàn\s+trải|manh\s+mún|nhỏ\s+lẻ"
    r"|phức\s+tạp|hình\s+thức|tồn\s+tại|xảy\s+ra|tình\s+trạng)"
    r"|(?:đạt|rất|quá|còn)\s+thấp|chậm\s+\w|không\s+(?:đúng|đạt|kịp\s+thời|bảo\s+đảm|đảm\s+bảo)"
    r"|thiếu\s+(?:quyết\s+liệt|chặt\s+chẽ|đồng\s+bộ|thường\s+xuyên|kiên\s+quyết)"
    rf"|gặp\s+(?:nhiều\s+)?khó\s+khăn|{_KHO_KHAN})",
    re.IGNORECASE,
)
# Strict: enough on its own, in a sentence with no opening ("Một số công trình còn chậm").
_SHORTCOMING_STRICT = re.compile(
    r"\bcòn\s+(?:nhiều\s+|rất\s+)?(?:chậm|thấp|hạn\s+chế|lúng\s+túng|yếu|kém|bất\s+cập"
    r"|gặp\s+(?:nhiều\s+)?khó\s+khăn|nể\s+nang|dàn\s+trải)"
    r"|\bchưa\s+(?:đạt|kịp\s+thời|cao|chặt\s+chẽ|đồng\s+bộ|đồng\s+đều|thường\s+xuyên"
    r"|đáp\s+ứng|hiệu\s+quả|quyết\s+liệt|đúng|bảo\s+đảm|đảm\s+bảo|tương\s+xứng|sâu\s+sát"
    r"|được\s+quan\s+tâm|mạnh|rõ\s+nét)\b|\bđạt\s+thấp\b",
    re.IGNORECASE,
)
# A sentence that asks, fixes or discusses shortcomings rather than states them, when these
# words come before the shortcoming ("yêu cầu khắc phục tình trạng … còn chậm").
_NOT_A_STATEMENT = re.compile(
    r"\b(?:đề\s+nghị|yêu\s+cầu|cần|phải|khắc\s+phục|tháo\s+gỡ|chấn\s+chỉnh|nhắc\s+nhở"
    r"|phê\s+bình|chỉ\s+ra|chỉ\s+rõ|nêu\s+(?:rõ|lên)|phân\s+tích|làm\s+rõ|tập\s+trung)\b",
    re.IGNORECASE,
)
# "… còn một số hạn chế." on its own: the shortcomings are what follows.
_LIMITATION_NOUN = r"(?:mặt\s+)?(?:tồn\s+tại|hạn\s+chế|khó\s+khăn|yếu\s+kém|bất\s+cập|vướng\s+mắc)"
_ANNOUNCEMENT = re.compile(
    rf"(?:còn|bộc\s+lộ|có)\s+(?:\w+\s+)?(?:một\s+số\s+|nhiều\s+|những\s+)?{_LIMITATION_NOUN}"
    rf"(?:\s*(?:,|và)\s*{_LIMITATION_NOUN})*(?:\s+(?:nhất\s+định|cần\s+khắc\s+phục|sau))?$",
    re.IGNORECASE,
)
# Where an announced run of shortcomings ends: the causes, the remedies, the plans.
_RUN_ENDS = re.compile(
    r"^(?:nguyên\s+nhân|để\s+khắc\s+phục|(?:trong\s+)?thời\s+gian\s+tới|nhiệm\s+vụ)", re.I
)
# A clause after ", " starts a new shortcoming when it opens with its own subject, a
# nominaliser or quantifier ("…còn chậm, việc nhân rộng mô hình chưa đạt").
_NEW_SUBJECT = re.compile(
    r",\s+(?=(?:việc|công\s+tác|tình\s+trạng|sự|một\s+số|một\s+bộ\s+phận|nhiều|các|những)\s)",
    re.IGNORECASE,
)
# "đề nghị", "yêu cầu" as a verb of the speaker, not as a noun ("đạt yêu cầu", "theo đề
# nghị của", "ý kiến, đề nghị của cử tri") nor a past or passive report ("đã đề nghị").
_ASK = re.compile(r"(?<!\w)(?:đề\s+nghị|yêu\s+cầu)(?!\w)", re.IGNORECASE)
_ASK_NOUN_BEFORE = re.compile(
    r"\b(?:theo|của|các|những|mọi|nhiều|được|bị|đã|đạt|ứng|đúng|với|về|là|có|sơ|trình|trước|do|vì"
    r"|bản|dung|ý\s+kiến|kiến\s+nghị|nhu\s+cầu)[\s,]*$",
    re.IGNORECASE,
)
# Before a heading's "đề nghị:", these report who asked rather than make it a noun.
_REPORTED = frozenset({"đã", "được"})
_ASK_NOUN_AFTER = re.compile(
    r"^\s*(?:của|đề\s+ra|đặt\s+ra|nêu|này|trên|đó|với|chính\s+đáng|nhiệm\s+vụ)\b", re.I
)
# An ask that goes up or hands out honours is a proposal, not an instruction.
_ASK_UPWARD = re.compile(
    r"^\s*(?:\S+\s+){0,3}?(?:khen|tặng|truy\s+tặng|công\s+nhận|xét|phong|kết\s+nạp"
    r"|cấp\s+trên|trung\s+ương|chính\s+phủ|thủ\s+tướng|quốc\s+hội)\b",
    re.IGNORECASE,
)
# Who petitions rather than instructs ("cử tri đề nghị …").
_PETITIONER = re.compile(
    r"\b(?:cử\s+tri|người\s+dân|nhân\s+dân|hộ\s+dân|doanh\s+nghiệp|đại\s+biểu)\b"
    r"(?:\s+\S+){0,4}\s*$",
    re.IGNORECASE,
)
# The tiers of government, lowest first: an ask from a lower tier to a higher one goes up.
_TIERS = (
    r"xã|phường|thị\s+trấn|thôn|tổ\s+dân\s+phố",
    r"huyện|quận|thị\s+xã|thành\s+phố|thị\s+ủy|huyện\s+ủy|thành\s+ủy",
    r"tỉnh|tỉnh\s+ủy",
    r"trung\s+ương|chính\s+phủ|quốc\s+hội",
)
_TIER_WORD = re.compile(
    "|".join(f"(?P<t{rank}>\\b(?:{words})\\b)" for rank, words in enumerate(_TIERS)), re.I
)
# "Trong thời gian tới, các xã cần tập trung …": an instruction without an asking verb.
_FUTURE_NEED = re.compile(
    r"(?:thời\s+gian|năm|tháng|giai\s+đoạn)\s+(?:tới|tiếp\s+theo)[^;]*?\b(?:cần|phải)\s+\w",
    re.IGNORECASE,
)
_TIME_ADVERBIAL = re.compile(
    r"^(?:trong\s+)?(?:thời\s+gian|năm|tháng|giai\s+đoạn)\s+(?:tới|tiếp\s+theo)\s*,\s*", re.I
)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def _clean_item(text: str) -> str:
    text = " ".join(text.split()).lstrip("-–•+* ").strip(" ;,.…:")
    return text[:1].upper() + text[1:] if text else text


def _sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph (a stop followed by a capital ends one)."""
    sentences, start = [], 0
    for stop in _STOP_CANDIDATE.finditer(paragraph):
        if stop.end() < len(paragraph) and paragraph[stop.end()].isupper():
            sentences.append(paragraph[start : stop.end()].strip())
            start = stop.end()
    sentences.append(paragraph[start:].strip())
    return [s for s in sentences if s]


def _is_headline(paragraphs: list[str], index: int) -> bool:
    """The first line of a text, with no closing stop, is its title."""
    return index == 0 and not paragraphs[0].rstrip().endswith((".", "!", "?", ":", ";"))


# --- lists under a heading -------------------------------------------------------------------


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


def _list_items_after(paragraphs: list[str], index: int) -> list[str]:
    """The dashed or numbered paragraphs right after a heading with no colon."""
    items = []
    for following in range(index + 1, len(paragraphs)):
        match = _ITEM.match(paragraphs[following])
        if not match:
            break
        items.append(_clean_item(match.group("text")))
    return items


def _cue_kind(head: str) -> str | None:
    """Which list a heading announces: the cue nearest to its colon wins
    ("nêu lên những tồn tại … và định hướng nhiệm vụ trọng tâm:" announces directives)."""
    ends = {
        kind: max((m.end() for m in cue.finditer(head) if not _ask_noun(head, m)), default=-1)
        for kind, cue in (("limitations", _LIMITATION_CUE), ("directives", _DIRECTIVE_CUE))
    }
    kind = max(ends, key=ends.get)
    if ends[kind] < 0 or (kind == "directives" and _ATTENDANCE.search(head)):
        return None
    return kind


def _ask_noun(head: str, cue: re.Match) -> bool:
    """Whether a cue "đề nghị"/"yêu cầu" of a heading is a noun ("đáp ứng yêu cầu nhiệm vụ",
    "Thực hiện đề nghị của huyện"), so the list after it is not what is asked."""
    if not _ASK.fullmatch(cue.group()):
        return False
    before = _ASK_NOUN_BEFORE.search(head[: cue.start()])
    noun_before = before is not None and before.group().split()[0].lower() not in _REPORTED
    return noun_before or _ASK_NOUN_AFTER.match(head[cue.end() :]) is not None


def _heading(paragraphs: list[str], index: int) -> tuple[str | None, list[str]]:
    """The kind and items of a list headed by this paragraph, if it heads one."""
    paragraph = paragraphs[index]
    colon = paragraph.find(":")
    if colon >= 0:
        # The heading is the sentence that ends with the colon, not the whole paragraph.
        start = max(paragraph.rfind(".", 0, colon), paragraph.rfind(";", 0, colon)) + 1
        kind = _cue_kind(paragraph[start:colon])
        if kind:
            return kind, _items_after(paragraphs, index, paragraph[colon + 1 :])
        return None, []
    if index + 1 < len(paragraphs) and _ITEM.match(paragraphs[index + 1]):
        last = _sentences(paragraph)[-1]
        if _FORWARD.search(last) and not _ITEM.match(paragraph):
            kind = _cue_kind(last)
            if kind:
                return kind, _list_items_after(paragraphs, index)
    return None, []


def _headed_lists(paragraphs: list[str]) -> tuple[dict[str, list[str]], set[int]]:
    """The items of every headed list, by kind, and the paragraphs they took up."""
    found: dict[str, list[str]] = {"limitations": [], "directives": []}
    taken: set[int] = set()
    for index in range(len(paragraphs)):
        if index & 255 == 0:
            budget.check()
        kind, items = _heading(paragraphs, index)
        if not kind:
            continue
        taken.add(index)
        for offset, item in enumerate(items):
            if item and item not in found[kind]:
                found[kind].append(item)
            taken.add(index + 1 + offset)
    return found, taken


# --- shortcomings in running text ------------------------------------------------------------


def _clauses(statement: str) -> list[str]:
    """The separate shortcomings of a sentence: its ";" clauses, and a ", " clause that opens
    with its own subject when both sides state a shortcoming."""
    clauses = []
    for part in re.split(r"\s*;\s*", statement):
        pieces = _NEW_SUBJECT.split(part)
        if len(pieces) > 1 and all(_SHORTCOMING.search(piece) for piece in pieces):
            clauses += pieces
        else:
            clauses.append(part)
    return [_clean_item(c) for c in clauses if _SHORTCOMING.search(c) and len(c.strip()) > 8]


def _announced_run(sentences: list[str], paragraphs: list[str], index: int) -> list[str]:
    """The shortcomings after "… còn một số hạn chế.": the next sentences of the paragraph up
    to the causes or remedies, else the list below it."""
    if not sentences:
        return _list_items_after(paragraphs, index)
    items = []
    for sentence in sentences:
        if _RUN_ENDS.match(sentence):
            break
        items += [_clean_item(p) for p in re.split(r"\s*;\s*", sentence) if len(p.strip()) > 8]
    return items


def _opening(sentence: str) -> str | None:
    """The sentence after an opening that announces a shortcoming, if it has one."""
    contrast = _CONTRAST_OPENING.match(sentence)
    if contrast:
        return sentence[contrast.end() :]
    addition = _ADDITION_OPENING.match(sentence)
    rest = sentence[addition.end() :] if addition else sentence
    announced = _SHORTCOMING_STRICT.search(rest) or _ANNOUNCEMENT.search(rest.rstrip(" .…"))
    if _STILL.match(rest) or (addition and (announced or _STILL_LATER.search(rest))):
        return rest
    return None


def _stated_shortcomings(paragraphs: list[str], index: int) -> list[str]:
    sentences = _sentences(paragraphs[index])
    found = []
    for position, sentence in enumerate(sentences):
        rest = _opening(sentence)
        if rest is not None:
            rest = _CONCESSION.sub("", rest)
            if _OVERCOME.search(rest):
                continue
            if _LIMITATION_CUE.search(rest) and _ANNOUNCEMENT.search(rest.rstrip(" .…")):
                following = sentences[position + 1 :]
                if following or (
                    index + 1 < len(paragraphs) and _ITEM.match(paragraphs[index + 1])
                ):
                    return found + _announced_run(following, paragraphs, index)
            found += _clauses(rest)
        elif (strict := _SHORTCOMING_STRICT.search(sentence)) and not _NOT_A_STATEMENT.search(
            sentence, 0, strict.start()
        ):
            # a remedy after the shortcoming ("…còn chậm, cần có giải pháp") leaves it stated
            found += _clauses(_CONCESSION.sub("", sentence))
    return found


def find_limitations(text: str) -> list[str]:
    paragraphs = _paragraphs(text)
    found, taken = _headed_lists(paragraphs)
    if found["limitations"]:
        return found["limitations"]
    limitations: list[str] = []
    for index in range(len(paragraphs)):
        if index & 255 == 0:
            budget.check()
        if index in taken or _is_headline(paragraphs, index) or _ITEM.match(paragraphs[index]):
            continue
        for item in _stated_shortcomings(paragraphs, index):
            if item not in limitations:
                limitations.append(item)
    return limitations


# --- instructions in running text ------------------------------------------------------------


def _tier(words: str, last: bool) -> int | None:
    matches = list(_TIER_WORD.finditer(words))
    if not matches:
        return None
    match = matches[-1] if last else matches[0]
    return int(match.lastgroup[1:])


def _goes_up(before: str, after: str) -> bool:
    """An ask from a lower tier to a higher one ("UBND xã đề nghị huyện hỗ trợ")."""
    speaker = _tier(before[-60:], last=True)
    addressee = _tier(" ".join(after.split()[:4]), last=False)
    return speaker is not None and addressee is not None and addressee > speaker


def _asked(sentence: str) -> str | None:
    """What a sentence instructs, when it instructs: the words after "đề nghị"/"yêu cầu" used
    as the speaker's verb, or a "thời gian tới … cần" sentence without its time adverbial."""
    if _AWARD.search(sentence):
        return None
    for ask in _ASK.finditer(sentence):
        before, after = sentence[: ask.start()], sentence[ask.end() :]
        if _ASK_NOUN_BEFORE.search(before) or _ASK_NOUN_AFTER.match(after):
            continue
        if _ASK_UPWARD.match(after) or _PETITIONER.search(before) or len(after.split()) < 3:
            return None
        if _goes_up(before, after):
            return None
        return after
    if _FUTURE_NEED.search(sentence):
        return _TIME_ADVERBIAL.sub("", sentence)
    return None


def find_directives(text: str) -> list[str]:
    paragraphs = _paragraphs(text)
    found, taken = _headed_lists(paragraphs)
    directives = found["directives"]
    for index, paragraph in enumerate(paragraphs):
        if index & 255 == 0:
            budget.check()
        if index in taken or _is_headline(paragraphs, index) or _ITEM.match(paragraph):
            continue
        for sentence in _sentences(paragraph):
            instruction = _asked(sentence)
            if instruction is None:
                continue
            for part in re.split(r"\s*;\s*", instruction):
                item = _clean_item(part)
                if len(item) > 8 and item not in directives:
                    directives.append(item)
    return directives


# --- awards ----------------------------------------------------------------------------------

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
