"""Whether a figure meets a threshold, and what a criterion's requirements add up to.

Pure: no Django. A requirement's verdict is one of four words; a criterion's computed status
is met only when every requirement is measured and met, not met as soon as one measured
requirement fails, and undecided otherwise — xaso never guesses a status it cannot compute.
"""

from decimal import Decimal

MET = "met"
NOT_MET = "not_met"
NO_THRESHOLD = "no_threshold"  # "chưa có ngưỡng": the pack does not know the value
NO_DATA = "no_data"  # no figure to compare (or nothing in xaso measures it)

LABELS = {
    MET: "Đạt",
    NOT_MET: "Chưa đạt",
    NO_THRESHOLD: "Chưa có ngưỡng",
    NO_DATA: "Chưa có số liệu",
}


def meets(test: str, threshold: Decimal | None, value: Decimal | None) -> str:
    """The verdict for one value against one threshold.

    `reached` reads a yes/no figure: 1 (or more) is reached, 0 is not; it needs no threshold.
    """
    if value is None:
        return NO_DATA
    if test == "reached":
        return MET if value >= 1 else NOT_MET
    if threshold is None:
        return NO_THRESHOLD
    if test == "at_least":
        ok = value >= threshold
    elif test == "at_most":
        ok = value <= threshold
    elif test == "equals":
        ok = value == threshold
    else:
        raise ValueError(f"unknown test {test!r}")
    return MET if ok else NOT_MET


def combine(verdicts: list[str]) -> str | None:
    """A criterion's computed status from its requirements' verdicts; None when it has none
    (a criterion assessed as a whole) or when they do not decide it."""
    if not verdicts:
        return None
    if NOT_MET in verdicts:
        return NOT_MET
    if all(verdict == MET for verdict in verdicts):
        return MET
    return None


def disagrees(recorded: str | None, computed: str | None) -> bool:
    """A recorded status that the figures contradict. "Đang thẩm định" and an undecided
    computation contradict nothing."""
    decided = {MET, NOT_MET}
    return recorded in decided and computed in decided and recorded != computed
