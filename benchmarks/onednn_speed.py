"""oneDNN on and off: the training step time of gankit's GANs on this CPU.

TensorFlow's Linux x86 wheels run their convolutions through oneDNN only where
they turn it on themselves, on CPUs with AVX512_VNNI, AVX512_BF16, AVX_VNNI or
AMX; on other x86 CPUs (AMD EPYC Zen 1-3, Intel Skylake-SP) they run Eigen's
kernels unless `TF_ENABLE_ONEDNN_OPTS=1` is set before TensorFlow is imported.
The variable is read once per process, so every measurement runs in its own
subprocess with the variable set to 0 or 1; the two settings alternate over
`--rounds` rounds, and the report is the median over rounds of each setting's
median step time.

Workloads (random images in [-1, 1]; the time of a step does not depend on the
pixels):

- `dcgan`: the generic DCGAN networks at 28x28 (`build_dcgan_generator` /
  `build_dcgan_discriminator`), `GAN.compile()` with Adam(2e-4, 0.5), batch
  128: the networks of quality benchmarks 2, 3b and 3c.
- `cyclegan_book`, `cyclegan_gankit`: the two recipes of quality benchmark 6
  (32x32 U-Nets and PatchGANs, batch 64 and 16), built as
  `benchmarks/quality/cyclegan.py` builds them.

It also records what TensorFlow chose by itself on this CPU (the variable
unset).

Usage: python benchmarks/onednn_speed.py [--rounds 2] [--steps 6]
Writes benchmarks/results/onednn_speed.json; a run off those defaults writes
onednn_speed_rounds<R>_steps<S>.json beside it.
"""

import argparse
import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
RESULTS = HERE / "results" / "onednn_speed.json"
WORKLOADS = {"dcgan": 128, "cyclegan_book": 64, "cyclegan_gankit": 16}  # name: batch size
WARMUP_STEPS = 2  # tracing and the first calls, not timed
SETTING = "TF_ENABLE_ONEDNN_OPTS"


def _build(workload):
    """The model of `workload`, compiled as its quality benchmark compiles it."""
    import keras

    if workload == "dcgan":
        from gankit.models import GAN
        from gankit.models import build_dcgan_discriminator
        from gankit.models import build_dcgan_generator

        gan = GAN(
            build_dcgan_generator(latent_dim=100, image_shape=(28, 28, 1)),
            build_dcgan_discriminator(image_shape=(28, 28, 1)),
            latent_dim=100,
        )
        gan.compile(
            d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
            g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        )
        return gan, (28, 28, 1), False
    sys.path.insert(0, str(HERE / "quality"))
    import cyclegan as benchmark

    from gankit.models import build_cyclegan

    recipe = benchmark.RECIPES[workload.removeprefix("cyclegan_")]
    size = benchmark.IMAGE_SIZE
    model = build_cyclegan(
        (size, size, 1),
        generator="unet",
        generator_filters=benchmark.GENERATOR_FILTERS,
        discriminator_filters=benchmark.DISCRIMINATOR_FILTERS,
        normalization=recipe["normalization"],
        lambda_identity=recipe["lambda_identity"],
        pool_size=recipe["pool_size"],
        compile=False,
    )
    model.compile(
        d_optimizer=keras.optimizers.Adam(benchmark.LEARNING_RATE, beta_1=benchmark.BETA_1),
        g_optimizer=keras.optimizers.Adam(benchmark.LEARNING_RATE, beta_1=benchmark.BETA_1),
        update_order=recipe["update_order"],
        d_update=recipe["d_update"],
    )
    return model, (size, size, 1), True


def _onednn_on():
    """Whether TensorFlow runs oneDNN's kernels in this process (imports TensorFlow)."""
    from tensorflow.python.util import _pywrap_util_port

    return bool(_pywrap_util_port.IsMklEnabled())


def worker(workload, steps):
    """Times `steps` training steps of `workload` in this process; prints one JSON line."""
    import keras
    import numpy as np
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    batch = WORKLOADS[workload]
    model, shape, paired = _build(workload)
    images = np.random.default_rng(0).uniform(-1, 1, (batch * 8, *shape)).astype("float32")
    data = (images, images[::-1].copy()) if paired else images
    dataset = tf.data.Dataset.from_tensor_slices(data).batch(batch, drop_remainder=True).repeat()
    ends = []

    class StepEnds(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            ends.append(time.perf_counter())

    model.fit(dataset, epochs=1, steps_per_epoch=WARMUP_STEPS + steps, verbose=0, callbacks=[StepEnds()])
    step_seconds = np.diff(ends[WARMUP_STEPS - 1 :])
    print(
        json.dumps(
            {
                "onednn": _onednn_on(),
                "seconds_per_step": float(np.median(step_seconds)),
            }
        )
    )


def _run(arguments, setting):
    """Runs this file with `arguments` in a subprocess, `TF_ENABLE_ONEDNN_OPTS` set to `setting` (None: unset)."""
    env = {key: value for key, value in os.environ.items() if key != SETTING}
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    if setting is not None:
        env[SETTING] = setting
    completed = subprocess.run(
        [sys.executable, __file__, *arguments], env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        sys.exit(f"onednn_speed: {' '.join(arguments)} with {SETTING}={setting} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _default_onednn():
    """Whether TensorFlow turns oneDNN on by itself on this CPU."""
    return _run(["--probe"], None)["onednn"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="alternations of the two settings")
    parser.add_argument("--steps", type=int, default=6, help="timed training steps per measurement")
    parser.add_argument("--worker", choices=tuple(WORKLOADS), help=argparse.SUPPRESS)
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.steps < 2:
        parser.error(f"--rounds must be >= 1 and --steps >= 2, got {args.rounds} and {args.steps}")
    if args.probe:
        print(json.dumps({"onednn": _onednn_on()}))
        return
    if args.worker:
        worker(args.worker, args.steps)
        return

    sys.path.insert(0, str(HERE))
    from train_throughput import cpu_description

    started = time.perf_counter()
    default = _default_onednn()
    print(f"{cpu_description()}: TensorFlow turns oneDNN {'on' if default else 'off'} by itself")
    measured = {name: {"0": [], "1": []} for name in WORKLOADS}
    for round_index in range(args.rounds):
        order = ("0", "1") if round_index % 2 == 0 else ("1", "0")
        for name in WORKLOADS:
            for setting in order:
                result = _run(["--worker", name, "--steps", str(args.steps)], setting)
                if result["onednn"] != (setting == "1"):
                    sys.exit(f"onednn_speed: {SETTING}={setting} left oneDNN {'on' if result['onednn'] else 'off'}")
                measured[name][setting].append(result["seconds_per_step"])
                print(f"round {round_index + 1}, {name}, {SETTING}={setting}: {result['seconds_per_step']:.3f} s/step")

    import tensorflow as tf

    workloads = {}
    for name, runs in measured.items():
        off, on = statistics.median(runs["0"]), statistics.median(runs["1"])
        workloads[name] = {
            "batch_size": WORKLOADS[name],
            "seconds_per_step_eigen": round(off, 4),
            "seconds_per_step_onednn": round(on, 4),
            "speedup": round(off / on, 2),
            "per_round": {f"{SETTING}={key}": [round(value, 4) for value in values] for key, values in runs.items()},
        }
        print(f"{name}: Eigen {off:.3f} s/step, oneDNN {on:.3f} s/step, {off / on:.2f}x")
    result = {
        "benchmark": "onednn_speed",
        "command": " ".join(["python benchmarks/onednn_speed.py", *(sys.argv[1:] if argv is None else argv)]),
        "machine": {
            "cpu": cpu_description(),
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
            "tensorflow": tf.__version__,
        },
        "onednn_by_default": default,
        "rounds": args.rounds,
        "timed_steps": args.steps,
        "workloads": workloads,
        "seconds": round(time.perf_counter() - started, 1),
    }
    path = RESULTS
    if (args.rounds, args.steps) != (parser.get_default("rounds"), parser.get_default("steps")):
        path = RESULTS.with_name(f"onednn_speed_rounds{args.rounds}_steps{args.steps}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(result, indent=2) + "\n")
    os.replace(partial, path)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
