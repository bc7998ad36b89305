"""Training under `tf.distribute.MultiWorkerMirroredStrategy` with two worker processes.

Both workers (`multi_worker_worker.py`) run on 127.0.0.1 with a `TF_CONFIG`
naming the two, train the same tiny models on the same data, and write their
weights; the workers must end with identical weights that differ from the
initial ones.
"""

import json
import os
import pathlib
import socket
import subprocess
import sys

import numpy as np
import pytest

WORKER = pathlib.Path(__file__).with_name("multi_worker_worker.py")
MODELS = ("conditional", "semi_supervised", "cycle", "progressive", "gan")
TIMEOUT_S = 240  # both workers together; a hung collective is killed after this


def free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


@pytest.fixture(scope="module")
def worker_outputs(tmp_path_factory):
    output_dirs = [tmp_path_factory.mktemp(f"worker{i}") for i in range(2)]
    cluster = {"worker": [f"127.0.0.1:{port}" for port in free_ports(2)]}
    processes = []
    for index, output_dir in enumerate(output_dirs):
        env = dict(os.environ, TF_CONFIG=json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}}))
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        processes.append(
            subprocess.Popen(
                [sys.executable, str(WORKER), str(output_dir), *MODELS],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
    logs = []
    try:
        for process in processes:
            logs.append(process.communicate(timeout=TIMEOUT_S)[0])
    except subprocess.TimeoutExpired:
        pytest.fail(f"the multi-worker run did not finish within {TIMEOUT_S} s")
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.communicate()
    for process, log in zip(processes, logs):
        assert process.returncode == 0, log[-4000:]
    return output_dirs


def load(output_dir, name):
    error = output_dir / f"{name}.error.txt"
    if error.exists():
        pytest.fail(f"{name} failed in {output_dir.name}:\n{error.read_text()[-3000:]}")
    with np.load(output_dir / f"{name}.npz") as data:
        return {key: data[key] for key in data.files}


@pytest.mark.slow
@pytest.mark.parametrize("name", MODELS)
def test_workers_end_with_identical_changed_weights(worker_outputs, name):
    first, second = (load(d, name) for d in worker_outputs)
    assert int(first["replicas"]) == 2
    finals = sorted(k for k in first if k.startswith("final_"))
    assert finals and finals == sorted(k for k in second if k.startswith("final_"))
    # Exact on purpose: the weights change only through the all-reduced
    # gradients, which both workers receive bit for bit, and both apply the
    # same update op (same machine, same environment, same thread settings);
    # any difference means the replicas drifted apart, and would grow.
    for key in finals:
        np.testing.assert_array_equal(first[key], second[key], err_msg=key)
    changed = [not np.array_equal(first[key], first[key.replace("final", "initial")]) for key in finals]
    assert any(changed), "training changed no weight"
