"""The `gankit` command: train, generate, help and one-line errors."""

import json
import os
import platform
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
        (["generate", "--model", "{tmp}/empty.keras", "--out", "x.png"], "is empty"),
        (["generate", "--model", "{tmp}/text.keras", "--out", "x.png"], "bytes of something else"),
        (["train", "dcgan", "--dataset", "image_folder", "--out", "{tmp}/o"], "needs --data-dir"),
        (["train", "dcgan", "--preset", "mlm_cifar10", "--dataset", "fashion_mnist", "--out", "{tmp}/o"], "channel"),
        (["train", "dcgan", "--preset", "mlm_mnist", "--image-size", "32", "--out", "{tmp}/o"], "image-size"),
    ],
)
def test_errors_are_one_line(tmp_path, capsys, args, message):
    (tmp_path / "empty.keras").write_bytes(b"")
    (tmp_path / "text.keras").write_text("not a model")
    with pytest.raises(SystemExit) as exit_info:
        run_cli(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("gankit: error:") and message in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err


TINY_RUN = ("train", "dcgan", "--dataset", "digits", "--image-size", "16", "--latent-dim", "8", "--epochs", "1",
            "--steps-per-epoch", "2", "--batch-size", "8", "--quiet")  # fmt: skip


def test_generate_refuses_a_discriminator_file(trained_run, tmp_path, capsys):
    import gankit

    gan = gankit.load_model(trained_run / "gan.keras")
    gan.discriminator.save(tmp_path / "discriminator.keras")
    with pytest.raises(SystemExit) as exit_info:
        run_cli("generate", "--model", tmp_path / "discriminator.keras", "--out", tmp_path / "x.png")
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "not a generator" in err and len(err.splitlines()) == 1 and "\x1b[" not in err, err


def test_error_lines_carry_no_colour_codes():
    assert cli._one_line(ValueError("\x1b[1mKeras\x1b[0m says:\n  \x1b[31mno\x1b[0m")) == "Keras says: no"


def test_a_finished_run_is_not_overwritten_without_overwrite(tmp_path, capsys):
    out = tmp_path / "run"
    assert run_cli(*TINY_RUN, "--out", out) == 0
    before = (out / "generator.keras").read_bytes()
    with pytest.raises(SystemExit) as exit_info:
        run_cli(*TINY_RUN, "--out", out)
    assert exit_info.value.code == 2
    assert "already holds a finished run" in capsys.readouterr().err
    assert (out / "generator.keras").read_bytes() == before
    assert run_cli(*TINY_RUN, "--out", out, "--overwrite", "--seed", "1") == 0
    assert (out / "generator.keras").read_bytes() != before


def test_a_diverged_run_saves_nothing_and_keeps_the_previous_files(tmp_path, capsys):
    out = tmp_path / "run"
    assert run_cli(*TINY_RUN, "--out", out) == 0
    saved = {name: (out / name).read_bytes() for name in ("generator.keras", "gan.keras", "history.json")}
    with pytest.raises(SystemExit) as exit_info:
        run_cli(*TINY_RUN, "--out", out, "--overwrite", "--gradient-penalty", "1e30")
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "NaN or infinite" in err and "Nothing was saved" in err and len(err.splitlines()) == 1, err
    assert {name: (out / name).read_bytes() for name in saved} == saved
    assert not list(out.glob("*.partial-*"))


def test_a_run_that_fails_before_writing_leaves_no_folder(tmp_path, monkeypatch):
    import keras

    import data_loaders.mnist_family

    monkeypatch.setattr(data_loaders.mnist_family, "DEBIAN_FASHION_MNIST_DIR", str(tmp_path / "no-debian-files"))
    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data", _offline)
    with pytest.raises(SystemExit):
        run_cli("train", "dcgan", "--dataset", "fashion_mnist", "--out", tmp_path / "new" / "run", "--quiet")
    assert not (tmp_path / "new" / "run").exists()


@pytest.mark.parametrize(
    "args,message",
    [
        (["--gradient-penalty", "inf"], "finite"),
        (["--seed", "-5"], "--seed: expected a non-negative integer"),
        (["--label-smoothing", "nan"], "finite"),
        (["--data-dir", "."], "reads no folder"),
    ],
)
def test_train_argument_errors(tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        run_cli(*TINY_RUN, "--out", tmp_path / "o", *args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("args", [[], ["train"], ["train", "dcgan", "--epochs", "0", "--out", "x"]])
def test_usage_errors(args, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_cli(*args)
    assert exit_info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_help_everywhere():
    for args in ([], ["train"], ["train", "dcgan"], ["generate"], ["evaluate"]):
        result = subprocess.run(
            [sys.executable, "-m", "gankit", *args, "--help"], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        assert "usage: gankit" in result.stdout
        assert result.stderr == ""


def test_help_and_usage_errors_import_no_tensorflow():
    # What makes `gankit --help` answer in well under a second instead of ~20 s.
    script = (
        "import sys\n"
        "from gankit import cli\n"
        "for argv in (['--help'], ['train', 'dcgan', '--help'], ['generate', '--model', 'missing.keras', "
        "'--out', 'x.png'], ['train', 'dcgan', '--epochs', '0', '--out', 'x'], "
        "['evaluate', '--real', 'nowhere', '--fake', '.']):\n"
        "    try:\n"
        "        cli.main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "assert 'tensorflow' not in sys.modules, 'tensorflow was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "does not exist" in result.stderr and "--real must be a folder" in result.stderr


@pytest.mark.skipif(
    platform.machine().lower() not in ("x86_64", "amd64") or sys.platform == "darwin",
    reason="oneDNN's custom ops are in TensorFlow's Linux and Windows x86 builds only",
)
@pytest.mark.parametrize("setting,expected", [(None, "1"), ("0", "0"), ("1", "1")])
def test_the_command_turns_on_onednn_unless_told_otherwise(setting, expected):
    # TensorFlow reads TF_ENABLE_ONEDNN_OPTS once, at import; unset, it turns oneDNN on only on
    # CPUs with AVX512_VNNI, AVX512_BF16, AVX_VNNI or AMX. The command imports TensorFlow with the
    # variable defaulted to 1, so oneDNN is on on every x86 CPU, unless the user set it.
    env = {key: value for key, value in os.environ.items() if key != "TF_ENABLE_ONEDNN_OPTS"}
    if setting is not None:
        env["TF_ENABLE_ONEDNN_OPTS"] = setting
    script = (
        "import os\n"
        "from gankit import cli\n"
        "cli._quiet_tensorflow()\n"
        "from tensorflow.python.util import _pywrap_util_port\n"
        "print(os.environ['TF_ENABLE_ONEDNN_OPTS'], _pywrap_util_port.IsMklEnabled())\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [expected, str(expected == "1")]


def test_every_option_has_help():
    parser = cli._build_parser()
    dcgan = parser._subparsers._group_actions[0].choices["train"]._subparsers._group_actions[0].choices["dcgan"]
    missing = [action.dest for action in dcgan._actions if not action.help]
    assert missing == []
    assert "discriminator updates per step" in dcgan.format_help()


def test_choice_lists_match_the_library():
    # cli spells these out so that its parser imports no TensorFlow.
    from gankit.losses import LOSS_FAMILIES
    from gankit.metrics.domain_classifier import DOMAIN_DATASETS
    from gankit.metrics.evaluation import DATASET_SOURCES
    from gankit.metrics.evaluation import METRIC_NAMES
    from gankit.models import DCGAN_PRESET_NAMES

    assert cli.DCGAN_PRESETS == DCGAN_PRESET_NAMES
    assert cli.LOSS_FAMILIES == LOSS_FAMILIES
    assert cli.METRIC_NAMES == METRIC_NAMES
    assert cli.DOMAIN_DATASETS == tuple(sorted(DOMAIN_DATASETS))
    assert cli.REAL_DATASETS == DATASET_SOURCES


def test_a_normal_run_prints_no_tensorflow_start_up_lines(trained_run, tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "TF_CPP_MIN_LOG_LEVEL"}
    result = subprocess.run(
        [sys.executable, "-m", "gankit", "generate", "--model", str(trained_run / "generator.keras"), "-n", "4",
         "--out", str(tmp_path / "grid.png")],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "wrote 4 images" in result.stdout


def _offline(*args, **kwargs):
    # What keras.utils.get_file raises without network: a bare Exception chained to the URLError.
    raise Exception("URL fetch failure on https://storage.googleapis.com/x: None -- [Errno -3] name resolution")


@pytest.mark.parametrize(
    "dataset,patch,messages",
    [
        ("fashion_mnist", "datasets.fashion_mnist", ["Fashion-MNIST", "dataset-fashion-mnist", "--data-dir"]),
        ("cifar10", "utils", ["CIFAR-10", "cifar-10-batches-py", "--data-dir"]),
        ("mnist", "datasets.mnist", ["MNIST", "--data-dir"]),
    ],
)
def test_download_failures_are_one_line(tmp_path, monkeypatch, capsys, dataset, patch, messages):
    import keras

    import data_loaders.mnist_family

    monkeypatch.setattr(data_loaders.mnist_family, "DEBIAN_FASHION_MNIST_DIR", str(tmp_path / "no-debian-files"))
    module = keras
    for part in patch.split("."):
        module = getattr(module, part)
    monkeypatch.setattr(module, "get_file" if patch == "utils" else "load_data", _offline)
    with pytest.raises(SystemExit) as exit_info:
        run_cli("train", "dcgan", "--dataset", dataset, "--epochs", "1", "--out", tmp_path / "o", "--quiet")
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("gankit: error: Could not download") and "name resolution" in err, err
    assert all(message in err for message in messages), err
    assert len(err.splitlines()) == 1 and "Traceback" not in err


# -- gankit evaluate --------------------------------------------------------------
# A real extractor path, kept small: `domain:digits` trained for one epoch
# (`--domain-epochs 1`) once per module, cached under GANKIT_CACHE in tmp.

DIGITS_EXTRACTOR = ("--extractor", "domain:digits", "--domain-epochs", "1")


@pytest.fixture(scope="module")
def evaluate_folders(tmp_path_factory):
    import data_loaders

    root = tmp_path_factory.mktemp("evaluate")
    digits = data_loaders.load_digits_arrays()[0]
    noise = np.random.default_rng(0).integers(0, 256, size=(50, 8, 8), dtype=np.uint8)
    for name, images in (("real", digits[:60]), ("fake", noise)):
        (root / name).mkdir()
        for index, image in enumerate(images):
            iio.imwrite(root / name / f"{index:03d}.png", image)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GANKIT_CACHE", str(root / "cache"))
        yield root


def test_evaluate_folders_prints_a_table_and_writes_json(evaluate_folders, capsys):
    from gankit.metrics.domain_classifier import DomainClassifier
    from gankit.metrics.evaluation import evaluate

    root = evaluate_folders
    status = run_cli(
        "evaluate", "--real", root / "real", "--fake", root / "fake", "--metrics", "fid,kid,is,mifid",
        *DIGITS_EXTRACTOR, "--json", root / "out" / "values.json", "--quiet",
    )  # fmt: skip
    assert status == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["metric", "value", "std", "N", "real", "N", "fake"]
    assert "extractor: domain_digits_v1_epochs1_seed0" in out
    values = json.loads((root / "out" / "values.json").read_text())
    assert (values["num_real"], values["num_fake"]) == (60, 50)
    assert values["fake"] == str(root / "fake")
    # The same numbers as the library call with the (now cached) classifier.
    classifier = DomainClassifier.for_dataset("digits", epochs=1, verbose=0)
    expected = evaluate(str(root / "fake"), str(root / "real"), ("fid", "kid", "is", "mifid"), extractor=classifier)
    assert values == pytest.approx({**expected.as_dict(), "real": str(root / "real"), "fake": str(root / "fake")})


@pytest.mark.parametrize("file_name", ["generator.keras", "gan.keras"])
def test_evaluate_a_saved_model_against_a_dataset_name(evaluate_folders, tmp_path, file_name, capsys):
    import keras

    from gankit.models import GAN

    generator = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(64, activation="tanh"), keras.layers.Reshape((8, 8, 1))]
    )
    discriminator = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    model = generator if file_name == "generator.keras" else GAN(generator, discriminator)
    model.save(tmp_path / file_name)
    arguments = ("evaluate", "--real", "digits", "--fake", tmp_path / file_name, "--num-images", 30, *DIGITS_EXTRACTOR,
                 "--real-cache", tmp_path / "digits.npz", "--json", tmp_path / "v.json", "--quiet")  # fmt: skip
    assert run_cli(*arguments) == 0
    first = json.loads((tmp_path / "v.json").read_text())
    assert (first["num_real"], first["num_fake"]) == (30, 30) and first["fid"] > 0
    assert (tmp_path / "digits.npz").is_file()
    assert run_cli(*arguments) == 0  # Reads the cache; the same images from --seed 0.
    assert json.loads((tmp_path / "v.json").read_text()) == first


@pytest.mark.parametrize(
    "args,message",
    [
        (["--fake", "{tmp}/missing"], "neither a folder nor a file"),
        (["--fake", "{tmp}/notes.txt"], ".keras file"),
        (["--fake", "{tmp}/broken.keras"], "could not load --fake"),
        (["--fake", "{tmp}", "--extractor", "vgg"], "--extractor must be"),
        (["--fake", "{tmp}", "--extractor", "domain:cifar10"], "cifar10"),
        (["--fake", "{tmp}", "--extractor", "inception", "--domain-epochs", "2"], "--domain-epochs"),
        (["--fake", "{tmp}", "--extractor", "inception"], "InceptionV3 ImageNet weights not found"),
        (["--fake", "{tmp}", "--extractor", "inception"], "add --allow-download"),
        (["--fake", "{tmp}", "--extractor", "inception"], "--inception-weights FILE"),
        (["--fake", "{tmp}", "--extractor", "inception"], "--extractor domain:digits|domain:fashion_mnist"),
        (["--fake", "{tmp}", "--extractor", "inception", "--inception-weights", "{tmp}/none.h5"], "is not a file"),
        (["--fake", "{tmp}", "--allow-download", *DIGITS_EXTRACTOR], "go with --extractor inception"),
        (["--fake", "{tmp}", "--metrics", "fid,kid"], "needs --real"),
        (["--fake", "{tmp}", "--real", "no_such_dataset", *DIGITS_EXTRACTOR], "no_such_dataset"),
    ],
)
def test_evaluate_errors_are_one_line(evaluate_folders, tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "empty_keras_home"))  # No Inception weights.
    (tmp_path / "notes.txt").write_text("not a model")
    (tmp_path / "broken.keras").write_bytes(b"not a zip")
    if "--real" not in args and "needs --real" not in message:
        args = [*args, "--real", str(evaluate_folders / "real")]
    with pytest.raises(SystemExit) as exit_info:
        run_cli("evaluate", *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("gankit: error:") and message in err, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err


def test_evaluate_usage(capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_cli("evaluate", "--fake", "x", "--metrics", "fid,swd")
    assert exit_info.value.code == 2
    assert "fid, kid, is, mifid" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        run_cli("evaluate", "--help")
    assert exit_info.value.code == 0
    assert "--real-cache" in capsys.readouterr().out
