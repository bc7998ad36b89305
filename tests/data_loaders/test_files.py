"""Tests for the file helpers (`data_loaders._files`)."""

import io
import os
import tarfile
import zipfile

import pytest

from data_loaders import _files


def test_default_data_dir_follows_keras_home(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert _files.default_data_dir("dogs") == os.path.join(str(tmp_path), "datasets", "dogs")
    monkeypatch.delenv("KERAS_HOME")
    assert _files.default_data_dir("dogs") == os.path.join(os.path.expanduser("~"), ".keras", "datasets", "dogs")


def test_list_files_is_recursive_sorted_and_skips_hidden(tmp_path):
    for name in ("b.txt", "a/z.png", "a/.hidden", ".git/config", "c/d/e.jpg"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    listed = [os.path.relpath(p, tmp_path) for p in _files.list_files(str(tmp_path))]
    assert listed == ["a/z.png", "b.txt", "c/d/e.jpg"]


@pytest.mark.timeout(60)
def test_list_files_lists_regular_files_only(tmp_path):
    (tmp_path / "real.png").write_text("x")
    os.mkfifo(tmp_path / "pipe.png")  # Reading it would block forever.
    os.symlink(tmp_path / "real.png", tmp_path / "link.png")  # A link counts as its target.
    os.symlink(tmp_path / "pipe.png", tmp_path / "link_to_pipe.png")
    os.symlink(tmp_path / "missing.png", tmp_path / "broken.png")
    listed = [os.path.relpath(p, tmp_path) for p in _files.list_files(str(tmp_path))]
    assert listed == ["link.png", "real.png"]


@pytest.mark.timeout(60)
def test_an_image_folder_with_a_fifo_does_not_hang(tmp_path):
    import imageio.v3 as iio
    import numpy as np

    import data_loaders

    iio.imwrite(tmp_path / "a.png", np.full((8, 8), 200, np.uint8))
    os.mkfifo(tmp_path / "pipe.png")
    images, labels, _ = data_loaders.load_image_folder_arrays(str(tmp_path), image_size=8, color_mode="grayscale")
    assert len(images) == 1 and int(images[0].max()) == 200 and labels is None


def test_extract_zip_and_tar(tmp_path):
    with zipfile.ZipFile(tmp_path / "data.zip", "w") as zipped:
        zipped.writestr("root/trainA/x.txt", "zip")
    with tarfile.open(tmp_path / "data.tar", "w") as tarred:
        payload = b"tar"
        info = tarfile.TarInfo("Images/y.txt")
        info.size = len(payload)
        tarred.addfile(info, io.BytesIO(payload))
    _files.extract_archive(str(tmp_path / "data.zip"), str(tmp_path / "out"))
    _files.extract_archive(str(tmp_path / "data.tar"), str(tmp_path / "out"))
    assert (tmp_path / "out" / "root" / "trainA" / "x.txt").read_text() == "zip"
    assert (tmp_path / "out" / "Images" / "y.txt").read_text() == "tar"


def test_extract_refuses_paths_outside_the_destination(tmp_path):
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as zipped:
        zipped.writestr("../evil.txt", "x")
    with pytest.raises(ValueError, match="outside the destination"):
        _files.extract_archive(str(tmp_path / "evil.zip"), str(tmp_path / "out"))
    with tarfile.open(tmp_path / "evil.tar", "w") as tarred:
        info = tarfile.TarInfo("link")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tarred.addfile(info)
    with pytest.raises(ValueError, match="is a link"):
        _files.extract_archive(str(tmp_path / "evil.tar"), str(tmp_path / "out"))
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "out" / "link").exists()


def test_extract_non_archive_is_an_error(tmp_path):
    (tmp_path / "half.zip").write_bytes(b"PK partial download")
    with pytest.raises(ValueError, match="neither a zip nor a tar archive"):
        _files.extract_archive(str(tmp_path / "half.zip"), str(tmp_path / "out"))


def _zip(path, name, data=b"x", symlink=False):
    with zipfile.ZipFile(path, "w") as zipped:
        info = zipfile.ZipInfo(name)
        if symlink:
            info.external_attr = 0o120777 << 16  # S_IFLNK | rwxrwxrwx, as `zip --symlinks` writes
        zipped.writestr(info, data)
    return str(path)


def _tar(path, name, kind=tarfile.REGTYPE, linkname="", data=b"x"):
    with tarfile.open(path, "w:gz") as tarred:
        info = tarfile.TarInfo(name)
        info.type, info.linkname = kind, linkname
        if kind == tarfile.REGTYPE:
            info.size = len(data)
            tarred.addfile(info, io.BytesIO(data))
        else:
            tarred.addfile(info)
    return str(path)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda d: _zip(d / "a.zip", "../../escape.txt"), "outside the destination"),
        (lambda d: _zip(d / "a.zip", "/tmp/absolute_gankit_test.txt"), "outside the destination"),
        (lambda d: _zip(d / "a.zip", "inner/../../escape.txt"), "outside the destination"),
        (lambda d: _zip(d / "a.zip", "link", b"/etc/passwd", symlink=True), "is a link"),
        (lambda d: _tar(d / "a.tar.gz", "../escape.txt"), "outside the destination"),
        (lambda d: _tar(d / "a.tar.gz", "/tmp/absolute_gankit_test.txt"), "outside the destination"),
        (lambda d: _tar(d / "a.tar.gz", "link", tarfile.SYMTYPE, "../../etc/passwd"), "is a link"),
        (lambda d: _tar(d / "a.tar.gz", "hard", tarfile.LNKTYPE, "/etc/passwd"), "is a link"),
        (lambda d: _tar(d / "a.tar.gz", "dev", tarfile.CHRTYPE), "special file"),
    ],
    ids=[
        "zip-dotdot",
        "zip-absolute",
        "zip-inner-dotdot",
        "zip-symlink",
        "tar-dotdot",
        "tar-absolute",
        "tar-symlink",
        "tar-hardlink",
        "tar-device",
    ],
)
def test_crafted_archives_are_refused_and_write_nothing(tmp_path, make, match):
    archive = make(tmp_path)
    out = tmp_path / "out" / "deep"
    with pytest.raises(ValueError, match=match):
        _files.extract_archive(archive, str(out))
    assert list(out.iterdir()) == []  # nothing was extracted, not even the harmless members
    assert not (tmp_path / "out" / "escape.txt").exists() and not (tmp_path / "escape.txt").exists()
    assert not os.path.exists("/tmp/absolute_gankit_test.txt")


def _zip_with_bad_last_member(path):
    """A zip of root/trainA/{a,b}.txt whose last member's data was corrupted after writing."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zipped:
        zipped.writestr("root/trainA/a.txt", b"A" * 100)
        zipped.writestr("root/trainA/b.txt", b"B" * 100)
    data = bytearray(path.read_bytes())
    position = data.rindex(b"B" * 100)
    data[position] = ord("C")  # Same size, wrong CRC-32.
    path.write_bytes(bytes(data))
    return str(path)


def test_a_damaged_archive_leaves_nothing_behind(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(ValueError, match="damaged.*Bad CRC-32"):
        _files.extract_archive(_zip_with_bad_last_member(tmp_path / "bad.zip"), str(out))
    assert list(out.iterdir()) == []  # No half tree (root/trainA/a.txt) that looks ready.
    with zipfile.ZipFile(tmp_path / "good.zip", "w") as zipped:
        zipped.writestr("root/trainA/a.txt", "a")
    _files.extract_archive(str(tmp_path / "good.zip"), str(out))
    assert sorted(os.listdir(out)) == ["root"]
    assert (out / "root" / "trainA" / "a.txt").read_text() == "a"


def test_a_zip_bomb_is_refused_before_writing(tmp_path):
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("big.bin", b"\0" * 2_000_000)  # ~2 KB compressed, 2 MB declared.
    assert (tmp_path / "bomb.zip").stat().st_size < 10_000
    with pytest.raises(ValueError, match=r"add up to 2,000,000 bytes, more than the limit of 1,000,000"):
        _files.extract_archive(str(tmp_path / "bomb.zip"), str(tmp_path / "out"), max_bytes=1_000_000)
    assert list((tmp_path / "out").iterdir()) == []
    _files.extract_archive(str(tmp_path / "bomb.zip"), str(tmp_path / "out"), max_bytes=2_000_000)
    assert (tmp_path / "out" / "big.bin").stat().st_size == 2_000_000


def test_extraction_never_overwrites_and_clears_stale_staging(tmp_path):
    out = tmp_path / "out"
    (out / ".extracting-killed").mkdir(parents=True)  # A killed earlier extraction.
    archive = _zip(tmp_path / "a.zip", "root/x.txt")
    _files.extract_archive(archive, str(out))
    assert sorted(os.listdir(out)) == ["root"]
    with pytest.raises(ValueError, match="root already exist"):
        _files.extract_archive(archive, str(out))
    assert sorted(os.listdir(out)) == ["root"]
