"""Tests for `data_loaders.dogs` on a tiny Stanford Dogs layout."""

import os
import tarfile

import cv2
import keras
import numpy as np
import pytest

from data_loaders import dogs

CHIHUAHUA = "n02085620-Chihuahua"
GOLDEN = "n02099601-golden_retriever"
# Image 2 holds two dogs, both boxes touching the image border.
TWO_DOG_BOXES = [(0, 0, 30, 20), (35, 25, 50, 40)]
# Their crops worked out by hand for a 40 x 50 image and a 4-pixel margin:
# (0, 0, 30, 20) -> (0, 0, 34, 24) after the margin -> side min(34, 24) = 24;
# (35, 25, 50, 40) -> (31, 21, 50, 40) -> side min(19, 19) = 19.
TWO_DOG_CROPS = [(0, 0, 24), (21, 31, 19)]
CROWD_BOXES = [(2 + 7 * i, 3 + 5 * i, 20 + 7 * i, 22 + 5 * i) for i in range(7)]


def voc_xml(boxes, height, width):
    objects = "".join(
        "<object><name>dog</name><bndbox>"
        f"<xmin>{x0}</xmin><ymin>{y0}</ymin><xmax>{x1}</xmax><ymax>{y1}</ymax>"
        "</bndbox></object>"
        for x0, y0, x1, y1 in boxes
    )
    return (
        f"<annotation><size><width>{width}</width><height>{height}</height>"
        f"<depth>3</depth></size>{objects}</annotation>"
    )


def add_dog_image(root, breed, stem, image_rgb, boxes):
    for folder in ("Images", "Annotation"):
        os.makedirs(os.path.join(root, folder, breed), exist_ok=True)
    cv2.imwrite(os.path.join(root, "Images", breed, stem + ".jpg"), image_rgb[..., ::-1])
    with open(os.path.join(root, "Annotation", breed, stem), "w") as file:
        file.write(voc_xml(boxes, *image_rgb.shape[:2]))


@pytest.fixture
def dogs_dir(tmp_path, noise_images):
    """3 JPEG images, 10 dogs: 1 Chihuahua, then 2 + 7 golden retrievers."""
    root = str(tmp_path / "stanford_dogs")
    red_blue = np.zeros((60, 80, 3), np.uint8)
    red_blue[:, :40, 0], red_blue[:, 40:, 2] = 255, 255
    add_dog_image(root, CHIHUAHUA, "n02085620_1", red_blue, [(5, 5, 30, 30)])
    add_dog_image(root, GOLDEN, "n02099601_2", noise_images(1, (40, 50, 3), 1)[0], TWO_DOG_BOXES)
    add_dog_image(root, GOLDEN, "n02099601_3", noise_images(1, (64, 64, 3), 2)[0], CROWD_BOXES)
    return root


@pytest.mark.parametrize(
    "box, image_shape, margin, expected",
    [
        ((10, 50, 60, 79), (80, 100), 4, (46, 6, 34)),  # Bottom margin clipped at 80.
        (TWO_DOG_BOXES[0], (40, 50), 4, TWO_DOG_CROPS[0]),  # Touches top-left.
        (TWO_DOG_BOXES[1], (40, 50), 4, TWO_DOG_CROPS[1]),  # Touches bottom-right.
        ((5, 5, 15, 25), (40, 50), 0, (5, 5, 10)),  # No margin: side = width.
        ((-10, -10, 100, 100), (40, 50, 3), 4, (0, 0, 40)),  # Box beyond the image.
    ],
)
def test_dog_crop_box_hand_worked(box, image_shape, margin, expected):
    assert dogs.dog_crop_box(box, image_shape, margin) == expected


def test_dog_crop_box_outside_the_image_is_an_error():
    with pytest.raises(ValueError, match="does not overlap"):
        dogs.dog_crop_box((60, 10, 70, 20), (40, 50), margin=4)


def test_read_dog_boxes_and_breed_name(dogs_dir):
    path = os.path.join(dogs_dir, "Annotation", GOLDEN, "n02099601_2")
    assert dogs.read_dog_boxes(path) == TWO_DOG_BOXES
    assert dogs.breed_name(CHIHUAHUA) == "Chihuahua"
    assert dogs.breed_name(GOLDEN) == "golden_retriever"


def test_one_crop_per_dog_with_breed_labels(dogs_dir):
    images, labels, class_names = dogs.load_stanford_dogs_arrays(dogs_dir, image_size=16)
    assert images.shape == (10, 16, 16, 3) and images.dtype == np.uint8
    np.testing.assert_array_equal(labels, [0] + [1] * 9)
    assert class_names == ("Chihuahua", "golden_retriever")
    # The Chihuahua box lies in the red half of its image.
    np.testing.assert_allclose(images[0], np.broadcast_to([255, 0, 0], (16, 16, 3)), atol=12)


def test_crops_match_the_hand_worked_boxes(dogs_dir):
    images, _, _ = dogs.load_stanford_dogs_arrays(dogs_dir, image_size=16)
    path = os.path.join(dogs_dir, "Images", GOLDEN, "n02099601_2.jpg")
    decoded = cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB)
    for crop, (top, left, side) in zip(images[1:3], TWO_DOG_CROPS):
        region = decoded[top : top + side, left : left + side]
        # Both crops shrink (24 and 19 > 16 pixels): INTER_AREA, as the post does.
        expected = cv2.resize(region, (16, 16), interpolation=cv2.INTER_AREA)
        np.testing.assert_array_equal(crop, expected)
    cubic, _, _ = dogs.load_stanford_dogs_arrays(dogs_dir, image_size=16, interpolation="cubic")
    region = decoded[0:24, 0:24]
    expected = cv2.resize(region, (16, 16), interpolation=cv2.INTER_CUBIC)
    np.testing.assert_array_equal(cubic[1], expected)


def test_unreadable_annotations_are_skipped_with_one_warning(dogs_dir):
    annotations = os.path.join(dogs_dir, "Annotation", CHIHUAHUA)
    with open(os.path.join(annotations, "n02085620_8"), "w") as file:
        file.write(voc_xml([(1, 1, 5, 5)], 10, 10))  # Its image is missing.
    with open(os.path.join(annotations, "n02085620_9"), "w") as file:
        file.write("<annotation><object>")  # Broken XML.
    with pytest.warns(UserWarning) as record:
        images, labels, _ = dogs.load_stanford_dogs_arrays(dogs_dir, image_size=8)
    assert len(record) == 1
    message = str(record[0].message)
    assert message.startswith("Skipped 2 of 5 annotations")
    assert "n02085620_8" in message and "n02085620_9" in message
    assert len(images) == len(labels) == 10


def test_missing_layout_names_layout_and_download_function(tmp_path):
    expected = r"Annotation/<wnid>-<breed>.*download_stanford_dogs"
    with pytest.raises(FileNotFoundError, match=expected):
        dogs.stanford_dogs(str(tmp_path))


def test_shared_contract(dogs_dir, check_contract):
    check_contract(
        lambda **kwargs: dogs.stanford_dogs(dogs_dir, image_size=8, **kwargs),
        num_items=10,
        batch_size=4,
        element_shape=(8, 8, 3),
    )


def test_with_labels(dogs_dir):
    dataset = dogs.stanford_dogs(dogs_dir, image_size=8, batch_size=10, shuffle=False, with_labels=True)
    images, labels = next(iter(dataset))
    np.testing.assert_array_equal(labels, [0] + [1] * 9)
    assert labels.dtype.name == "int32" and images.shape == (10, 8, 8, 3)


def test_download_extracts_hand_placed_archives_without_network(dogs_dir, tmp_path, monkeypatch):
    # Offline use as documented: the archives are copied into data_dir and
    # download_stanford_dogs only extracts them. The URLs point nowhere, so
    # no test can reach the network even if the archives were not found.
    target = tmp_path / "offline"
    target.mkdir()
    for name, folder in (("images.tar", "Images"), ("annotation.tar", "Annotation")):
        with tarfile.open(target / name, "w") as tarred:
            tarred.add(os.path.join(dogs_dir, folder), arcname=folder)
    monkeypatch.setattr(dogs, "STANFORD_DOGS_IMAGES_URL", "file:///nonexistent/images.tar")
    monkeypatch.setattr(dogs, "STANFORD_DOGS_ANNOTATION_URL", "file:///nonexistent/annotation.tar")
    dataset = dogs.stanford_dogs(str(target), image_size=8, download=True, batch_size=5)
    assert int(dataset.cardinality()) == 2
    assert (target / "Annotation" / GOLDEN / "n02099601_3").is_file()


def test_download_skips_parts_already_extracted(dogs_dir, monkeypatch):
    def no_download(*args, **kwargs):
        raise AssertionError("get_file called although the data is in place")

    monkeypatch.setattr(keras.utils, "get_file", no_download)
    assert dogs.download_stanford_dogs(dogs_dir) == dogs_dir
