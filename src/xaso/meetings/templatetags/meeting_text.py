"""Words of the meeting pages set inside a sentence."""

from django import template

register = template.Library()


@register.filter
def mid_sentence(label: str) -> str:
    """A label as it reads inside a sentence: its first letter lower-cased, every other letter
    kept — "Hội nghị BCH mở rộng" becomes "hội nghị BCH mở rộng" (never "bch"), "Đối thoại
    với Nhân dân" keeps "Nhân dân"; a label opening with an abbreviation ("UBND xã") is kept."""
    label = str(label or "")
    first = label.split(" ", 1)[0]
    if not first or (len(first) > 1 and first.isupper()):
        return label
    return label[0].lower() + label[1:]
