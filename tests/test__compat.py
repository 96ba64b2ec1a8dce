from __future__ import annotations

import subprocess
import sys

import numpy as np

from probation_audit._compat import is_masked_array


def test_a_masked_array_is_told_from_a_plain_one() -> None:
    assert is_masked_array(np.ma.masked_array([1, 2], mask=[False, True]))
    assert not is_masked_array(np.array([1, 2]))
    assert not is_masked_array([1, 2])


def test_rating_a_national_file_does_not_import_numpy_ma() -> None:
    # numpy.ma takes about 15 ms to import: a plain file's ratings never need it.
    code = (
        "import sys, pathlib, tempfile\n"
        "import probation_audit as pa\n"
        "rubric = pa.load_rubric('hmip-probation-2023')\n"
        "path = pathlib.Path(tempfile.mkdtemp()) / 'national.csv'\n"
        "rows = ['inspection,case_id,question_id,judgment']\n"
        "rows += [f'U{u},C{c},{q},yes' for u in range(3) for c in range(4)"
        " for q in rubric.question_ids]\n"
        "path.write_text('\\n'.join(rows) + '\\n', encoding='utf-8')\n"
        "scores = pa.score_groups(rubric, path)\n"
        "print(len(scores.groups), 'numpy.ma' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["3", "False"]
