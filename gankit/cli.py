"""The `gankit` command: train, sample and evaluate GANs without writing code.

    gankit train dcgan --preset mlm_mnist --dataset fashion_mnist --epochs 5 --out runs/x
    gankit generate --model runs/x/generator.keras -n 64 --out grid.png
    gankit evaluate --real fashion_mnist --fake runs/x/gan.keras --metrics fid,kid \
        --extractor domain:fashion_mnist

Every subcommand has `--help`. Errors are reported as one line
(`gankit: error: ...`) with exit status 2, never as a traceback.
"""

import argparse
import json
import math
import os
import pathlib
import platform
import re
import sys
import tempfile

DATASETS = ("fashion_mnist", "mnist", "cifar10", "digits", "image_folder", "stanford_dogs")
"""Datasets `gankit train --dataset` accepts (functions of `data_loaders`)."""

# The choices of `--preset`, `--loss`, `--metrics` and `--extractor domain:`,
# spelled out here so that building the parser (`--help`, usage errors) imports
# no TensorFlow. tests/test_cli.py checks them against gankit.models.DCGAN_PRESET_NAMES,
# gankit.losses.LOSS_FAMILIES, gankit.metrics.evaluation.METRIC_NAMES and DATASET_SOURCES, and
# gankit.metrics.domain_classifier.DOMAIN_DATASETS.
DCGAN_PRESETS = ("radford", "mlm_mnist", "mlm_cifar10", "kaggle_dogs", "slim", "upsample")
LOSS_FAMILIES = (
    "minimax",
    "non_saturating",
    "least_squares",
    "wasserstein",
    "hinge",
    "rsgan",
    "ra_sgan",
    "ra_lsgan",
    "ra_hinge",
)
METRIC_NAMES = ("fid", "kid", "is", "mifid")
DOMAIN_DATASETS = ("digits", "fashion_mnist")
REAL_DATASETS = ("cifar10", "digits", "fashion_mnist", "mnist")  # gankit.metrics.evaluation.DATASET_SOURCES

# Files `gankit train` writes into --out.
GENERATOR_FILE = "generator.keras"
GAN_FILE = "gan.keras"
HISTORY_FILE = "history.json"
GIF_FILE = "training.gif"


class CommandError(Exception):
    """A user error reported as one line."""


def _int_at_least(minimum, what):
    """An argparse type: an integer >= `minimum`, else "expected a {what}, got ..."."""

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a {what}, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected a {what}, got {text!r}")
        return value

    return parse


_positive_int = _int_at_least(1, "positive integer")
_seed = _int_at_least(0, "non-negative integer")


def _non_negative_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"expected a finite non-negative number, got {text!r}")
    return value


def _build_parser():
    parser = argparse.ArgumentParser(prog="gankit", description="Train and sample generative adversarial networks.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    train = commands.add_parser("train", help="train a GAN and write samples, plots and the generator")
    families = train.add_subparsers(dest="family", metavar="FAMILY", required=True)
    dcgan = families.add_parser(
        "dcgan",
        help="a DCGAN, from a source preset or from sizes",
        description="Train a DCGAN. Writes sample grids, a GIF, loss plots, "
        "generator.keras, gan.keras and history.json into --out.",
    )
    dcgan.add_argument("--preset", choices=DCGAN_PRESETS, help="reproduce a source's networks")
    dcgan.add_argument("--dataset", choices=DATASETS, default="fashion_mnist", help="default: %(default)s")
    dcgan.add_argument("--data-dir", help="dataset folder (required for image_folder and stanford_dogs)")
    dcgan.add_argument("--out", required=True, help="output folder")
    dcgan.add_argument(
        "--overwrite", action="store_true", help="replace the run already in --out (refused without this)"
    )
    dcgan.add_argument("--epochs", type=_positive_int, default=5, help="default: %(default)s")
    dcgan.add_argument("--batch-size", type=_positive_int, default=None, help="default: the preset's, else 128")
    dcgan.add_argument("--steps-per-epoch", type=_positive_int, default=None, help="default: one pass over the data")
    dcgan.add_argument("--latent-dim", type=_positive_int, default=None, help="default: the preset's, else 100")
    dcgan.add_argument("--image-size", type=_positive_int, default=None, help="square image side without a preset")
    dcgan.add_argument("--loss", choices=LOSS_FAMILIES, default=None, help="default: the preset's, else non_saturating")
    dcgan.add_argument(
        "--d-steps",
        type=_positive_int,
        default=None,
        help="discriminator updates per step; default: the preset's, else 1",
    )
    dcgan.add_argument(
        "--g-steps", type=_positive_int, default=None, help="generator updates per step; default: the preset's, else 1"
    )
    dcgan.add_argument("--gradient-penalty", type=_non_negative_float, default=0.0, help="WGAN-GP weight")
    dcgan.add_argument("--label-smoothing", type=_non_negative_float, default=None, help="one-sided amount")
    dcgan.add_argument(
        "--ema-decay",
        type=_non_negative_float,
        default=None,
        help="keep an exponential moving average of the generator with this decay (e.g. 0.999) and sample "
        "from it; default: no average",
    )
    dcgan.add_argument("--sample-every", type=_positive_int, default=1, help="epochs between sample grids")
    dcgan.add_argument(
        "--checkpoint-every", type=_positive_int, default=None, help="epochs between generator checkpoints"
    )
    dcgan.add_argument("--mixed-precision", action="store_true", help="train under the mixed_float16 policy")
    dcgan.add_argument("--seed", type=_seed, default=0, help="default: %(default)s")
    dcgan.add_argument("--quiet", action="store_true", help="no progress bar")

    generate = commands.add_parser(
        "generate",
        help="sample a saved generator into a grid, a folder or a zip",
        description="Sample a saved generator (.keras). --out ending in .png writes one grid; "
        "ending in .zip writes one PNG per image into a zip; anything else is a folder of PNGs.",
    )
    generate.add_argument("--model", required=True, help="a generator .keras file (or a gan.keras)")
    generate.add_argument("-n", "--num-images", type=_positive_int, default=64, help="default: %(default)s")
    generate.add_argument("--out", required=True, help="grid.png, images.zip or a folder")
    generate.add_argument("--seed", type=_seed, default=None, help="seed of the latents; default: a fresh one")
    generate.add_argument("--batch-size", type=_positive_int, default=256, help="default: %(default)s")
    _add_evaluate_parser(commands)
    return parser


def prefer_onednn():
    """On x86, sets `TF_ENABLE_ONEDNN_OPTS=1` unless it is set or TensorFlow is imported.

    TensorFlow turns oneDNN's kernels on by itself only on CPUs with
    AVX512_VNNI, AVX512_BF16, AVX_VNNI or AMX; on the others (AMD EPYC Zen 1-3,
    Intel Skylake-SP) they trained gankit's GANs 1.35-4.4x as fast as its
    default Eigen kernels (benchmarks/onednn_speed.py). The variable is read
    once, when TensorFlow is imported. The command, the test suite and the
    quality benchmarks call this first.
    """
    if "tensorflow" not in sys.modules and platform.machine().lower() in ("x86_64", "amd64"):
        os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")


def _quiet_tensorflow():
    """Imports TensorFlow with its start-up log lines held back.

    TensorFlow 2.19+ prints 5-7 lines on import and first device use (oneDNN,
    CUDA drivers, cuInit, CPU features) whatever `TF_CPP_MIN_LOG_LEVEL` says.
    They are written to a temporary file instead of standard error, and shown
    only if the import fails, or when the user asked for TensorFlow's logs
    with `TF_CPP_MIN_LOG_LEVEL=0`.

    It also turns on oneDNN's kernels (`prefer_onednn`).
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    prefer_onednn()
    if "tensorflow" in sys.modules or os.environ["TF_CPP_MIN_LOG_LEVEL"] == "0":
        import tensorflow  # noqa: F401

        return
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            import tensorflow as tf

            tf.config.list_physical_devices()  # Device start-up logs its lines here.
        except BaseException:
            os.dup2(saved, 2)
            held.seek(0)
            sys.stderr.write(held.read().decode("utf-8", "replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _check_train_args(args):
    """The checks of `gankit train` that need no TensorFlow."""
    if args.dataset in ("image_folder", "stanford_dogs") and not args.data_dir:
        raise CommandError(f"--dataset {args.dataset} needs --data-dir")
    if args.data_dir and not os.path.isdir(args.data_dir):
        raise CommandError(f"--data-dir {args.data_dir} is not a folder")
    if args.image_size and args.preset:
        raise CommandError("--image-size sets the size of a preset-free DCGAN; presets fix their size")
    if args.data_dir and args.dataset not in ("fashion_mnist", "mnist", "cifar10", "image_folder", "stanford_dogs"):
        raise CommandError(f"--dataset {args.dataset} reads no folder; --data-dir goes with the other datasets")
    finished = [name for name in (GAN_FILE, GENERATOR_FILE) if os.path.exists(os.path.join(args.out, name))]
    if finished and not args.overwrite:
        raise CommandError(
            f"--out {args.out} already holds a finished run ({', '.join(finished)}); pass --overwrite to replace "
            "it, or choose another --out"
        )


def _load_dataset(args, image_shape, batch_size, value_range=(-1.0, 1.0)):
    import data_loaders

    height, width, channels = image_shape
    if height != width:
        raise CommandError(f"gankit train needs square images; the model makes {height}x{width}")
    native_channels = {"fashion_mnist": 1, "mnist": 1, "digits": 1, "cifar10": 3, "stanford_dogs": 3}
    if args.dataset in native_channels and native_channels[args.dataset] != channels:
        raise CommandError(
            f"the model makes {channels}-channel images but --dataset {args.dataset} has "
            f"{native_channels[args.dataset]}; choose a matching preset or dataset"
        )
    # The generator's own range: (0, 1) for a sigmoid output (preset mlm_mnist).
    common = {"batch_size": batch_size, "seed": args.seed, "value_range": value_range}
    if args.dataset == "image_folder":
        color_mode = "grayscale" if channels == 1 else "rgb"
        return data_loaders.image_folder(args.data_dir, image_size=height, color_mode=color_mode, **common)
    if args.dataset == "stanford_dogs":
        return data_loaders.stanford_dogs(args.data_dir, image_size=height, flip=True, **common)
    loader = getattr(data_loaders, args.dataset)
    if args.data_dir:
        common["data_dir"] = args.data_dir
    return loader(image_size=height, **common)


def _train(args):
    out = pathlib.Path(args.out)
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    try:
        return _train_into(args, out)
    finally:
        if created and out.is_dir() and not any(out.iterdir()):
            out.rmdir()  # A run that failed before writing anything leaves no empty folder.


def _train_into(args, out):
    import keras
    import tensorflow as tf

    from gankit.models import build_dcgan
    from gankit.models import dcgan_preset
    from gankit.training import callbacks as gan_callbacks

    keras.utils.set_random_seed(args.seed)
    # Grappler's remapper fails on the gradient of conv + LeakyReLU and logs
    # an alarming (harmless) error every run; it fuses nothing here anyway
    # (same step time with and without it on the mlm_mnist preset).
    tf.config.optimizer.set_experimental_options({"remapping": False})
    if args.mixed_precision:
        keras.mixed_precision.set_dtype_policy("mixed_float16")

    preset = dcgan_preset(args.preset) if args.preset else {}
    build_kwargs = {}
    if args.latent_dim:
        build_kwargs["latent_dim"] = args.latent_dim
    if args.image_size:
        channels = 1 if args.dataset in ("fashion_mnist", "mnist", "digits") else 3
        build_kwargs["image_shape"] = (args.image_size, args.image_size, channels)
    elif not args.preset:
        build_kwargs["image_shape"] = {
            "cifar10": (32, 32, 3),
            "fashion_mnist": (28, 28, 1),
            "mnist": (28, 28, 1),
            "digits": (28, 28, 1),
        }.get(args.dataset, (64, 64, 3))
    if args.ema_decay is not None:
        build_kwargs["ema_decay"] = args.ema_decay
    compile_kwargs = {}
    for name in ("loss", "d_steps", "g_steps", "label_smoothing"):
        if getattr(args, name) is not None:
            compile_kwargs[name] = getattr(args, name)
    if args.gradient_penalty:
        compile_kwargs["gradient_penalty_weight"] = args.gradient_penalty
    gan = build_dcgan(preset=args.preset, compile_kwargs=compile_kwargs, **build_kwargs)
    batch_size = args.batch_size or preset.get("batch_size", 128)
    dataset = _load_dataset(args, gan.image_shape, batch_size, gan.output_range)
    if args.steps_per_epoch:
        dataset = dataset.repeat()

    callbacks = [
        gan_callbacks.SampleGrid(out, every_n_epochs=args.sample_every, seed=args.seed),
        gan_callbacks.TrainingGif(out / GIF_FILE, every_n_epochs=args.sample_every, seed=args.seed),
        gan_callbacks.LossPlot(out),
    ]
    if args.checkpoint_every:
        callbacks.append(gan_callbacks.GeneratorCheckpoint(out / "checkpoints", every_n_epochs=args.checkpoint_every))
    history = None
    try:
        history = gan.fit(
            dataset,
            epochs=args.epochs,
            steps_per_epoch=args.steps_per_epoch,
            callbacks=callbacks,
            shuffle=False,  # the loaders shuffle
            verbose=0 if args.quiet else 1,
        )
    except KeyboardInterrupt:
        print("gankit: interrupted; saving the generator as it is", file=sys.stderr)
    except (ValueError, TypeError, tf.errors.OpError) as error:
        raise CommandError(
            f"training stopped: {_one_line(error)} Nothing was saved; files already in --out {out} are untouched"
        ) from error
    # Saved after a finished run or Ctrl-C only (an exception propagates before
    # this line), never with non-finite weights, each file written under a
    # temporary name and renamed into place: a failed run never replaces the
    # files of an earlier one.
    _check_finite_weights(gan, out)
    _save_atomically(gan.generator, out / GENERATOR_FILE)
    _save_atomically(gan, out / GAN_FILE)
    if history is not None:
        _write_atomically(out / HISTORY_FILE, json.dumps(history.history, indent=2))
    written = sorted(p.name for p in out.iterdir())
    print(f"gankit: wrote {', '.join(written)} to {out.resolve()}")
    return 0 if history is not None else 130


def _check_finite_weights(gan, out):
    import numpy as np

    for variable in gan.weights:
        if not np.all(np.isfinite(np.asarray(variable))):
            raise CommandError(
                f"training diverged: {variable.path} holds NaN or infinite values, so nothing was saved "
                f"({GENERATOR_FILE} and {GAN_FILE} already in --out {out} are untouched)"
            )


def _temporary_name(path):
    # Keras insists on the `.keras` suffix, so the marker goes before it.
    return path.with_name(f"{path.stem}.partial-{os.getpid()}{path.suffix}")


def _replace_atomically(path, write):
    """`write(temporary)`, then renames the temporary file to `path`; no leftover on failure."""
    temporary = _temporary_name(path)
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def _save_atomically(model, path):
    _replace_atomically(path, model.save)


def _write_atomically(path, text):
    _replace_atomically(path, lambda temporary: temporary.write_text(text))


def _load_model(flag, path):
    """Loads a `.keras` file in safe mode; a file that carries code is refused."""
    import gankit

    try:
        return gankit.load_model(path, safe_mode=True)
    except Exception as error:  # Keras raises many types for a bad file.
        if "safe_mode" in str(error):
            raise CommandError(
                f"refusing to load {flag} {path}: it contains Python code (a Lambda layer) that "
                "would run on load, and the command line always loads in safe mode (safe_mode=True). "
                "If you trust the file's source, load it in Python with "
                "keras.saving.load_model(path, safe_mode=False)."
            ) from None
        raise CommandError(f"could not load {flag} {path}: {error}") from None


def _generate(args):
    import numpy as np

    from gankit import viz
    from gankit.engine import generator_output_range
    from gankit.models import GAN

    model = _load_model("--model", args.model)
    if isinstance(model, GAN):
        gan_generate = model.generate
    else:
        input_shape = model.input_shape
        if not isinstance(input_shape, tuple) or len(input_shape) != 2:
            raise CommandError(
                f"--model {args.model} takes inputs of shape {input_shape}, not latent vectors (batch, latent_dim): "
                "it is not a generator (a discriminator?). Pass generator.keras or gan.keras"
            )
        latent_dim = input_shape[-1]

        def gan_generate(n, seed=None, batch_size=256):
            latents = np.random.default_rng(seed).standard_normal((n, latent_dim)).astype("float32")
            images = model.predict(latents, batch_size=batch_size, verbose=0)
            low, high = generator_output_range(model) or (-1.0, 1.0)
            return np.clip((np.asarray(images, "float32") - low) / (high - low), 0.0, 1.0)

    out = pathlib.Path(args.out)
    if out.suffix.lower() == ".png":
        out.parent.mkdir(parents=True, exist_ok=True)
        images = gan_generate(args.num_images, seed=args.seed, batch_size=args.batch_size)
        viz.save_image_grid(images, out)
    else:
        # One seed per batch, drawn from one generator: distinct batches,
        # the same files for the same --seed.
        seeds = np.random.default_rng(args.seed)

        def generate_batch(n):
            return gan_generate(n, seed=int(seeds.integers(2**31)), batch_size=args.batch_size)

        viz.write_images(
            generate_batch,
            out,
            args.num_images,
            batch_size=args.batch_size,
        )
    print(f"gankit: wrote {args.num_images} images to {out.resolve()}")
    return 0


# -- gankit evaluate ------------------------------------------------------------

EXTRACTOR_HELP = (
    "inception (InceptionV3, Keras' ImageNet weights) or domain:<dataset> "
    f"({', '.join(DOMAIN_DATASETS)}: a small classifier gankit trains once and caches)"
)


def _metric_list(text):
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in METRIC_NAMES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"expected a comma-separated list of {', '.join(METRIC_NAMES)}, got {text!r}")
    return tuple(names)


def _add_evaluate_parser(commands):
    evaluate = commands.add_parser(
        "evaluate",
        help="FID, KID, IS and MiFID of generated images against real ones",
        description="Compare generated images (a folder, or a .keras generator or GAN sampled for "
        "--num-images images) with real ones (a folder or a dataset name) through a feature "
        "extractor. Prints a table of the values with their image counts; --json writes them too.",
    )
    evaluate.add_argument(
        "--real",
        help="folder of real images, or fashion_mnist, mnist, cifar10 (test split) or digits (all 1,797); "
        "not needed for --metrics is",
    )
    evaluate.add_argument("--fake", required=True, help="folder of generated images, or a generator/GAN .keras file")
    evaluate.add_argument(
        "--metrics", type=_metric_list, default=("fid",), help="comma-separated fid,kid,is,mifid; default: fid"
    )
    evaluate.add_argument("--extractor", default="inception", help=f"{EXTRACTOR_HELP}; default: %(default)s")
    evaluate.add_argument(
        "--num-images",
        type=_positive_int,
        default=10000,
        help="images to generate, and the cap on real and folder images; default: %(default)s",
    )
    evaluate.add_argument("--batch-size", type=_positive_int, default=64, help="default: %(default)s")
    evaluate.add_argument("--seed", type=_seed, default=0, help="seed of the generated images; default: %(default)s")
    evaluate.add_argument("--real-cache", help="an .npz file keeping the real statistics between runs")
    evaluate.add_argument("--json", help="also write the values to this JSON file")
    evaluate.add_argument(
        "--domain-epochs",
        type=_positive_int,
        default=None,
        help="epochs to train a domain classifier that is not cached yet; default: the dataset's",
    )
    evaluate.add_argument(
        "--inception-weights",
        help="with --extractor inception: a weights file (.h5) to use instead of Keras' model cache",
    )
    evaluate.add_argument(
        "--allow-download",
        action="store_true",
        help="with --extractor inception: download the ImageNet weights into Keras' model cache if missing",
    )
    evaluate.add_argument("--quiet", action="store_true", help="no progress bars")


def _check_extractor_args(args):
    """The checks of `--extractor` and its options that need no TensorFlow."""
    if args.extractor == "inception":
        if args.domain_epochs is not None:
            raise CommandError("--domain-epochs goes with --extractor domain:<dataset>")
        if args.inception_weights and args.allow_download:
            raise CommandError("--inception-weights names a file; --allow-download fetches Keras' own: pass one")
        if args.inception_weights and not os.path.isfile(args.inception_weights):
            raise CommandError(f"--inception-weights {args.inception_weights} is not a file")
        return
    kind, _, dataset = args.extractor.partition(":")
    if kind != "domain" or not dataset:
        raise CommandError(f"--extractor must be {EXTRACTOR_HELP}; got {args.extractor!r}")
    if args.inception_weights or args.allow_download:
        raise CommandError("--inception-weights and --allow-download go with --extractor inception")


def _evaluate_extractor(args):
    if args.extractor == "inception":
        from gankit.metrics import inception

        try:
            return inception.InceptionFeatures(
                weights=args.inception_weights or "imagenet", allow_download=args.allow_download
            )
        except FileNotFoundError:
            if args.inception_weights:
                raise
            raise CommandError(
                f"InceptionV3 ImageNet weights not found: no {inception.INCEPTION_WEIGHTS_FILE} in Keras' model "
                f"cache {inception.keras_models_dir()}. Online, add --allow-download; offline, copy that file "
                f"(from {inception.INCEPTION_WEIGHTS_URL}) there or pass it as --inception-weights FILE; "
                f"without Inception weights, use --extractor domain:{'|domain:'.join(DOMAIN_DATASETS)}"
            ) from None
    _, _, dataset = args.extractor.partition(":")
    from gankit.metrics.domain_classifier import DomainClassifier

    return DomainClassifier.for_dataset(dataset, epochs=args.domain_epochs, verbose=0 if args.quiet else 1)


def _evaluate_fake(path):
    if os.path.isdir(path):
        return path
    return _load_model("--fake", path)


def _check_evaluate_args(args):
    """The checks of `gankit evaluate` that need no TensorFlow."""
    if any(name != "is" for name in args.metrics) and not args.real:
        raise CommandError(f"--metrics {','.join(args.metrics)} needs --real (only is works without real images)")
    if args.real and args.real not in REAL_DATASETS and not os.path.isdir(args.real):
        raise CommandError(
            f"--real must be a folder of images or one of {', '.join(REAL_DATASETS)}; got {args.real!r}, which is "
            f"neither (pass ./{args.real} for a folder of that name)"
        )
    if not os.path.isdir(args.fake):
        if not os.path.isfile(args.fake):
            raise CommandError(f"--fake {args.fake} is neither a folder nor a file")
        if not args.fake.endswith(".keras"):
            raise CommandError(f"--fake must be a folder of images or a .keras file; got {args.fake}")
    _check_extractor_args(args)


def _evaluate(args):
    from gankit.metrics import evaluation

    needs_real = any(name != evaluation.INCEPTION_SCORE for name in args.metrics)
    fake = _evaluate_fake(args.fake)
    extractor = _evaluate_extractor(args)
    # A GAN file loads as a GAN (its generate samples its own latents and
    # EMA generator); a bare generator gets N(0, 1) latents inside evaluate.
    result = evaluation.evaluate(
        fake,
        args.real if needs_real else None,
        metrics=args.metrics,
        num_images=args.num_images,
        extractor=extractor,
        batch_size=args.batch_size,
        real_cache=args.real_cache,
        seed=args.seed,
        verbose=0 if args.quiet else 1,
    )
    print(result)
    if args.json:
        out = pathlib.Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({**result.as_dict(), "real": args.real, "fake": args.fake}, indent=2))
        print(f"gankit: wrote {out.resolve()}")
    return 0


def _check_generate_args(args):
    """The checks of `gankit generate` that need no TensorFlow."""
    if not os.path.isfile(args.model):
        raise CommandError(f"--model {args.model} does not exist")


def _download_error_message(error):
    """A `data_loaders.DownloadError` as the command line says it."""
    return error.describe("--data-dir DIR")


def main(argv=None):
    """Runs the `gankit` command; returns the exit status.

    Parsing, `--help` and the argument checks that need no model run before
    TensorFlow is imported, so they answer in well under a second.
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    checks = {"train": _check_train_args, "generate": _check_generate_args, "evaluate": _check_evaluate_args}
    handlers = {"train": _train, "generate": _generate, "evaluate": _evaluate}
    try:
        checks[args.command](args)
        _quiet_tensorflow()
        from data_loaders import DownloadError

        try:
            return handlers[args.command](args)
        except DownloadError as error:
            raise CommandError(_download_error_message(error)) from None
    except (CommandError, ValueError, TypeError, OSError, ImportError) as error:
        parser.exit(2, f"gankit: error: {_one_line(error)}\n")


# Longer messages (Keras quotes whole model configs) are cut to this many characters.
MAX_ERROR_CHARACTERS = 600


_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _one_line(error):
    """The message of `error` on one line, without terminal colour codes, at most `MAX_ERROR_CHARACTERS` long."""
    text = " ".join(_ANSI_ESCAPE.sub("", str(error)).split()) or type(error).__name__
    if len(text) > MAX_ERROR_CHARACTERS:
        text = text[: MAX_ERROR_CHARACTERS - 3] + "..."
    return text


if __name__ == "__main__":
    sys.exit(main())
