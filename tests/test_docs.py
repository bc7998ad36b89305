"""The documentation site builds in strict mode and covers every notebook."""

import os
import pathlib
import re
import shlex
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


# -- the README and getting-started snippets run as written, without warnings ------
# They train for 8 x 250 steps and a 5-epoch classifier (minutes); the test runs them
# with these substitutions, each of which must be found, so that a changed snippet
# cannot silently skip its check. Everything else runs exactly as written.
SNIPPET_SUBSTITUTIONS = {
    "epochs=8, steps_per_epoch=250": "epochs=2, steps_per_epoch=3",
    'DomainClassifier.for_dataset("fashion_mnist")': 'DomainClassifier.for_dataset("digits", epochs=1)',
    "num_images=2000": "num_images=40",
    "--epochs 8 --steps-per-epoch 250": "--epochs 2 --steps-per-epoch 3",
    "--extractor domain:fashion_mnist": "--extractor domain:digits --domain-epochs 1 --num-images 40",
    "--num-images 2000": "",
}
# TensorFlow's own start-up lines (C++ logging, printed on import by any TensorFlow program).
TF_START_UP = re.compile(
    r"^([IWE]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ \S+\] |WARNING: All log messages before absl::InitializeLog"
    r"|To enable the following instructions:)"
)


def _blocks(page, language):
    text = (ROOT / page).read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.M | re.S)


def _substituted(text, used):
    for old, new in SNIPPET_SUBSTITUTIONS.items():
        if old in text:
            used.add(old)
            text = text.replace(old, new)
    return text


def _warnings(stderr):
    lines = [line for line in stderr.splitlines() if line.strip() and not TF_START_UP.match(line)]
    return [line for line in lines if "warn" in line.lower()]


@pytest.mark.slow
@pytest.mark.parametrize("page", ["README.md", "docs/getting-started.md"])
def test_snippets_run_as_written_without_warnings(page, tmp_path):
    import data_loaders

    if not os.path.isdir(data_loaders.DEBIAN_FASHION_MNIST_DIR):
        pytest.skip("the snippets train on real Fashion-MNIST: apt-get install dataset-fashion-mnist")
    env = dict(os.environ, GANKIT_CACHE=str(tmp_path / "cache"))
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)  # What a user's shell has.
    used = set()
    (python,) = _blocks(page, "python")
    # The budget the substitutions shrink must fit the data as written: 60,000 training
    # images, or a repeated dataset (else Keras stops the epochs early with a warning).
    epochs, steps = map(int, re.search(r"epochs=(\d+), steps_per_epoch=(\d+)", python).groups())
    batch = int(re.search(r"fashion_mnist\(batch_size=(\d+)", python).group(1))
    assert ".repeat()" in python or epochs * steps * batch <= 60000
    (tmp_path / "snippet.py").write_text(_substituted(python, used), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "snippet.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert _warnings(result.stderr) == []
    commands = [
        line
        for block in _blocks(page, "bash")
        for line in block.replace("\\\n", " ").splitlines()
        if line.startswith("gankit ")
    ]
    assert len(commands) == 3
    for command in commands:
        arguments = shlex.split(_substituted(command, used))[1:]
        result = subprocess.run(
            [sys.executable, "-m", "gankit", *arguments],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert result.returncode == 0, f"{command}\n{result.stderr[-3000:]}"
        assert _warnings(result.stderr) == [], command
        assert "gankit: wrote" in result.stdout or "extractor:" in result.stdout, command
    assert used, "no substitution applied: the snippet budget would be the full one"
