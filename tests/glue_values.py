"""The values a notebook glued (myst-nb ``glue``) for the Markdown of its findings.

A finding's number is written in Markdown as ``{glue:text}`name:fmt``` and a word or
phrase as ``{glue:md}`name``; the value itself is stored in the executed notebook as a
display output. Tests read the values here and compare them with the tables and with an
independent computation, number for number.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat

PREFIX = "application/papermill.record/"
ROLE = re.compile(r"\{glue(?::(?:text|md|any))?\}`([^`:]+)(?::[^`]*)?`")
DIRECTIVE = re.compile(r"^\s*```\{glue(?::(?:md|figure|any))?\} +(\S+)", re.M)


def glued(path: Path) -> dict[str, str]:
    """name -> the glued value as text (``text/markdown`` if glued as Markdown, else
    ``text/plain`` with the quotes of a string repr removed)."""
    nb = nbformat.read(path, as_version=4)
    values = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name is None:
                continue
            data = out["data"]
            if PREFIX + "text/markdown" in data:
                values[name] = data[PREFIX + "text/markdown"]
            else:
                text = data[PREFIX + "text/plain"]
                try:
                    value = ast.literal_eval(text)
                    values[name] = value if isinstance(value, str) else text
                except (ValueError, SyntaxError):
                    values[name] = text
    return values


def glued_number(values: dict[str, str], name: str) -> float:
    """A glued value as a number (NumPy scalars are glued as their repr, e.g. ``np.float64(0.5)``)."""
    text = values[name]
    match = re.fullmatch(r"(?:np\.\w+\()?(-?[0-9.eE+-]+|nan)\)?", text.strip())
    if not match:
        raise ValueError(f"glued value {name!r} = {text!r} is not a number")
    return float(match[1])


def referenced(path: Path) -> set[str]:
    """The glue names the notebook's Markdown cells use."""
    nb = nbformat.read(path, as_version=4)
    return {m for cell in nb.cells if cell.cell_type == "markdown"
            for m in ROLE.findall(cell.source) + DIRECTIVE.findall(cell.source)}
