"""`tf.data` pipelines for every dataset gankit's sources train on.

Every loader returns a batched `tf.data.Dataset` of float32 NHWC images in
[-1, 1] (the range of a `tanh` generator), built by one shared pipeline, and
takes the same arguments: `batch_size`, `shuffle=True`, `seed=None`,
`flip=False`, `drop_remainder=True`, and `with_labels=False` where the source
has labels. A `load_*_arrays` function beside each loader returns the raw
uint8 arrays, for metrics and labelled subsets.

Modules, one per dataset family:

- `mnist_family`: `mnist`, `fashion_mnist` (IDX files: a given folder, the
  Debian `dataset-fashion-mnist` package, or Keras), `read_idx`.
- `cifar`: `cifar10`.
- `sklearn_digits`: `digits`, scikit-learn's bundled handwritten digits.
- `folders`: `image_folder`, any folder of jpg/jpeg/png/bmp images, and
  `list_image_files`, the listing the loaders (and `gankit.metrics`) use.
- `dogs`: `stanford_dogs`, one crop per annotated dog (source 000).
- `labeled`: `labeled_subset`, a class-balanced labelled subset for
  semi-supervised training.
- `cyclegan`: `unpaired` A/B datasets, their downloads, and the offline
  Fashion-MNIST sneakers <-> ankle boots task.

This package is a peer of `gankit` and does not import it.
"""

from data_loaders._files import DownloadError
from data_loaders.cifar import CIFAR10_CLASS_NAMES
from data_loaders.cifar import cifar10
from data_loaders.cifar import load_cifar10_arrays
from data_loaders.cyclegan import CYCLEGAN_DATASETS
from data_loaders.cyclegan import download_cyclegan_dataset
from data_loaders.cyclegan import export_unpaired
from data_loaders.cyclegan import fashion_mnist_sneakers_boots
from data_loaders.cyclegan import load_fashion_mnist_sneakers_boots_arrays
from data_loaders.cyclegan import load_unpaired_arrays
from data_loaders.cyclegan import unpaired
from data_loaders.dogs import dog_crop_box
from data_loaders.dogs import download_stanford_dogs
from data_loaders.dogs import load_stanford_dogs_arrays
from data_loaders.dogs import stanford_dogs
from data_loaders.folders import IMAGE_EXTENSIONS
from data_loaders.folders import image_folder
from data_loaders.folders import list_image_files
from data_loaders.folders import load_image_folder_arrays
from data_loaders.labeled import labeled_subset
from data_loaders.mnist_family import DEBIAN_FASHION_MNIST_DIR
from data_loaders.mnist_family import FASHION_MNIST_CLASS_NAMES
from data_loaders.mnist_family import fashion_mnist
from data_loaders.mnist_family import load_fashion_mnist_arrays
from data_loaders.mnist_family import load_mnist_arrays
from data_loaders.mnist_family import mnist
from data_loaders.mnist_family import read_idx
from data_loaders.sklearn_digits import digits
from data_loaders.sklearn_digits import load_digits_arrays

__all__ = [
    "CIFAR10_CLASS_NAMES",
    "CYCLEGAN_DATASETS",
    "DEBIAN_FASHION_MNIST_DIR",
    "FASHION_MNIST_CLASS_NAMES",
    "IMAGE_EXTENSIONS",
    "DownloadError",
    "cifar10",
    "digits",
    "dog_crop_box",
    "download_cyclegan_dataset",
    "download_stanford_dogs",
    "export_unpaired",
    "fashion_mnist",
    "fashion_mnist_sneakers_boots",
    "image_folder",
    "labeled_subset",
    "list_image_files",
    "load_cifar10_arrays",
    "load_digits_arrays",
    "load_fashion_mnist_arrays",
    "load_fashion_mnist_sneakers_boots_arrays",
    "load_image_folder_arrays",
    "load_mnist_arrays",
    "load_stanford_dogs_arrays",
    "load_unpaired_arrays",
    "mnist",
    "read_idx",
    "stanford_dogs",
    "unpaired",
]
