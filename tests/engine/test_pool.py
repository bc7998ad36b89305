"""gankit.engine.ImagePool against the CycleGAN paper's history rule.

Each fake is tagged with a unique id (its constant pixel value), so the
returned batch tells which images are new and which came from the pool.
"""

import numpy as np
import pytest
import tensorflow as tf

from gankit.engine import ImagePool

SHAPE = (2, 2, 1)


def tagged(ids):
    ids = np.asarray(ids, "float32")
    return {"images": tf.constant(np.broadcast_to(ids[:, None, None, None], (len(ids),) + SHAPE).copy())}


def ids_of(batch):
    images = batch["images"].numpy()
    assert np.all(images == images[:, :1, :1, :1])  # images are never mixed
    return images[:, 0, 0, 0].astype(int)


def seed(step):
    return tf.constant([7, step], tf.int64)


def test_first_batch_passes_through_even_when_larger_than_the_pool():
    pool = ImagePool(50, {"images": SHAPE})
    out = ids_of(pool.query(tagged(np.arange(1, 65)), seed(0)))
    np.testing.assert_array_equal(out, np.arange(1, 65))  # no unwritten (all-zero) slot returned
    assert int(pool.count) == 50
    np.testing.assert_array_equal(np.sort(pool.stored["images"].numpy()[:, 0, 0, 0]), np.arange(1, 51))


def test_while_filling_fakes_pass_through_and_are_stored_in_order():
    pool = ImagePool(6, {"images": SHAPE}, history_fraction=1.0)
    np.testing.assert_array_equal(ids_of(pool.query(tagged([1, 2, 3, 4]), seed(0))), [1, 2, 3, 4])
    # Two free slots left: 5 and 6 take them; 7 and 8 (fraction 1) are
    # swapped for two distinct stored fakes, which they replace.
    out = ids_of(pool.query(tagged([5, 6, 7, 8]), seed(1)))
    np.testing.assert_array_equal(out[:2], [5, 6])
    assert set(out[2:]) <= {1, 2, 3, 4} and len(set(out[2:])) == 2
    stored = set(pool.stored["images"].numpy()[:, 0, 0, 0].astype(int))
    assert stored == ({1, 2, 3, 4} - set(out[2:])) | {5, 6, 7, 8}


@pytest.mark.parametrize("batch,total", [(1, 1_600), (64, 12_800)])
def test_history_statistics_follow_the_paper_rule(batch, total):
    # Zhu et al. 2017 (after Shrivastava et al. 2017): once the pool of 50 is
    # full, each fake is swapped for a stored one with probability 1/2, and a
    # swapped-out image leaves the pool. Over `total` fakes the history share
    # has standard deviation sqrt(0.25 / total) (0.0125 for 1,600, 0.0044 for
    # 12,800); the tolerance is 4.5 of them.
    capacity = 50
    pool = ImagePool(capacity, {"images": SHAPE})
    next_id, returned_history, fresh_ids, history = 1, set(), 0, 0
    pool.query(tagged(np.arange(next_id, next_id + capacity)), seed(0))  # fill
    next_id += capacity
    for step in range(1, total // batch + 1):
        ids = np.arange(next_id, next_id + batch)
        next_id += batch
        stored_before = set(pool.stored["images"].numpy()[:, 0, 0, 0].astype(int))
        out = ids_of(pool.query(tagged(ids), seed(step)))
        old = out[out < ids[0]]
        assert set(out[out >= ids[0]]) <= set(ids)
        # History images were in the pool, are distinct within the batch
        # (64 picks with replacement from 50 repeat a slot 27% of the time)
        # and are never shown twice: a swapped-out image leaves the pool.
        assert set(old) <= stored_before
        assert len(set(old)) == len(old)
        assert not set(old) & returned_history
        returned_history |= set(old)
        history += len(old)
        fresh_ids += len(out) - len(old)
        assert int(pool.count) == capacity
    assert history / (history + fresh_ids) == pytest.approx(0.5, abs=4.5 * np.sqrt(0.25 / total))


def test_the_same_seed_gives_the_same_picks_and_a_stored_label_stays_with_its_image():
    def run():
        pool = ImagePool(4, {"images": SHAPE, "labels": (1,)}, integer_keys=("labels",))
        outputs = []
        for step in range(5):
            ids = np.arange(10 * step, 10 * step + 3)
            fakes = {**tagged(ids), "labels": tf.constant(ids[:, None] % 7, tf.int32)}
            out = pool.query(fakes, seed(step))
            np.testing.assert_array_equal(out["labels"].numpy()[:, 0], ids_of(out) % 7)
            assert out["labels"].dtype == tf.int32
            outputs.append(ids_of(out))
        return np.concatenate(outputs)

    np.testing.assert_array_equal(run(), run())


def test_bad_arguments():
    with pytest.raises(ValueError, match="capacity"):
        ImagePool(0, {"images": SHAPE})
    with pytest.raises(ValueError, match="history_fraction"):
        ImagePool(4, {"images": SHAPE}, history_fraction=1.5)
    with pytest.raises(ValueError, match="specs"):
        ImagePool(4, {})
    with pytest.raises(ValueError, match="integer_keys"):
        ImagePool(4, {"images": SHAPE}, integer_keys=("labels",))
    pool = ImagePool(4, {"images": SHAPE})
    with pytest.raises(ValueError, match="entries"):
        pool.query({"pixels": tf.zeros((1,) + SHAPE)}, seed(0))
