"""The documentation site builds in strict mode and covers every notebook."""

import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
GUIDES = sorted(p.stem for p in (ROOT / "docs" / "guides").glob("*.md") if p.stem != "index")


def test_every_notebook_has_a_guide_and_every_guide_a_notebook():
    assert GUIDES == NOTEBOOKS


@pytest.mark.parametrize("name", GUIDES)
def test_guide_names_its_notebook_and_both_modes(name):
    text = (ROOT / "docs" / "guides" / f"{name}.md").read_text(encoding="utf-8")
    assert f"notebooks/{name}.ipynb" in text
    assert "GANKIT_SMOKE=1" in text


def test_readme_test_command_is_what_ci_runs():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_site_builds_in_strict_mode(tmp_path):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for page in ["index.html", "getting-started/index.html", "api/models/index.html"]:
        assert (tmp_path / "site" / page).is_file(), page
    api = (tmp_path / "site" / "api" / "models" / "index.html").read_text(encoding="utf-8")
    assert 'id="gankit.models.build_dcgan"' in api  # the reference is generated from docstrings
