"""Quality benchmark 3: the adversarial loss families on the same DCGAN and budget.

"GANs in Action" chapter 5 and the Kaggle dogs post compare loss families;
here each family trains the same generic DCGAN (`build_dcgan(image_shape=(28,
28, 1))`: the DCGAN paper's recipe, Adam 2e-4 / 0.5, batch 64) on real
Fashion-MNIST for the same number of generator updates and the same seed, and
is scored with domain FID/KID/IS on 10,000 generated images. WGAN-GP uses the
paper's settings (5 critic updates per generator update, penalty 10, Adam
1e-4 with betas (0, 0.9)) and a critic without batch norm, as the gradient
penalty requires.

Usage: python benchmarks/quality/loss_families.py [--updates 800]
Writes benchmarks/results/quality_loss_families.json and one grid per family.
"""

import argparse
import time

import _common
import keras

import data_loaders  # noqa: E402
from gankit.models import GAN  # noqa: E402
from gankit.models import build_dcgan  # noqa: E402
from gankit.models import build_dcgan_discriminator  # noqa: E402
from gankit.models import build_dcgan_generator  # noqa: E402

FAMILIES = ("non_saturating", "minimax", "least_squares", "hinge", "wgan_gp", "ra_sgan", "ra_lsgan", "ra_hinge")
BATCH = 64


def build(family):
    if family == "wgan_gp":
        gan = GAN(
            build_dcgan_generator(image_shape=(28, 28, 1)),
            build_dcgan_discriminator(image_shape=(28, 28, 1), batch_norm=False),
        )
        gan.compile(
            d_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9),
            g_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9),
            loss="wasserstein",
            gradient_penalty_weight=10.0,
            d_steps=5,
        )
        return gan
    return build_dcgan(image_shape=(28, 28, 1), compile_kwargs={"loss": family})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=800, help="generator updates per family")
    parser.add_argument("--families", default=",".join(FAMILIES))
    args = parser.parse_args(argv)
    started = _common.start()
    rows = {}
    for family in args.families.split(","):
        keras.utils.set_random_seed(_common.SEED)
        tick = time.perf_counter()
        gan = build(family)
        dataset = data_loaders.fashion_mnist(batch_size=BATCH, seed=_common.SEED).repeat()
        history = gan.fit(dataset, epochs=1, steps_per_epoch=args.updates, verbose=2)
        fakes = gan.generate(_common.NUM_EVAL, seed=_common.SEED)
        rows[family] = {
            "train_seconds": round(time.perf_counter() - tick, 1),
            "final_d_loss": float(history.history["d_loss"][-1]),
            "final_g_loss": float(history.history["g_loss"][-1]),
            "scores": _common.domain_scores(fakes),
            "grid": _common.save_grid(fakes, f"loss_{family}"),
        }
        print(family, rows[family]["scores"], flush=True)
    _common.write_result(
        "loss_families",
        {"generator_updates": args.updates, "batch_size": BATCH, "num_eval": _common.NUM_EVAL, "rows": rows},
        started,
    )


if __name__ == "__main__":
    main()
