from __future__ import annotations

import hashlib
import socket
from pathlib import Path

import pytest

from earcheck.errors import DownloadFailed
from earcheck.sources.download import fetch

SNAPSHOT = Path(__file__).parents[1] / "fixtures" / "sources" / "snapshot"


def test_download(server: str, tmp_path: Path) -> None:
    destination = tmp_path / "lists" / "consolidated.csv"
    download = fetch(f"{server}/consolidated.csv", destination)
    assert destination.read_bytes() == (SNAPSHOT / "csl" / "consolidated.csv").read_bytes()
    assert download.size == destination.stat().st_size
    assert download.sha256 == hashlib.sha256(destination.read_bytes()).hexdigest()
    assert list(destination.parent.iterdir()) == [destination]  # no .part left behind


def test_redirect_is_followed(server: str, tmp_path: Path) -> None:
    download = fetch(f"{server}/moved", tmp_path / "c.csv")
    assert download.size == (SNAPSHOT / "csl" / "consolidated.csv").stat().st_size


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/fail", "the server answered 503"),
        ("/truncated/consolidated.csv", "before the file was complete"),
        ("/nothing-here", "the server answered 404"),
    ],
)
def test_failures_keep_the_previous_file(server: str, tmp_path: Path, path: str, message: str) -> None:
    destination = tmp_path / "consolidated.csv"
    destination.write_text("the previous download")
    with pytest.raises(DownloadFailed, match=message) as raised:
        fetch(f"{server}{path}", destination)
    assert raised.value.url == f"{server}{path}"
    assert destination.read_text() == "the previous download"
    assert [p.name for p in tmp_path.iterdir()] == ["consolidated.csv"]


def test_timeout(server: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadFailed, match="timed out; check network access"):
        fetch(f"{server}/slow/consolidated.csv", tmp_path / "c.csv", timeout=0.3)


def test_connection_refused(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DownloadFailed, match=r"could not connect .*earcheck data import FILE --as-of DATE"):
        fetch(f"http://127.0.0.1:{port}/sdn.csv", tmp_path / "sdn.csv", connect_timeout=2)


def test_check_rejects_the_wrong_content(server: str, tmp_path: Path) -> None:
    def check(path: Path) -> None:
        if not path.read_bytes().startswith(b'"_id"'):
            raise DownloadFailed("x", "not a CSL")

    with pytest.raises(DownloadFailed, match="not a CSL"):
        fetch(f"{server}/sdn.csv", tmp_path / "c.csv", check=check)
    assert not (tmp_path / "c.csv").exists()


def test_not_a_url(tmp_path: Path) -> None:
    with pytest.raises(DownloadFailed, match=r"download failed \(UnsupportedProtocol"):
        fetch("ftp:/nowhere", tmp_path / "c.csv")
