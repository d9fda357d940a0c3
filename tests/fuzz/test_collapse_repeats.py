"""collapse_repeats is one pass now: it must give what the original, quadratic version gave
(kept here as the reference), on any arrangement of repeated paragraphs."""

from hypothesis import given, settings
from hypothesis import strategies as st

from xaso.reading.source import _REPEAT_MIN, _tidy, collapse_repeats


def reference(text: str) -> tuple[str, bool]:
    """The version before issue 11: rescan from the start after every removal."""
    lines = text.split("\n")
    changed = False
    while True:
        paragraphs = [i for i, line in enumerate(lines) if line.strip()]
        long_seen: dict[str, int] = {}
        repeat = None
        for k, i in enumerate(paragraphs):
            if len(lines[i]) < _REPEAT_MIN:
                continue
            key = lines[i].strip()
            if key in long_seen:
                repeat = (long_seen[key], k)
                break
            long_seen[key] = k
        if repeat is None:
            return "\n".join(lines), changed
        keys = [lines[i].strip() for i in paragraphs]
        first, second = repeat
        start = 0
        while (
            second - start - 1 > first
            and first - start - 1 >= 0
            and keys[first - start - 1] == keys[second - start - 1]
        ):
            start += 1
        length = 1
        while (
            second + length < len(keys)
            and first + length < second - start
            and keys[first + length] == keys[second + length]
        ):
            length += 1
        del lines[paragraphs[second - start] : paragraphs[second + length - 1] + 1]
        lines = _tidy(lines)
        changed = True


LONG = [f"Đoạn dài {n}: " + "thu ngân sách ước đạt 3.750 triệu đồng, " * 6 for n in range(3)]
SHORT = ["Tin ngắn A.", "Tin ngắn B.", "  Đoạn có lề.  ", "x" * (_REPEAT_MIN - 1)]
PIECES = st.sampled_from([*LONG, *SHORT, " " + LONG[0], ""])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=30))
def test_one_pass_gives_what_the_rescanning_version_gave(pieces):
    text = "\n".join(pieces)
    assert collapse_repeats(text) == reference(text)


def test_a_repeated_article_and_many_copies():
    article = "\n\n".join([LONG[0], SHORT[0], LONG[1]])
    assert collapse_repeats(article + "\n\n" + article) == (article, True)
    many = "\n\n".join([LONG[2]] * 5000)
    assert collapse_repeats(many) == (LONG[2], True)
