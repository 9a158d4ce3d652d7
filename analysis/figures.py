"""The only code that writes into ``figures/`` and ``results/``.

Figures are saved deterministically, as the matplotlib docs advise for reproducible
output: a fixed SVG hash salt, no creation date in the SVG, no software stamp in the PNG,
a fixed size and 200 dpi. Running the study twice gives byte-identical files.

Every file is written atomically: to a temporary file in the same folder, then renamed
over the old one (``os.replace``, atomic on POSIX and Windows). A run that fails or is
interrupted while writing leaves the previous file whole, never a truncated one.
"""
from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from . import paths

SVG_HASH_SALT = "cadre-maladies"
PNG_DPI = 200
_NAME = re.compile(r"[a-z0-9][a-z0-9_\-]*")


def _check_name(name: str) -> None:
    if not _NAME.fullmatch(name):
        raise ValueError(f"output name {name!r}: use lower-case letters, digits, '-' and '_' (no folder, no suffix)")


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file next to ``path``, then rename it to
    ``path``. If ``write`` raises, the temporary file is removed, ``path`` is left as it
    was, and the error propagates."""
    handle, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    tmp = Path(tmp_name)
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o666 & ~umask)                 # mkstemp makes 0600; give the usual permissions
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def figure_texts(fig) -> list[str]:
    """Every non-empty text drawn in ``fig`` (titles, labels, tick labels, legends,
    annotations), in drawing order, without repeats. Tick labels exist only once the figure
    has been drawn (saving draws it)."""
    from matplotlib.text import Text

    texts = (t.get_text().strip() for t in fig.findobj(Text) if t.get_visible())
    return list(dict.fromkeys(t for t in texts if t))


def save_figure(fig, name: str) -> list[Path]:
    """Write ``figures/NAME.png`` (200 dpi) and ``figures/NAME.svg``; return both paths.
    The SVG's description (Dublin Core metadata) holds every text of the figure, one per
    line, so that a reader, a screen reader or a test can search a figure's words
    (the SVG draws its letters as paths)."""
    import matplotlib

    _check_name(name)
    folder = paths.figures_dir()
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{name}.png", folder / f"{name}.svg"
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT, "svg.fonttype": "path"}):
        write_atomically(png, lambda tmp: fig.savefig(tmp, format="png", dpi=PNG_DPI, metadata={"Software": None},
                                                      bbox_inches="tight"))
        description = "\n".join(figure_texts(fig))
        write_atomically(svg, lambda tmp: fig.savefig(tmp, format="svg", bbox_inches="tight",
                                                      metadata={"Date": None, "Creator": None, "Description": description}))
    return [png, svg]


#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV
#: Injection", https://owasp.org/www-community/attacks/CSV_Injection): = + - @, tab and
#: carriage return.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?%?")


def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every text cell that a spreadsheet would execute as a formula
    prefixed by an apostrophe, as OWASP advises ("=HYPERLINK(...)" is written
    "'=HYPERLINK(...)"; spreadsheets show the apostrophe-prefixed cell as text). Numbers
    (columns of numbers, and text cells that are a plain number such as "-0.5") are
    left alone: they cannot execute. Returns a copy; ``table`` is not changed."""
    out = table.copy()
    for column in out.columns:
        if pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column]):
            continue
        values = out[column].astype(object)
        risky = values.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS)
                           and not _NUMBER.fullmatch(v)).astype(bool)
        if risky.any():
            out[column] = values.where(~risky, "'" + values.astype(str))
    return out


def save_table(table: pd.DataFrame, name: str, float_format: str = "%.6g") -> Path:
    """Write ``results/NAME.csv`` (UTF-8, no index, floats to 6 significant digits so
    that the file does not change with the last bits of floating-point noise). Text
    cells that a spreadsheet would execute are neutralised (:func:`neutralise_formulas`)."""
    _check_name(name)
    folder = paths.results_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    safe = neutralise_formulas(table)
    return write_atomically(path, lambda tmp: safe.to_csv(tmp, index=False, float_format=float_format,
                                                           lineterminator="\n", encoding="utf-8"))
