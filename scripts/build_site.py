"""Build the study's static site (``site/``) with Jupyter Book 1 (Sphinx, sphinx-book-theme).

The notebooks are rendered as executed (their stored outputs, ``glue`` values included);
nothing is executed here. The book has a front page (the README's question), one page per
notebook in numbered order, a gallery of every figure linked to the notebook that made it,
optionally an embedded explorer page, search, and launch buttons for Binder once the
repository's URL is known. Run by ``make study`` after the notebooks; can be run alone::

    python scripts/build_site.py [--notebooks DIR] [--figures DIR] [--output SITE_DIR]

The book's sources are staged in a temporary folder next to the site (never inside
``notebooks/``): the notebooks are copied under ``notebooks/`` of the book (so that launch
buttons point to ``notebooks/NAME.ipynb`` of the repository), code cells that only plot or
save get the ``hide-input`` tag, and ``javascript:`` link targets are neutralised. The HTML
is built beside the site and swapped in at the end.
"""
from __future__ import annotations

import argparse
import ast
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
SITE_SRC = ROOT / "site_src"          # static book sources (CSS), copied into every build
README_SPLIT = "## Two commands"      # the front page is the README before this heading
BINDERHUB_URL = "https://mybinder.org"
BRANCH = "main"
REPOSITORY_ENV = "STUDY_REPOSITORY_URL"
EXPLORER_NAME = "explorer.html"       # the explorer's file in the site
EXPLORER_PAGE = "explore"             # its page (explore.html: explorer.html is the file itself)
FRONT_PAGE = "index"                  # the front page's source (index.md -> index.html, not a redirect)
HIDE_INPUT = "hide-input"

# ---------------------------------------------------------------------------------------------
# Which code cells are hidden behind a toggle

SHOW_OR_SAVE_FUNCTIONS = {"save_figure", "save_table", "display"}
MATPLOTLIB_NAMES = {"plt", "fig", "ax", "axes", "axs", "matplotlib", "mpl"}
# calls allowed inside the arguments of a plotting call: they make labels, not tables
LABEL_BUILTINS = {"len", "int", "float", "str", "round", "repr", "abs", "min", "max", "list", "tuple", "dict",
                  "sorted", "zip", "enumerate", "range"}
LABEL_METHODS = {"items", "keys", "values", "join", "format", "upper", "lower", "title", "strip", "replace"}


def _root_name(node: ast.expr) -> str | None:
    """The name at the root of ``a.b[0].c()`` (``a``), or None."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _function_name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _plots_or_saves(call: ast.Call, figure_makers: frozenset[int] = frozenset()) -> bool:
    """A call of save_figure, save_table, display, plot_*, a matplotlib method (plt., fig., ax.),
    or (by id in ``figure_makers``) a call whose result the cell passes to save_figure; its
    arguments may call nothing but these and label helpers (``display(make_table(x))`` computes)."""
    name = _function_name(call)
    if name is None:
        return False
    ok = (name in SHOW_OR_SAVE_FUNCTIONS or name.startswith("plot_") or id(call) in figure_makers
          or (isinstance(call.func, ast.Attribute) and _root_name(call.func.value) in MATPLOTLIB_NAMES))
    if not ok:
        return False
    for arg in [*call.args, *(k.value for k in call.keywords)]:
        for node in ast.walk(arg):
            if isinstance(node, ast.Call) and not _plots_or_saves(node, figure_makers):
                inner = _function_name(node)
                label_helper = (isinstance(node.func, ast.Name) and inner in LABEL_BUILTINS) or (
                    isinstance(node.func, ast.Attribute) and inner in LABEL_METHODS)
                if not label_helper:
                    return False
    return True


def only_plots_or_saves(source: str) -> bool:
    """True if every top-level statement of a code cell is a call, or an assignment from a call,
    that plots, shows or saves: ``save_figure``, ``save_table``, ``display``, a ``plot_*`` function,
    a matplotlib method (``plt.``, ``fig.``, ``ax.``), or a call whose result the cell saves with
    ``save_figure`` (``fig = rp.rate_heatmap(...)`` then ``save_figure(fig, ...)``). Imports,
    ``print``, loops, bare names and cells that compute tables are not; neither is an empty cell
    or one that does not parse (IPython magics)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    if not tree.body:
        return False
    saved = {arg.id for stmt in tree.body if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
             and _function_name(stmt.value) == "save_figure"
             for arg in stmt.value.args[:1] if isinstance(arg, ast.Name)}
    figure_makers = frozenset(
        id(stmt.value) for stmt in tree.body
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call)
        and any(isinstance(t, ast.Name) and t.id in saved for t in stmt.targets))
    for stmt in tree.body:
        if not isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign)):
            return False
        if not isinstance(stmt.value, ast.Call) or not _plots_or_saves(stmt.value, figure_makers):
            return False
    return True


# ---------------------------------------------------------------------------------------------
# javascript: links

_CODE_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})(.*)$")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
_REFERENCE_DEFINITION = re.compile(r"^([ ]{0,3}\[[^\]\n]+\]:[ \t]*\n?[ \t]*)(<[^>\n]*>|\S+)", re.M)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*)>")
_HTML_ATTRIBUTE = re.compile(r"""(\b(?:href|src|action|formaction|xlink:href)\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)""", re.I)
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def is_javascript_url(target: str) -> bool:
    """True if a link target runs script: ``javascript:`` after Markdown escapes and HTML
    entities are resolved and whitespace and control characters dropped, in any case."""
    text = html.unescape(_MARKDOWN_ESCAPE.sub(r"\1", target))
    text = "".join(ch for ch in text if ord(ch) > 32 and not ch.isspace())
    return text.lower().startswith("javascript:")


def _neutralise_inline_links(text: str) -> str:
    """``[text](javascript:...)`` and ``![alt](<javascript:...> "title")`` -> target ``#``."""
    out, pos = [], 0
    while (k := text.find("](", pos)) >= 0:
        j = k + 2
        while j < len(text) and text[j] in " \t\n":
            j += 1
        if j < len(text) and text[j] == "<":
            end = text.find(">", j + 1)
            if end < 0:
                out.append(text[pos:j])
                pos = j
                continue
            target, stop = text[j + 1:end], end + 1
        else:
            depth, e = 0, j
            while e < len(text):
                ch = text[e]
                if ch == "\\":
                    e += 2
                    continue
                if ch == "(":
                    depth += 1
                elif ch == ")":
                    if depth == 0:
                        break
                    depth -= 1
                elif ch.isspace():
                    break
                e += 1
            e = min(e, len(text))
            target, stop = text[j:e], e
        if is_javascript_url(target):
            out.append(text[pos:j] + "#")
        else:
            out.append(text[pos:stop])
        pos = stop
    out.append(text[pos:])
    return "".join(out)


def _neutralise_prose(text: str) -> str:
    text = _neutralise_inline_links(text)
    text = _REFERENCE_DEFINITION.sub(lambda m: m.group(1) + ("#" if is_javascript_url(m.group(2).strip("<>")) else m.group(2)), text)
    text = _AUTOLINK.sub(lambda m: "#" if is_javascript_url(m.group(1)) else m.group(0), text)
    return _HTML_ATTRIBUTE.sub(
        lambda m: m.group(1) + '"#"' if is_javascript_url(m.group(2).strip("\"'")) else m.group(0), text)


def _neutralise_outside_code_spans(text: str) -> str:
    out, pos = [], 0
    for m in _CODE_SPAN.finditer(text):
        out.append(_neutralise_prose(text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_neutralise_prose(text[pos:]))
    return "".join(out)


def neutralise_javascript_links(markdown: str) -> str:
    """Replace by ``#`` the target of every Markdown link (inline, reference definition,
    autolink, or ``href``/``src`` of raw HTML) that starts with ``javascript:`` (case-insensitive,
    whitespace stripped). Code is left as written: fenced code blocks (but not MyST directives,
    whose body is Markdown) and inline code spans."""
    lines = markdown.splitlines(keepends=True)
    out, prose, fence = [], [], None
    for line in lines:
        m = _CODE_FENCE.match(line)
        if fence is None:
            if m and not m.group(2).strip().startswith("{") and not (m.group(1)[0] == "`" and "`" in m.group(2)):
                out.append(_neutralise_outside_code_spans("".join(prose)))
                prose = []
                fence = m.group(1)
                out.append(line)
            else:
                prose.append(line)
        else:
            out.append(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not m.group(2).strip():
                fence = None
    out.append(_neutralise_outside_code_spans("".join(prose)))
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Notebooks, README, repository


def notebook_title(nb) -> str:
    """The first markdown heading of a notebook, without the '#'."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("# ").strip()
    return "untitled"


def notebook_paths(notebooks_dir: Path) -> list[Path]:
    """The study's notebooks in numbered order (``NN_name.ipynb``)."""
    return sorted(Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb"))


def readme_front(readme: Path) -> tuple[str, str]:
    """(title, body) of the README before ``## Two commands``: the top ``#`` heading is the title."""
    text = Path(readme).read_text(encoding="utf-8").split(README_SPLIT)[0]
    lines = text.splitlines()
    title, body = "", []
    for line in lines:
        if not title and re.match(r"^#\s", line):
            title = line.lstrip("#").strip()
            continue
        body.append(line)
    return title or "The study", "\n".join(body).strip() + "\n"


def prepare_notebook(nb) -> int:
    """Add ``hide-input`` to code cells that only plot or save and neutralise ``javascript:`` links
    in markdown cells and Markdown outputs, in place. Returns the number of cells hidden."""
    hidden = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = neutralise_javascript_links(cell.source)
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "text/markdown" in data:
                    md = data["text/markdown"]
                    data["text/markdown"] = neutralise_javascript_links("".join(md) if isinstance(md, list) else md)
            if only_plots_or_saves(cell.source):
                tags = cell.metadata.setdefault("tags", [])
                if HIDE_INPUT not in tags:
                    tags.append(HIDE_INPUT)
                    hidden += 1
    return hidden


_PROVIDER_URL = re.compile(r"^https://(github\.com|gitlab\.com|bitbucket\.org)/[\w.\-]+/[\w.\-]+$")


def _normalise_repository_url(url: str | None) -> str | None:
    if not url:
        return None
    url = url.strip().rstrip("/")
    if url.endswith(".git"):
        url = url[:-4]
    return url or None


def _citation_repository(root: Path) -> str | None:
    path = root / "CITATION.cff"
    if not path.exists():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return None
    value = data.get("repository-code") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def _git_origin(root: Path) -> str | None:
    try:
        result = subprocess.run(["git", "remote", "get-url", "origin"], cwd=root, capture_output=True,
                                text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    url = result.stdout.strip()
    return url if result.returncode == 0 and url.startswith("https://github.com/") else None


def resolve_repository_url(argument: str | None = None, root: Path | None = None) -> tuple[str | None, str]:
    """The repository's URL and where it came from: the argument, ``$STUDY_REPOSITORY_URL``, the
    ``repository-code`` of ``CITATION.cff``, else ``git remote get-url origin`` if it is an https
    GitHub URL. ``(None, reason)`` if none is found. A URL the launch buttons cannot use (not
    ``https://github.com|gitlab.com|bitbucket.org/ORG/REPO``) is skipped with a message."""
    root = ROOT if root is None else Path(root)
    candidates = [("argument", lambda: argument), (f"${REPOSITORY_ENV}", lambda: os.environ.get(REPOSITORY_ENV)),
                  ("CITATION.cff repository-code", lambda: _citation_repository(root)),
                  ("git remote origin", lambda: _git_origin(root))]
    for source, get in candidates:
        url = _normalise_repository_url(get())
        if url is None:
            continue
        if _PROVIDER_URL.match(url):
            return url, source
        print(f"site: ignoring repository URL {url!r} from {source}: "
              "not https://github.com/ORG/REPO (or gitlab.com, bitbucket.org)", flush=True)
    return None, "none found"


def binder_url(repo_url: str, path: str = "notebooks") -> str:
    """A Binder link to the repository, opening JupyterLab on ``path``."""
    host, org, repo = repo_url.rsplit("/", 2)
    kind = {"https://github.com": "gh", "https://gitlab.com": "gl"}.get(host)
    if kind == "gh":
        base = f"{BINDERHUB_URL}/v2/gh/{org}/{repo}/{BRANCH}"
    elif kind == "gl":
        base = f"{BINDERHUB_URL}/v2/gl/{org}%2F{repo}/{BRANCH}"
    else:
        from urllib.parse import quote
        base = f"{BINDERHUB_URL}/v2/git/{quote(repo_url, safe='')}/{BRANCH}"
    return f"{base}?urlpath=lab/tree/{path}"


# ---------------------------------------------------------------------------------------------
# Book sources


def _front_page(title: str, body: str, notebooks: list[tuple[str, str]], has_explorer: bool,
                repo_url: str | None) -> str:
    """The front page: the README's question, the notebooks, and how to run them."""
    parts = [f"# {title}\n", neutralise_javascript_links(body)]
    parts.append("## The notebooks\n")
    parts += [f"- [{html.escape(nb_title, quote=False)}](notebooks/{stem}.ipynb)" for stem, nb_title in notebooks]
    parts += ["", "- [Figure gallery](gallery.md): every figure, each linked to the notebook that made it"]
    if has_explorer:
        parts.append(f"- [Explorer]({EXPLORER_PAGE}.md): the texts in the browser")
    parts.append("\n## Run it yourself\n")
    parts.append("On a machine with Python 3.11 and `make`: `make study` sets up `.venv/` with the pinned "
                 "versions, executes every notebook in order, regenerates `figures/` and `results/`, and "
                 "builds this site; `make lab` opens the notebooks in JupyterLab.")
    if repo_url:
        parts.append(f"\nOr run the notebooks in the browser on Binder (it builds the environment from "
                     f"`environment.yml`; the first start takes a few minutes): "
                     f"[launch on Binder]({binder_url(repo_url)}). Every notebook page also has a "
                     f"launch button (the rocket icon at the top).")
    else:
        parts.append(f"\nA button to run the notebooks on Binder appears once the repository's URL is known: "
                     f"set `{REPOSITORY_ENV}` or the `repository-code` field of `CITATION.cff` and build "
                     f"the site again.")
    return "\n".join(parts) + "\n"


def _gallery_page(figures: list[Path], notebooks: dict[str, tuple[str, str]]) -> str:
    lines = ["# Figure gallery", "",
             "Every figure of `figures/`, in the order of the notebooks. Click a figure to open the notebook "
             "that made it (the figure's name starts with the notebook's number).", ""]
    if not figures:
        return "\n".join(lines + ["No figures yet: run the notebooks (`make study`).", ""])
    lines += ["::::{grid} 1 1 2 2", ":gutter: 3", ""]
    for fig in figures:
        number = fig.stem.split("_", 1)[0]
        lines += [f":::{{grid-item-card}} `{fig.stem}`", ":class-card: gallery-card",
                  f":img-top: figures/{fig.name}", f":img-alt: figure {fig.stem}"]
        if number in notebooks:
            stem, nb_title = notebooks[number]
            lines += [f":link: notebooks/{stem}", ":link-type: doc", "",
                      f"Made by notebook {html.escape(nb_title, quote=False)}"]
        else:
            lines += ["", "No notebook of this number."]
        lines += [":::", ""]
    lines += ["::::", ""]
    return "\n".join(lines)


def _explorer_page() -> str:
    return f"""# Explorer

The word explorer is one self-contained page that runs in the browser alone, with no server and
no Python kernel, and works offline like the rest of this site: type any word, lemma or phrase
and it shows, as you type, its rate per 1,000 words in each text on a time axis, its count in
each text and its keyword-in-context lines, with filters for the groups of texts and the voice
of the words (the author's or quoted), so that any claim of the notebooks can be read in
context. If the frame below is too small, open the explorer on its own page.

<iframe class="study-explorer" src="{EXPLORER_NAME}" title="Word explorer" width="100%" height="900"></iframe>

<p><a href="{EXPLORER_NAME}">Open the explorer on its own page</a></p>
"""


def _config(title: str, repo_url: str | None) -> dict:
    config = {
        "title": title,
        "author": "",
        "copyright": "",
        "only_build_toc_files": True,
        "exclude_patterns": ["_build", "_extra", "**.ipynb_checkpoints"],
        "execute": {"execute_notebooks": "off"},
        "html": {"extra_footer": "", "home_page_in_navbar": True, "use_repository_button": bool(repo_url),
                 "use_issues_button": False, "use_edit_page_button": False},
        "launch_buttons": {"binderhub_url": BINDERHUB_URL if repo_url else "", "notebook_interface": "jupyterlab"},
        "repository": {"url": repo_url or "", "branch": BRANCH, "path_to_book": ""},
        "sphinx": {"config": {
            "html_last_updated_fmt": None,
            "html_show_sourcelink": False,
            "html_show_sphinx": False,
            "html_show_copyright": False,
            "html_extra_path": ["_extra"],
            "nb_merge_streams": True,
            "smartquotes": False,          # quotes as written: the texts' quotation marks are data here
        }},
    }
    return config


def stage_book(book: Path, notebooks_dir: Path, figures_dir: Path, readme: Path,
               explorer_html: Path | None, repo_url: str | None) -> dict:
    """Write the book's sources into ``book``; returns counts for the progress line."""
    book.mkdir(parents=True, exist_ok=True)
    if SITE_SRC.is_dir():
        shutil.copytree(SITE_SRC, book, dirs_exist_ok=True)
    (book / "_extra").mkdir(exist_ok=True)

    paths = notebook_paths(notebooks_dir)
    if not paths:
        raise FileNotFoundError(f"no notebooks NN_name.ipynb in {notebooks_dir}")
    (book / "notebooks").mkdir()
    notebooks, hidden = [], 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        hidden += prepare_notebook(nb)
        nbformat.write(nb, book / "notebooks" / path.name)
        notebooks.append((path.stem, notebook_title(nb)))

    figures = sorted(Path(figures_dir).glob("*.png")) if Path(figures_dir).is_dir() else []
    (book / "figures").mkdir()
    for fig in figures:
        shutil.copyfile(fig, book / "figures" / fig.name)

    title, body = readme_front(readme)
    by_number = {stem.split("_", 1)[0]: (stem, nb_title) for stem, nb_title in notebooks}
    (book / f"{FRONT_PAGE}.md").write_text(
        _front_page(title, body, notebooks, explorer_html is not None, repo_url), encoding="utf-8")
    (book / "gallery.md").write_text(_gallery_page(figures, by_number), encoding="utf-8")
    chapters = [{"file": f"notebooks/{stem}"} for stem, _ in notebooks] + [{"file": "gallery"}]
    if explorer_html is not None:
        shutil.copyfile(explorer_html, book / "_extra" / EXPLORER_NAME)
        (book / f"{EXPLORER_PAGE}.md").write_text(_explorer_page(), encoding="utf-8")
        chapters.append({"file": EXPLORER_PAGE})
    (book / "_toc.yml").write_text(yaml.safe_dump({"format": "jb-book", "root": FRONT_PAGE, "chapters": chapters},
                                                  sort_keys=False), encoding="utf-8")
    (book / "_config.yml").write_text(yaml.safe_dump(_config(title, repo_url), sort_keys=False, allow_unicode=True),
                                      encoding="utf-8")
    return {"notebooks": len(notebooks), "hidden": hidden, "figures": len(figures)}


# ---------------------------------------------------------------------------------------------
# Build

_JB_MAIN = "from jupyter_book.cli.main import main; main()"
_WARNING = re.compile(r"(WARNING|ERROR|CRITICAL|SEVERE):")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def run_jupyter_book(book: Path, output: Path, rename: dict[str, str] | None = None) -> list[str]:
    """``jupyter-book build`` of ``book`` into ``output/_build/html``; returns the warning lines,
    with the staged paths replaced as ``rename`` says. Raises RuntimeError (after printing the
    whole log) if the build fails."""
    cmd = [sys.executable, "-c", _JB_MAIN, "build", str(book), "--path-output", str(output), "--builder", "html"]
    env = dict(os.environ, PYTHONWARNINGS="ignore", NO_COLOR="1")
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=book)
    html_index = output / "_build" / "html" / "index.html"
    if result.returncode != 0 or not html_index.exists():
        sys.stdout.write(_ANSI.sub("", result.stdout))
        sys.stderr.write(_ANSI.sub("", result.stderr))
        raise RuntimeError(f"Jupyter Book build failed (exit code {result.returncode}); the log is above")
    warnings = []
    for line in _ANSI.sub("", result.stderr).splitlines():
        if _WARNING.search(line):
            for staged, original in (rename or {}).items():
                line = line.replace(staged, original)
            warnings.append(line)
    return warnings


def _check_site_dir(site_dir: Path, sources: list[Path]) -> None:
    """Refuse to replace a folder that holds the sources or does not look like a built site."""
    site_dir = site_dir.resolve()
    for source in sources:
        source = source.resolve()
        if source == site_dir or site_dir in source.parents:
            raise ValueError(f"the site folder {site_dir} contains {source}: choose another output folder")
    if site_dir.exists() and any(site_dir.iterdir()) and not (site_dir / "index.html").exists():
        raise ValueError(f"{site_dir} is not empty and holds no index.html: not replacing it")


def _swap_in(new: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` by ``new`` (same parent folder): two renames, then the old one deleted."""
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-", dir=site_dir.parent))
        old.rmdir()
        site_dir.rename(old)
    new.rename(site_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build(notebooks_dir: Path, figures_dir: Path, site_dir: Path, readme: Path = ROOT / "README.md",
          explorer_html: Path | None = None, repository_url: str | None = None) -> Path:
    """Build the site from the executed notebooks into ``site_dir``; returns its ``index.html``."""
    start = time.perf_counter()
    notebooks_dir, figures_dir, site_dir = Path(notebooks_dir), Path(figures_dir), Path(site_dir).absolute()
    readme = Path(readme)
    explorer_html = Path(explorer_html) if explorer_html is not None else None
    if explorer_html is not None and not explorer_html.is_file():
        raise FileNotFoundError(f"explorer page not found: {explorer_html}")
    _check_site_dir(site_dir, [notebooks_dir, figures_dir, readme, ROOT / "notebooks"])
    site_dir.parent.mkdir(parents=True, exist_ok=True)

    repo_url, source = resolve_repository_url(repository_url)
    if repo_url is None:
        print(f"site: no repository URL (set ${REPOSITORY_ENV} or repository-code in CITATION.cff): "
              "building without Binder buttons", flush=True)

    with tempfile.TemporaryDirectory(prefix=f".{site_dir.name}-build-", dir=site_dir.parent) as tmp:
        book = Path(tmp) / "book"
        counts = stage_book(book, notebooks_dir, figures_dir, readme, explorer_html, repo_url)
        print(f"site: staged {counts['notebooks']} notebooks ({counts['hidden']} plotting/saving inputs behind a "
              f"toggle), {counts['figures']} figures" + (", the explorer" if explorer_html else "")
              + (f"; Binder from {repo_url} ({source})" if repo_url else ""), flush=True)
        t0 = time.perf_counter()
        print("site: building with Jupyter Book (Sphinx, notebooks not executed) ...", flush=True)
        rename = {str(book / "notebooks"): str(notebooks_dir), str(book / f"{FRONT_PAGE}.md"): f"{readme} (front page)",
                  str(book): "<book>"}
        warnings = run_jupyter_book(book, Path(tmp), rename)
        for line in warnings:
            print(line, file=sys.stderr, flush=True)
        print(f"site: built in {time.perf_counter() - t0:.1f} s"
              + (f" with {len(warnings)} Sphinx warning(s), on stderr" if warnings else ", no warnings"), flush=True)
        _swap_in(Path(tmp) / "_build" / "html", site_dir)
    index = site_dir / "index.html"
    print(f"site: written {index} ({time.perf_counter() - start:.1f} s in all)", flush=True)
    return index


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks", help="executed notebooks (default notebooks/)")
    parser.add_argument("--figures", type=Path, default=ROOT / "figures", help="figures folder (default figures/)")
    parser.add_argument("--output", type=Path, default=SITE, help="site folder, replaced (default site/)")
    parser.add_argument("--explorer", type=Path, default=None, help="an explorer HTML file to embed (optional)")
    parser.add_argument("--repository-url", default=None,
                        help=f"repository for the Binder buttons (default ${REPOSITORY_ENV}, CITATION.cff, git origin)")
    args = parser.parse_args(argv)
    build(args.notebooks, args.figures, args.output, explorer_html=args.explorer, repository_url=args.repository_url)


if __name__ == "__main__":
    main()
