"""Pictures of GAN training: image grids, GIFs, loss plots, latent walks, image export.

Pure functions on NumPy arrays (tensors are accepted), each writing its file
atomically (temporary name, then rename) and creating missing folders:

- Grids: `to_uint8`, `image_grid`, `save_image_grid`.
- Latent walks: `interpolate_latents` (linear or slerp), `interpolation_strip`.
- Animation: `write_gif`.
- Loss curves: `plot_losses` (matplotlib without `pyplot`).
- Export: `write_images` (many PNGs into a folder or a `.zip`, batched).

The callbacks that call these during `fit()` live in
`gankit.training.callbacks`; this package never imports `gankit.training`.
"""

from gankit.viz.animation import write_gif
from gankit.viz.export import write_images
from gankit.viz.grids import image_grid
from gankit.viz.grids import save_image_grid
from gankit.viz.grids import to_uint8
from gankit.viz.interpolation import interpolate_latents
from gankit.viz.interpolation import interpolation_strip
from gankit.viz.plots import plot_losses

__all__ = [
    "image_grid",
    "interpolate_latents",
    "interpolation_strip",
    "plot_losses",
    "save_image_grid",
    "to_uint8",
    "write_gif",
    "write_images",
]
