"""The static site (scripts/build_site.py): a Jupyter Book built from the committed, executed
notebooks and figures, with nothing executed; plus the small functions it relies on."""
from __future__ import annotations

import html
import importlib.util
import json
import re
import shutil
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

import nbformat
import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
REPO = "https://github.com/example/study"


def _load_build_site():
    spec = importlib.util.spec_from_file_location("build_site", ROOT / "scripts" / "build_site.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_site"] = module
    spec.loader.exec_module(module)
    return module


bs = _load_build_site()
FAKE_EXPLORER = "<!DOCTYPE html><html><body><p id='fake-explorer'>fake explorer</p></body></html>\n"


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> Path:
    """A copy of the project's notebooks/ and figures/: the pages are compared with exactly what
    was built, even while the notebooks are being re-executed."""
    tmp = tmp_path_factory.mktemp("snapshot")
    for name in ("notebooks", "figures"):
        shutil.copytree(ROOT / name, tmp / name, ignore=shutil.ignore_patterns(".*"))
    assert len(bs.notebook_paths(tmp / "notebooks")) >= 2 and list((tmp / "figures").glob("*.png"))
    return tmp


def notebooks_of(snapshot: Path) -> list[Path]:
    return bs.notebook_paths(snapshot / "notebooks")


@pytest.fixture(scope="module")
def site(snapshot, tmp_path_factory) -> Path:
    """The site of the snapshot, with a fake explorer and a repository URL, built once."""
    tmp = tmp_path_factory.mktemp("site")
    explorer = tmp / "explorer.html"
    explorer.write_text(FAKE_EXPLORER, encoding="utf-8")
    start = time.perf_counter()
    index = bs.build(snapshot / "notebooks", snapshot / "figures", tmp / "site", explorer_html=explorer,
                     repository_url=REPO)
    print(f"site of {len(notebooks_of(snapshot))} notebooks built in {time.perf_counter() - start:.1f} s")
    assert index == tmp / "site" / "index.html"
    return index.parent


def page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article_text(soup: BeautifulSoup) -> str:
    return " ".join(soup.find("article").get_text(" ").split())


def resolved_links(soup: BeautifulSoup, page_rel: str, within=None) -> set[str]:
    """The site-relative targets (no fragment) of the links of a page (``#`` is the page itself)."""
    scope = soup if within is None else within
    return {urljoin(page_rel, a["href"]).split("#")[0] for a in scope.find_all("a", href=True)
            if not a["href"].startswith(("http:", "https:", "mailto:"))}


def notebook_page(stem: str) -> str:
    return f"notebooks/{stem}.html"


# --- the committed study -------------------------------------------------------------------


def test_front_page_renders_the_readme_question(site):
    index = site / "index.html"
    assert index.exists()
    soup = page(index)
    title, body = bs.readme_front(ROOT / "README.md")
    assert soup.find("article").find("h1").get_text(strip=True).rstrip("#") == title
    text = article_text(soup)
    assert "**" not in text
    question = body.split("\n\n")[0]                   # the paragraph "**The question.** How do ..."
    plain = " ".join(re.sub(r"\*+", "", question).split())
    assert plain in " ".join(re.sub(r"\s+([,.;:?)])", r"\1", text).split()).replace("( ", "("), plain
    bold = {s.get_text(" ", strip=True) for s in soup.find("article").find_all("strong")}
    for words in re.findall(r"\*\*(.+?)\*\*", question, re.S):
        assert " ".join(words.split()) in {" ".join(b.split()) for b in bold}
    assert "## Two commands".lstrip("# ") not in text       # the README stops before "Two commands"
    assert soup.find("title").get_text().startswith(title)


def test_front_page_links_binder_and_has_no_timestamp(site):
    soup = page(site / "index.html")
    links = [a["href"] for a in soup.find("article").find_all("a", href=True)]
    assert any("mybinder.org" in h and "example/study" in h for h in links)
    assert not re.search(r"Last updated|\b20\d\d-\d\d-\d\d[ T]\d\d:\d\d", soup.get_text())


def test_every_notebook_has_a_page_with_the_toc_and_prev_next(site, snapshot):
    pages = [notebook_page(p.stem) for p in notebooks_of(snapshot)]
    order = ["index.html", *pages, "gallery.html", "explore.html"]
    for i, rel in enumerate(order):
        path = site / rel
        assert path.exists(), rel
        soup = page(path)
        nav = soup.find("nav", class_="bd-docs-nav")
        assert nav is not None, f"no sidebar table of contents on {rel}"
        assert set(pages) | {"gallery.html", "explore.html"} <= resolved_links(soup, rel, nav), rel
        prev = soup.find("a", class_="left-prev")
        nxt = soup.find("a", class_="right-next")
        if i > 0:
            assert prev is not None and urljoin(rel, prev["href"]) == order[i - 1], rel
        if i < len(order) - 1:
            assert nxt is not None and urljoin(rel, nxt["href"]) == order[i + 1], rel


def test_notebook_pages_keep_their_stored_outputs_and_titles(site, snapshot):
    for path in notebooks_of(snapshot):
        nb = nbformat.read(path, as_version=4)
        soup = page(site / notebook_page(path.stem))
        assert soup.find("article").find("h1").get_text(strip=True).rstrip("#") == bs.notebook_title(nb)
        n_outputs = sum(any("scrapbook" not in o.get("metadata", {}) for o in c.outputs)   # glue values
                        for c in nb.cells if c.cell_type == "code")                          # are not shown
        assert len(soup.select("div.cell_output")) >= n_outputs * 0.9, path.name
        n_images = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        assert len(soup.select("div.cell_output img")) >= n_images, path.name


def test_search_page_and_index(site, snapshot):
    assert (site / "search.html").exists()
    text = (site / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1:text.rindex(")")])
    assert "kappa" in index["terms"]                        # a word of notebook 02
    titles = html.unescape(" ".join(index["titles"]))
    for path in notebooks_of(snapshot):
        assert bs.notebook_title(nbformat.read(path, as_version=4)) in titles
    assert page(site / "search.html").find("script", src=re.compile(r"searchtools\.js"))


def test_plotting_inputs_are_behind_a_toggle(site, snapshot):
    hidden_saves = 0
    for path in notebooks_of(snapshot):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        hidden = [c.source for c in code if bs.only_plots_or_saves(c.source)]
        soup = page(site / notebook_page(path.stem))
        toggled = soup.select("div.tag_hide-input")
        assert len(toggled) == len(hidden), path.name
        for div, source in zip(toggled, hidden):
            assert div.find("details") is not None and div.find("details").select_one("div.cell_input")
            shown = " ".join(div.select_one("div.cell_input").get_text().split())
            assert shown == " ".join(source.split())
            hidden_saves += "save_figure(" in source
        # an import cell stays visible
        imports = next(c.source for c in code if c.source.lstrip().startswith(("import", "from")))
        first_line = imports.splitlines()[0]
        visible = [d for d in soup.select("div.cell") if "tag_hide-input" not in d["class"]]
        assert any(first_line in " ".join(d.get_text().split()) for d in visible), path.name
    assert hidden_saves >= 1


def test_gallery_shows_every_figure_linked_to_its_notebook(site, snapshot):
    soup = page(site / "gallery.html")
    by_number = {p.stem.split("_", 1)[0]: p.stem for p in notebooks_of(snapshot)}
    cards = soup.select("div.sd-card")
    for fig in sorted((snapshot / "figures").glob("*.png")):
        card = next((c for c in cards if c.find("img", src=f"_images/{fig.name}")), None)
        assert card is not None, fig.name
        assert (site / "_images" / fig.name).read_bytes() == fig.read_bytes()
        stem = by_number[fig.stem.split("_", 1)[0]]
        assert notebook_page(stem) in resolved_links(soup, "gallery.html", card), fig.name


def test_binder_launch_links_on_notebook_pages(site, snapshot):
    for path in notebooks_of(snapshot):
        soup = page(site / notebook_page(path.stem))
        links = [a["href"] for a in soup.find_all("a", href=True)]
        binder = [h for h in links if "mybinder.org" in h and "example/study" in h]
        assert binder, path.name
        assert any(h.endswith(f"urlpath=lab/tree/notebooks/{path.name}") for h in binder), binder


def test_explorer_page_embeds_the_explorer(site):
    assert (site / "explorer.html").read_text(encoding="utf-8") == FAKE_EXPLORER
    soup = page(site / "explore.html")
    iframe = soup.find("iframe")
    assert iframe is not None and iframe["src"] == "explorer.html" and iframe["width"] == "100%"
    assert int(iframe["height"]) >= 800
    assert soup.find("article").find("a", href="explorer.html") is not None


def test_no_javascript_links_anywhere(site):
    for path in site.rglob("*.html"):
        soup = page(path)
        for a in soup.find_all(href=True):
            assert not bs.is_javascript_url(a["href"]), (path, a)


# --- a tiny book: glue with execution off, no repository URL, the site folder replaced -------


def _executed_glue_notebook(folder: Path) -> Path:
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 00 · Glue check\n\nA [bad link](javascript:alert(1)) and a "
                                      "[good one](https://example.org)."),
        nbformat.v4.new_code_cell('from myst_nb import glue\nglue("n", 3.14159, display=False)'),
        nbformat.v4.new_markdown_cell("The glued value is {glue:text}`n:.2f` here."),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    path = folder / "00_glue.ipynb"
    nbformat.write(nb, path)
    return path


def test_glue_renders_from_stored_outputs_without_execution(tmp_path, monkeypatch, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    path = _executed_glue_notebook(notebooks)
    stored = nbformat.read(path, as_version=4)
    assert any(o.get("metadata", {}).get("scrapbook") for o in stored.cells[1].outputs)
    readme = tmp_path / "README.md"
    readme.write_text("# Tiny study\n\nIs **this** the question? [x](JavaScript:alert(2))\n\n## Two commands\n\nmake\n",
                      encoding="utf-8")
    figures = tmp_path / "figures"
    figures.mkdir()
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "index.html").write_text("old site", encoding="utf-8")
    (site_dir / "stale.html").write_text("old page", encoding="utf-8")
    monkeypatch.delenv("STUDY_REPOSITORY_URL", raising=False)
    monkeypatch.setattr(bs, "ROOT", tmp_path)                # no CITATION.cff, no git remote here

    index = bs.build(notebooks, figures, site_dir, readme=readme)

    assert index == site_dir / "index.html" and not (site_dir / "stale.html").exists()
    nb_page = page(site_dir / "notebooks" / "00_glue.html")
    paragraph = next(p for p in nb_page.find_all("p") if "The glued value is" in p.get_text())
    assert "3.14" in paragraph.get_text() and "3.14159" not in paragraph.get_text()
    assert not (nb_page.find("a", string="bad link") or {}).get("href", "").lower().startswith("javascript")
    assert nb_page.find("a", href="https://example.org") is not None
    assert not any("mybinder.org" in a["href"] for a in nb_page.find_all("a", href=True))
    front = page(index)
    assert front.find("article").find("h1").get_text(strip=True).rstrip("#") == "Tiny study"
    assert front.find("strong").get_text() == "this"
    text = article_text(front)
    assert "Run it yourself" in text and "make study" in text and "STUDY_REPOSITORY_URL" in text
    assert not any(bs.is_javascript_url(a["href"]) for a in front.find_all("a", href=True))
    assert "no repository URL" in capsys.readouterr().out
    assert "No figures yet" in article_text(page(site_dir / "gallery.html"))
    assert not (site_dir / "explore.html").exists()


def test_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path):
    target = tmp_path / "precious"
    target.mkdir()
    (target / "data.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(ValueError):
        bs.build(ROOT / "notebooks", ROOT / "figures", target)
    with pytest.raises(ValueError):
        bs.build(ROOT / "notebooks", ROOT / "figures", ROOT)
    assert (target / "data.csv").exists()


# --- unit tests ----------------------------------------------------------------------------


@pytest.mark.parametrize("source", [
    'save_figure(fig, "02_arcs")',
    'fig = plot_arcs(arc, docs, NAME, 7)\nsave_figure(fig, "02_arcs");\nplt.show()',
    'fig, ax = plt.subplots(figsize=(6, 3))\nax.set_title(f"{len(x)} texts")\nfig.tight_layout()',
    'save_table(table, "keyness")\ndisplay(table)',
    'fig = rp.rate_heatmap(rates, corpus, LABELS, by=GROUP, title="x")\nsave_figure(fig, "03_heatmap")\nplt.show()',
    'fig = P.plot_confusion_matrices({f"{g} (n = {int(n)})": cm for g, cm in per_group.items()}, "t")',
])
def test_only_plots_or_saves_true(source):
    assert bs.only_plots_or_saves(source)


@pytest.mark.parametrize("source", [
    'table = keyness(tokens, groups)\nsave_table(table, "keyness")\nfig = plot_keyness(table)\nsave_figure(fig, "k")',
    "import pandas as pd\nfrom analysis import save_figure",
    'print("done")',
    "display(ev.error_counts(errs))",
    'fig = rp.quotes_per_text(quotes, corpus, words.groupby("doc_id")["n"].sum())\nsave_figure(fig, "q")',
    'fig = rp.rate_heatmap(rates)\nplt.show()',             # not saved: rate_heatmap is not known to plot
    "summary",
    "for ax in axes:\n    ax.plot(x)",
    "%matplotlib inline",
    "",
    "# just a comment",
])
def test_only_plots_or_saves_false(source):
    assert not bs.only_plots_or_saves(source)


@pytest.mark.parametrize("before, after", [
    ("[x](javascript:alert(1))", "[x](#)"),
    ("[x]( JavaScript:alert(document.cookie) \"title\")", "[x]( # \"title\")"),
    ("[x](<javascript:alert(1)>)", "[x](#)"),
    ("![img](jAvAsCrIpT:alert(1))", "![img](#)"),
    ("[x](&#106;avascript:alert(1))", "[x](#)"),
    ("[x](javascript\\:alert(1))", "[x](#)"),
    ("[ref]: javascript:alert(1)\n", "[ref]: #\n"),
    ("see <javascript:alert(1)>", "see #"),
    ('<a href="javascript:alert(1)">x</a>', '<a href="#">x</a>'),
    ("[ok](https://example.org/javascript:x) and [rel](notebooks/01_vocabulary.ipynb)",
     "[ok](https://example.org/javascript:x) and [rel](notebooks/01_vocabulary.ipynb)"),
    ("code `[x](javascript:y)` stays", "code `[x](javascript:y)` stays"),
    ("```python\nlink = '[x](javascript:y)'\n```\n[x](javascript:y)", "```python\nlink = '[x](javascript:y)'\n```\n[x](#)"),
    ("```{note}\n[x](javascript:y)\n```", "```{note}\n[x](#)\n```"),
    ("{glue:text}`n:.2f` and [a](b)", "{glue:text}`n:.2f` and [a](b)"),
])
def test_neutralise_javascript_links(before, after):
    assert bs.neutralise_javascript_links(before) == after


def test_repository_url_order(tmp_path, monkeypatch):
    monkeypatch.delenv("STUDY_REPOSITORY_URL", raising=False)
    assert bs.resolve_repository_url(None, root=tmp_path)[0] is None
    (tmp_path / "CITATION.cff").write_text("cff-version: 1.2.0\nrepository-code: https://github.com/cff/study\n",
                                           encoding="utf-8")
    assert bs.resolve_repository_url(None, root=tmp_path)[0] == "https://github.com/cff/study"
    monkeypatch.setenv("STUDY_REPOSITORY_URL", "https://github.com/env/study.git")
    assert bs.resolve_repository_url(None, root=tmp_path)[0] == "https://github.com/env/study"
    assert bs.resolve_repository_url("https://github.com/arg/study/", root=tmp_path)[0] == "https://github.com/arg/study"
    monkeypatch.setenv("STUDY_REPOSITORY_URL", "javascript:alert(1)")   # unusable: skipped, next source
    assert bs.resolve_repository_url(None, root=tmp_path)[0] == "https://github.com/cff/study"


def test_readme_front_and_notebook_title():
    title, body = bs.readme_front(ROOT / "README.md")
    assert title and not body.lstrip().startswith("#") and "Two commands" not in body
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("# not a heading"),
                                         nbformat.v4.new_markdown_cell("text\n\n## 01 · Title here")])
    assert bs.notebook_title(nb) == "01 · Title here"
