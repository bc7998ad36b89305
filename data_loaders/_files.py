"""File-system helpers shared by the loaders: data folders, listings, archives."""

from __future__ import annotations

import os
import shutil
import stat
import tarfile
import tempfile
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


MAX_EXTRACTED_BYTES = 20 * 2**30
"""The most bytes `extract_archive` writes (20 GiB; Stanford Dogs' images.tar is 0.8 GB).

The archive's declared member sizes are added up before anything is written:
a few kilobytes of zip can declare terabytes (a zip bomb).
"""
_STAGING_PREFIX = ".extracting-"


def extract_archive(archive, destination, *, max_bytes=None):
    """Extracts a `.tar`, `.tar.gz` or `.zip` archive safely into `destination`.

    Members that would land outside `destination` (absolute paths, `..`) or
    that are links or special files are refused with `ValueError`, as is an
    archive whose members add up to more than `max_bytes`. Everything is
    extracted into a hidden staging folder inside `destination` first, and
    each top-level entry is renamed into place only once the whole archive
    is out: a failure (a bad CRC in the last member, a full disk) leaves
    nothing in `destination` that a later call could mistake for a complete
    dataset.

    Args:
        archive: The archive file.
        destination: The folder to extract into (created if missing). Its
            top-level entries must not exist yet.
        max_bytes: The most bytes the members may add up to, or `None` for
            `MAX_EXTRACTED_BYTES`.

    Raises:
        ValueError: For a refused member, an archive over `max_bytes`, a
            file that is no archive, or entries that already exist.
        OSError: If writing fails (the staging folder is removed).
    """
    max_bytes = MAX_EXTRACTED_BYTES if max_bytes is None else max_bytes
    os.makedirs(destination, exist_ok=True)
    for stale in os.listdir(destination):  # Left by a process that was killed while extracting.
        if stale.startswith(_STAGING_PREFIX):
            shutil.rmtree(os.path.join(destination, stale), ignore_errors=True)
    staging = tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=destination)
    try:
        _extract_into(archive, staging, max_bytes)
        entries = sorted(os.listdir(staging))
        clashes = [entry for entry in entries if os.path.lexists(os.path.join(destination, entry))]
        if clashes:
            raise ValueError(
                f"Cannot extract {archive!r} into {destination!r}: {', '.join(clashes)} already exist there "
                "(left by an earlier, incomplete extraction?). Remove them and call again."
            )
        for entry in entries:
            os.rename(os.path.join(staging, entry), os.path.join(destination, entry))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_total_size(archive, total, max_bytes):
    if total > max_bytes:
        raise ValueError(
            f"Refusing to extract {archive!r}: its members add up to {total:,} bytes, more than the limit of "
            f"{max_bytes:,} bytes (`max_bytes`). A small archive that declares that much is a zip bomb; a real "
            "dataset that large needs a larger `max_bytes`."
        )


def _extract_into(archive, destination, max_bytes):
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zipped:
            infos = zipped.infolist()
            for info in infos:
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
            # zipfile stops each member at its declared size and checks its CRC.
            _check_total_size(archive, sum(info.file_size for info in infos), max_bytes)
            try:
                zipped.extractall(destination)
            except (zipfile.BadZipFile, EOFError) as error:
                raise ValueError(f"Cannot extract {archive!r}: it is damaged ({error}). Download it again.") from None
    elif tarfile.is_tarfile(archive):
        with tarfile.open(archive) as tarred:
            members = tarred.getmembers()
            for member in members:
                _check_tar_member(member, destination)
            _check_total_size(archive, sum(member.size for member in members if member.isfile()), max_bytes)
            try:
                if hasattr(tarfile, "data_filter"):  # Python >= 3.12 and recent patches.
                    tarred.extractall(destination, members=members, filter="data")
                else:
                    tarred.extractall(destination, members=members)
            except (tarfile.TarError, EOFError) as error:
                raise ValueError(f"Cannot extract {archive!r}: it is damaged ({error}). Download it again.") from None
    else:
        raise ValueError(
            f"Cannot extract {archive!r}: it is neither a zip nor a tar archive. "
            "The file may be an incomplete download; delete it and download again."
        )
