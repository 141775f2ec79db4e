"""The Kenniskaart file format: reading, checking and describing it, without Flask.

`check_file` / `check_text` return every problem as structured data (a kind, parameters, the line and
the element's code); scan/kenniskaart/validation.py turns them into translated sentences.
"""

from competencies.check import Checked, check_file, check_text
from competencies.problems import Problem
from competencies.schema import Counts, Kenniskaart, checksum, counts

__all__ = ["Checked", "Counts", "Kenniskaart", "Problem", "check_file", "check_text", "checksum", "counts"]
