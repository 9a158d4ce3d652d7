"""Render the executed notebooks into a static HTML site in ``site/``.

``site/index.html`` links every notebook (rendered with nbconvert's HTML exporter, outputs
as executed, code shown) and shows a gallery of every figure in ``figures/``. Run by
``make study`` after the notebooks; can be run alone: ``python scripts/build_site.py``.
"""
from __future__ import annotations

import html
import shutil
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"


def notebook_title(nb) -> str:
    """The first markdown heading of a notebook, without the '#'."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("# ").strip()
    return "untitled"


def render_notebooks() -> list[tuple[str, str]]:
    exporter = HTMLExporter(template_name="lab")
    pages = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        body, _ = exporter.from_notebook_node(nb)
        (SITE / f"{path.stem}.html").write_text(body, encoding="utf-8")
        pages.append((path.stem, notebook_title(nb)))
        print(f"  rendered {path.name}")
    return pages


def gallery() -> str:
    figures = sorted((ROOT / "figures").glob("*.png"))
    (SITE / "figures").mkdir(exist_ok=True)
    items = []
    for fig in figures:
        shutil.copyfile(fig, SITE / "figures" / fig.name)
        notebook = fig.stem.split("_")[0]
        items.append(f'<figure><a href="figures/{fig.name}"><img src="figures/{fig.name}" loading="lazy"></a>'
                     f'<figcaption>{html.escape(fig.stem)} (notebook {notebook})</figcaption></figure>')
    return "\n".join(items)


def main() -> None:
    SITE.mkdir(exist_ok=True)
    print("rendering the HTML site in site/ ...")
    pages = render_notebooks()
    readme_intro = (ROOT / "README.md").read_text(encoding="utf-8").split("## Two commands")[0]
    question = html.escape(" ".join(l for l in readme_intro.splitlines() if not l.startswith("#")).strip())
    links = "\n".join(f'<li><a href="{stem}.html">{html.escape(stem)}</a>: {html.escape(title)}</li>' for stem, title in pages)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>The "maladies" of cadres: a discourse study</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }}
.gallery {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 1rem; }}
figure {{ margin: 0; border: 1px solid #ddd; padding: .5rem; }} img {{ width: 100%; }}
figcaption {{ font-size: .85rem; color: #444; }}
</style></head><body>
<h1>The "maladies" of cadres: a computational discourse study</h1>
<p>{question}</p>
<h2>Notebooks</h2><ol>{links}</ol>
<h2>Figures</h2><div class="gallery">{gallery()}</div>
</body></html>
"""
    (SITE / "index.html").write_text(page, encoding="utf-8")
    print(f"site written: {SITE / 'index.html'}")


if __name__ == "__main__":
    main()
