"""File-system helpers shared by the loaders: data folders, listings, archives."""

from __future__ import annotations

import os
import stat
import tarfile
import zipfile


class DownloadError(OSError):
    """A dataset could not be downloaded (offline, or the server failed).

    The message says what was fetched, why it failed (the first line of the
    underlying error) and how to provide the files by hand. `remedy` names
    the folder argument as `{data_dir}`, so the command line can name its
    own flag (`--data-dir`) instead of the Python argument.

    Args:
        dataset: What was being downloaded, e.g. `"Fashion-MNIST"`; kept as
            the attribute `dataset`.
        reason: The first line of the underlying error; kept as `reason`.
        remedy: How to provide the files offline, with a `{data_dir}` field
            where the folder argument is named; kept as `remedy`.

    Example:

        >>> error = DownloadError("CIFAR-10", "no network", "Pass the folder as {data_dir}")
        >>> str(error)
        'Could not download CIFAR-10 (no network). Pass the folder as `data_dir=`.'
        >>> error.describe("--data-dir DIR")
        'Could not download CIFAR-10 (no network). Pass the folder as --data-dir DIR.'
    """

    def __init__(self, dataset: str, reason: str, remedy: str) -> None:
        self.dataset = dataset
        self.reason = reason
        self.remedy = remedy
        super().__init__(self.describe("`data_dir=`"))

    def describe(self, data_dir: str) -> str:
        """The one-line message with the folder argument named `data_dir`."""
        return f"Could not download {self.dataset} ({self.reason}). {self.remedy.replace('{data_dir}', data_dir)}."


def download(dataset, remedy, fetch, *args, **kwargs):
    """Runs `fetch(*args, **kwargs)`; any failure becomes a `DownloadError`.

    Keras' downloads (`keras.utils.get_file`, `keras.datasets.*.load_data`)
    raise a bare `Exception` chained to the network error when offline; this
    keeps the cause (`raise ... from`) but gives one line that says what to do.
    """
    try:
        return fetch(*args, **kwargs)
    except Exception as error:
        lines = str(error).strip().splitlines() or [type(error).__name__]
        reason = lines[0] if len(lines[0]) <= 200 else lines[0][:197] + "..."
        raise DownloadError(dataset, reason, remedy) from error


def default_data_dir(name):
    """Returns `<keras home>/datasets/<name>`, Keras' own download location.

    Keras home is `$KERAS_HOME` when set, else `~/.keras` (the rule
    `keras.utils.get_file` follows).
    """
    keras_home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return os.path.join(keras_home, "datasets", name)


def list_files(directory):
    """Lists the regular files under `directory`, recursively, sorted.

    Hidden files and folders (names starting with ".", such as `.DS_Store` or
    `.ipynb_checkpoints`) are not listed: they are never dataset content. Only
    regular files are listed (a symbolic link counts as what it points to):
    a FIFO, socket or device named like an image would block or stream
    forever when read, and a broken link cannot be read at all.
    """
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            path = os.path.join(root, name)
            if not name.startswith(".") and _is_regular_file(path):
                found.append(path)
    return sorted(found)


def _is_regular_file(path):
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:  # A broken link, or removed meanwhile.
        return False


def _check_tar_member(member, destination):
    target = os.path.realpath(os.path.join(destination, member.name))
    if not target.startswith(os.path.realpath(destination) + os.sep):
        raise ValueError(
            f"Refusing to extract archive member {member.name!r}: it points outside the destination folder."
        )
    if not (member.isfile() or member.isdir()):
        kind = "a link" if (member.issym() or member.islnk()) else "a device, fifo or other special file"
        raise ValueError(
            f"Refusing to extract archive member {member.name!r}: it is {kind}; "
            "only regular files and folders are extracted."
        )


def extract_archive(archive, destination):
    """Extracts a `.tar`, `.tar.gz` or `.zip` archive safely into `destination`.

    Members that would land outside `destination` (absolute paths, `..`) or
    that are links are refused with `ValueError`.
    """
    os.makedirs(destination, exist_ok=True)
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zipped:
            for info in zipped.infolist():
                name = info.filename
                target = os.path.realpath(os.path.join(destination, name))
                if not target.startswith(os.path.realpath(destination) + os.sep):
                    raise ValueError(
                        f"Refusing to extract archive member {name!r}: it points outside the destination folder."
                    )
                if stat.S_ISLNK(info.external_attr >> 16):
                    raise ValueError(
                        f"Refusing to extract archive member {name!r}: it is a link "
                        "(zip entries marked as symbolic links are not extracted)."
                    )
            zipped.extractall(destination)
    elif tarfile.is_tarfile(archive):
        with tarfile.open(archive) as tarred:
            members = tarred.getmembers()
            for member in members:
                _check_tar_member(member, destination)
            if hasattr(tarfile, "data_filter"):  # Python >= 3.12 and recent patches.
                tarred.extractall(destination, members=members, filter="data")
            else:
                tarred.extractall(destination, members=members)
    else:
        raise ValueError(
            f"Cannot extract {archive!r}: it is neither a zip nor a tar archive. "
            "The file may be an incomplete download; delete it and download again."
        )
