"""The job `make demo` runs: a DCGAN trained on real data for a few minutes.

Trains a DCGAN with the DCGAN paper's recipe at 28x28 (transposed convolutions
with batch norm and ReLU in the generator, strided convolutions with batch
norm and LeakyReLU in the discriminator, N(0, 0.02) init, Adam 2e-4 / 0.5)
with `gankit train` on real Fashion-MNIST: the Debian package's files when they
are installed, else the Keras download when online, else scikit-learn's
bundled handwritten digits (scikit-learn is one of gankit's dependencies, so
this last fallback needs nothing beyond `pip install -e .`). Writes sample
grids per epoch, a training GIF, loss plots, `generator.keras` and
`gan.keras` into `--out` and prints where they are.

Usage: `python scripts/demo.py [--out outputs/demo] [--epochs 8] [--steps-per-epoch 250]`.
"""

import argparse
import sys

from gankit import cli


def choose_dataset():
    """Fashion-MNIST if it can be read (Debian files or download), else digits."""
    cli._quiet_tensorflow()  # Before data_loaders imports it: no start-up log lines.
    import data_loaders

    try:
        data_loaders.load_fashion_mnist_arrays("test")
    except Exception as error:  # offline without the Debian package
        print(f"Fashion-MNIST is not available ({error}); using scikit-learn digits.", file=sys.stderr)
        return "digits"
    return "fashion_mnist"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="outputs/demo")
    parser.add_argument("--epochs", default="8")
    parser.add_argument("--steps-per-epoch", default="250")
    parser.add_argument("--batch-size", default="64")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    dataset = choose_dataset()
    print(f"gankit demo: training a 28x28 DCGAN on {dataset}")
    command = [
        "train", "dcgan", "--dataset", dataset,
        "--epochs", args.epochs, "--steps-per-epoch", args.steps_per_epoch,
        "--batch-size", args.batch_size, "--out", args.out,
    ]  # fmt: skip
    if args.quiet:
        command.append("--quiet")
    return cli.main(command)


if __name__ == "__main__":
    sys.exit(main())
