"""The `gankit` command: train, generate, help and one-line errors."""

import json
import subprocess
import sys
import zipfile

import imageio.v3 as iio
import numpy as np
import pytest

from gankit import cli


def run_cli(*args):
    return cli.main([str(a) for a in args])


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory):
    pytest.importorskip("sklearn")
    out = tmp_path_factory.mktemp("run")
    status = run_cli(
        "train", "dcgan", "--dataset", "digits", "--image-size", "16", "--latent-dim", "8",
        "--epochs", "2", "--steps-per-epoch", "2", "--batch-size", "8", "--out", out, "--quiet",
        "--checkpoint-every", "1",
    )  # fmt: skip
    assert status == 0
    return out


def test_train_writes_every_output(trained_run, capsys):
    names = {p.name for p in trained_run.iterdir()}
    assert {
        "generator.keras",
        "gan.keras",
        "history.json",
        "training.gif",
        "losses_all_time.png",
        "samples_epoch_0001.png",
        "samples_epoch_0002.png",
        "checkpoints",
    } <= names
    history = json.loads((trained_run / "history.json").read_text())
    assert set(history) >= {"d_loss", "g_loss", "d_real_accuracy", "d_fake_accuracy"}
    assert len(history["d_loss"]) == 2
    assert len(list((trained_run / "checkpoints").glob("*.keras"))) == 2


def test_train_a_preset_prints_where_outputs_went(tmp_path, capsys):
    pytest.importorskip("sklearn")
    out = tmp_path / "preset"
    status = run_cli(
        "train", "dcgan", "--preset", "mlm_mnist", "--dataset", "digits", "--epochs", "1",
        "--steps-per-epoch", "1", "--batch-size", "4", "--loss", "ra_lsgan", "--out", out, "--quiet",
    )  # fmt: skip
    assert status == 0
    assert f"to {out.resolve()}" in capsys.readouterr().out


@pytest.mark.parametrize("target", ["grid.png", "images.zip", "folder"])
def test_generate(trained_run, tmp_path, target, capsys):
    out = tmp_path / target
    assert run_cli("generate", "--model", trained_run / "generator.keras", "-n", 6, "--out", out, "--seed", 1) == 0
    if target == "grid.png":
        assert iio.imread(out).ndim in (2, 3)
    elif target == "images.zip":
        with zipfile.ZipFile(out) as archive:
            assert sorted(archive.namelist()) == [f"{i}.png" for i in range(6)]
    else:
        assert sorted(p.name for p in out.iterdir()) == sorted(f"{i}.png" for i in range(6))
    assert "wrote 6 images" in capsys.readouterr().out


def test_generate_is_reproducible_with_a_seed(trained_run, tmp_path):
    for name in ("a.png", "b.png"):
        run_cli("generate", "--model", trained_run / "gan.keras", "-n", 4, "--out", tmp_path / name, "--seed", 3)
    np.testing.assert_array_equal(iio.imread(tmp_path / "a.png"), iio.imread(tmp_path / "b.png"))


@pytest.mark.parametrize(
    "args,message",
    [
        (["generate", "--model", "missing.keras", "--out", "x.png"], "does not exist"),
        (["train", "dcgan", "--dataset", "image_folder", "--out", "{tmp}/o"], "needs --data-dir"),
        (["train", "dcgan", "--preset", "mlm_cifar10", "--dataset", "fashion_mnist", "--out", "{tmp}/o"], "channel"),
        (["train", "dcgan", "--preset", "mlm_mnist", "--image-size", "32", "--out", "{tmp}/o"], "image-size"),
    ],
)
def test_errors_are_one_line(tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        run_cli(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("gankit: error:") and message in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize("args", [[], ["train"], ["train", "dcgan", "--epochs", "0", "--out", "x"]])
def test_usage_errors(args, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_cli(*args)
    assert exit_info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_help_everywhere():
    for args in ([], ["train"], ["train", "dcgan"], ["generate"]):
        result = subprocess.run(
            [sys.executable, "-m", "gankit", *args, "--help"], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        assert "usage: gankit" in result.stdout
