"""xaso.reading — turn an existing Vietnamese report or news article into structured data.

Pure Python (no Django): `read_path`, `read_bytes` and `read_text` return an `Extraction` of
the meeting, dates, places, people with positions, figures against plan (with an arithmetic
check), ratios, limitations, directives and awards. The `documents` app reviews and imports it.
"""

from xaso.reading.decode import ReadError
from xaso.reading.model import Extraction
from xaso.reading.reader import read_bytes, read_path, read_text

__all__ = ["Extraction", "ReadError", "read_bytes", "read_path", "read_text"]
