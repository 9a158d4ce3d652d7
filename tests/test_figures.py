"""save_figure and save_table: the only writers of figures/ and results/, deterministic."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import save_figure, save_table  # noqa: E402


def _figure():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1, 2], [2, 0, 1], label="line")
    ax.set_title("toy")
    ax.legend()
    return fig


def test_save_figure_writes_png_and_svg_byte_identically(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDY_OUTPUT_DIR", str(tmp_path))
    first = [p.read_bytes() for p in save_figure(_figure(), "toy")]
    second = [p.read_bytes() for p in save_figure(_figure(), "toy")]
    assert first == second
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == ["toy.png", "toy.svg"]
    svg = first[1].decode()
    assert "<dc:date>" not in svg
    assert first[0][:8] == b"\x89PNG\r\n\x1a\n"


def test_png_is_200_dpi(tmp_path, monkeypatch):
    from PIL import Image

    monkeypatch.setenv("STUDY_OUTPUT_DIR", str(tmp_path))
    png = save_figure(_figure(), "toy")[0]
    dpi = Image.open(png).info["dpi"]
    assert round(dpi[0]) == 200


@pytest.mark.parametrize("name", ["../escape", "Figure 1", "toy.png", ""])
def test_bad_names_are_refused(name):
    with pytest.raises(ValueError, match="output name"):
        save_figure(_figure(), name)


def test_save_table(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDY_OUTPUT_DIR", str(tmp_path))
    path = save_table(pd.DataFrame({"a": [1, 2], "b": [0.1 + 0.2, 1 / 3]}), "toy")
    assert path.read_text() == "a,b\n1,0.3\n2,0.333333\n"


def test_a_failed_write_leaves_the_old_table_whole(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDY_OUTPUT_DIR", str(tmp_path))
    path = save_table(pd.DataFrame({"a": [1]}), "toy")
    before = path.read_bytes()

    def half_written(self, target, **kwargs):
        with open(target, "w") as f:
            f.write("a\n1")                       # a truncated file, then the disk is full
        raise OSError("No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_written)
    with pytest.raises(OSError, match="No space"):
        save_table(pd.DataFrame({"a": [1, 2, 3]}), "toy")
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["toy.csv"]   # no temporary file left


def test_a_failed_figure_leaves_no_temporary_file(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDY_OUTPUT_DIR", str(tmp_path))
    fig = _figure()
    monkeypatch.setattr(fig, "savefig", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("renderer crashed")))
    with pytest.raises(RuntimeError, match="renderer"):
        save_figure(fig, "toy")
    assert list((tmp_path / "figures").iterdir()) == []


def test_written_files_have_the_usual_permissions(tmp_path, monkeypatch):
    import os

    monkeypatch.setenv("STUDY_OUTPUT_DIR", str(tmp_path))
    umask = os.umask(0o022)
    try:
        path = save_table(pd.DataFrame({"a": [1]}), "toy")
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644


def test_svg_description_holds_every_text_of_the_figure(tmp_path, monkeypatch):
    import re
    import xml.etree.ElementTree as ET

    import matplotlib.pyplot as plt

    monkeypatch.setenv("STUDY_OUTPUT_DIR", str(tmp_path))
    fig, ax = plt.subplots()
    ax.bar([0, 1], [1, 2])
    ax.set_xticks([0, 1], ["text-one\n2020-10", "text & two"])
    ax.set_title("A <title>")
    _, svg = save_figure(fig, "described")
    plt.close(fig)
    root = ET.parse(svg).getroot()
    description = next(el.text for el in root.iter() if el.tag.endswith("description"))
    lines = description.splitlines()
    assert "A <title>" in lines and "text & two" in lines and "text-one" in lines and "2020-10" in lines
    assert any(re.fullmatch(r"[0-9.]+", line) for line in lines)      # y tick labels exist only once drawn


def test_cells_a_spreadsheet_would_execute_are_neutralised(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDY_OUTPUT_DIR", str(tmp_path))
    cells = ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "plain", "-0.5", "5%", None]
    table = pd.DataFrame({"text": cells, "score": [-1.5, 2, -3, 4, 5, 6, 7, 8, 9],
                          "cat": pd.Categorical(["=x"] * len(cells))})
    written = pd.read_csv(save_table(table, "toy"), dtype=str, keep_default_na=False)
    assert written["text"].tolist() == ["'=HYPERLINK(\"http://x\")", "'+1+2", "'-2+3", "'@SUM(A1)", "'\tcmd",
                                        "plain", "-0.5", "5%", ""]
    assert written["score"].tolist()[:3] == ["-1.5", "2", "-3"]        # numbers are never touched
    assert set(written["cat"]) == {"'=x"}
    assert table["text"].iloc[0] == "=HYPERLINK(\"http://x\")"        # the caller's table is unchanged
