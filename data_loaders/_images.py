"""Image decoding, cropping and resizing with OpenCV, shared by the file loaders.

Images are decoded once, on the CPU, into uint8 NumPy arrays at their final
size; the `tf.data` pipeline (see `_pipeline`) then only batches, scales and
flips them. Files that cannot be decoded are skipped and reported in one
warning per call, never with a crash.
"""

import concurrent.futures
import os
import warnings

import cv2
import numpy as np
import PIL.Image

IMAGE_EXTENSIONS = (".bmp", ".jpeg", ".jpg", ".png")
COLOR_MODES = ("rgb", "grayscale")
CROP_MODES = ("center", "none")
# "auto" follows the dogs post: INTER_AREA to shrink, INTER_CUBIC to enlarge.
INTERPOLATIONS = {
    "auto": None,
    "area": cv2.INTER_AREA,
    "cubic": cv2.INTER_CUBIC,
    "linear": cv2.INTER_LINEAR,
    "nearest": cv2.INTER_NEAREST,
    "lanczos": cv2.INTER_LANCZOS4,
}
_MAX_NAMES_IN_WARNING = 10
MAX_IMAGE_PIXELS = 89_478_485
"""Images declaring more pixels than this (width x height) are skipped unread.

Pillow's default decompression-bomb limit (`PIL.Image.MAX_IMAGE_PIXELS`,
about 0.25 GB as 24-bit RGB plus headroom): a 1 MB PNG can declare
20,000 x 20,000 pixels and take gigabytes and minutes to decode. The size is
read from the file header before anything is decoded.
"""


def channels_of(color_mode):
    """Number of channels a `color_mode` decodes to."""
    return 3 if color_mode == "rgb" else 1


def declared_pixels(path):
    """Width x height from the image file's header, or `None` if unreadable.

    Only the header is read (Pillow's lazy `Image.open`), never the pixels.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PIL.Image.DecompressionBombWarning)
            with PIL.Image.open(path) as image:
                width, height = image.size
    except PIL.Image.DecompressionBombError:
        return MAX_IMAGE_PIXELS + 1  # Pillow refused it: larger still than its warning limit.
    except (OSError, ValueError, SyntaxError):  # Not an image Pillow can identify, or unreadable.
        return None
    return width * height


def decode_image(path, color_mode="rgb"):
    """Reads an image file as a uint8 HWC array (RGB or 1-channel gray).

    Returns `None` when the file cannot be read or decoded, or declares more
    than `MAX_IMAGE_PIXELS` pixels in its header.
    """
    pixels = declared_pixels(path)
    if pixels is not None and pixels > MAX_IMAGE_PIXELS:
        return None
    try:
        # np.fromfile + imdecode (not imread) also reads non-ASCII paths.
        data = np.fromfile(path, dtype=np.uint8)
    except OSError:
        return None
    if data.size == 0:
        return None
    flag = cv2.IMREAD_GRAYSCALE if color_mode == "grayscale" else cv2.IMREAD_COLOR
    try:
        image = cv2.imdecode(data, flag)
    except cv2.error:
        return None
    if image is None:
        return None
    if color_mode == "grayscale":
        return image[..., np.newaxis]
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def center_crop(image, size):
    """Crops the largest centred region with the aspect ratio of `size`.

    For a square `size` this is the centred square of side `min(H, W)`.
    """
    height, width = image.shape[:2]
    target_height, target_width = size
    if height * target_width > width * target_height:  # Too tall: cut rows.
        new_height = max(1, round(width * target_height / target_width))
        top = (height - new_height) // 2
        return image[top : top + new_height]
    new_width = max(1, round(height * target_width / target_height))
    left = (width - new_width) // 2
    return image[:, left : left + new_width]


def resize(image, size, interpolation="auto"):
    """Resizes a HWC uint8 image to `size=(height, width)` with OpenCV.

    `interpolation="auto"` uses `cv2.INTER_AREA` when the image shrinks (fewer
    output than input pixels) and `cv2.INTER_CUBIC` when it grows, as the dogs
    post does. A same-size image is returned unchanged.
    """
    height, width = image.shape[:2]
    if (height, width) == tuple(size):
        return image
    if interpolation == "auto":
        shrinking = size[0] * size[1] < height * width
        flag = cv2.INTER_AREA if shrinking else cv2.INTER_CUBIC
    else:
        flag = INTERPOLATIONS[interpolation]
    resized = cv2.resize(image, (size[1], size[0]), interpolation=flag)
    return resized[..., np.newaxis] if resized.ndim == 2 else resized


def has_image_extension(path):
    return os.path.splitext(path)[1].lower() in IMAGE_EXTENSIONS


def map_in_threads(function, items):
    """`map` over a thread pool (OpenCV releases the GIL while decoding)."""
    workers = min(8, os.cpu_count() or 1)
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as executor:
        return list(executor.map(function, items))


def warn_skipped(names, total, what):
    """Issues ONE `UserWarning` counting and naming the skipped items.

    The message reads "Skipped {len(names)} of {total} {what}: a, b, ...",
    with at most ten names.
    """
    if not names:
        return
    shown = ", ".join(names[:_MAX_NAMES_IN_WARNING])
    if len(names) > _MAX_NAMES_IN_WARNING:
        shown += f", ... ({len(names) - _MAX_NAMES_IN_WARNING} more)"
    warnings.warn(f"Skipped {len(names)} of {total} {what}: {shown}", UserWarning, stacklevel=3)


def skipped_files_message(root):
    """The `what` of `warn_skipped` for files of `root` that are not images."""
    return (
        f"files in {root!r} that could not be read as images (readable extensions: {', '.join(IMAGE_EXTENSIONS)}; "
        f"at most {MAX_IMAGE_PIXELS:,} pixels)"
    )


def read_images(paths, root, image_size, crop="center", color_mode="rgb", interpolation="auto"):
    """Decodes image files to one uint8 array at `image_size`.

    Args:
        paths: the files to read (e.g. `_files.list_files(root)`); files
            whose extension is not in `IMAGE_EXTENSIONS` are skipped.
        root: the folder they come from, for messages.
        image_size: `(height, width)` of the output images.
        crop: `"center"` crops the largest centred region with the aspect
            ratio of `image_size` before resizing; `"none"` resizes the whole
            image (changing its aspect ratio if it differs).
        color_mode: `"rgb"` or `"grayscale"`.
        interpolation: a key of `INTERPOLATIONS`.

    Returns:
        `(images, kept, skipped)`: uint8 `[N, height, width, channels]`, the
        paths decoded (one per image, in order) and the paths skipped. The
        skipped files are named in one warning.

    Raises:
        ValueError: if no file can be read as an image.
    """

    def load(path):
        if not has_image_extension(path):
            return None
        image = decode_image(path, color_mode)
        if image is None:
            return None
        if crop == "center":
            image = center_crop(image, image_size)
        return resize(image, image_size, interpolation)

    decoded = map_in_threads(load, paths)
    kept = [path for path, image in zip(paths, decoded) if image is not None]
    skipped = [path for path, image in zip(paths, decoded) if image is None]
    warn_skipped([os.path.relpath(p, root) for p in skipped], len(paths), skipped_files_message(root))
    if not kept:
        raise ValueError(
            f"No images found in {root!r} ({len(paths)} files searched, "
            f"recursively). Expected files ending in {', '.join(IMAGE_EXTENSIONS)} "
            "that OpenCV can decode. Check the path and the folder's contents."
        )
    images = np.empty((len(kept), *image_size, channels_of(color_mode)), dtype=np.uint8)
    row = 0
    for index, image in enumerate(decoded):
        if image is not None:
            images[row] = image
            decoded[index] = None  # Frees each decoded image once copied.
            row += 1
    return images, kept, skipped
