"""Fetching the official list files: the trade.gov CSL and OFAC's SDN.CSV.

A download streams to ``NAME.part`` beside its destination, is checked (the status, the length the
server announced, a non-empty body), and only then renamed over the destination, so an interrupted
download never leaves a half file where a complete one is expected. Every failure is a
``DownloadFailed`` that says what went wrong and what to do.

The EAR tables have no such official CSV; they come from a snapshot folder (``earcheck data import``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from earcheck import __version__
from earcheck.errors import DownloadFailed

__all__ = ["CSL_URL", "SDN_URL", "Download", "fetch"]

CSL_URL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
SDN_URL = "https://www.treasury.gov/ofac/downloads/sdn.csv"

_BY_HAND = "download the file yourself and run `earcheck data import FILE --as-of DATE`"
_WHAT_TO_DO = f"check network access to the server (a proxy is taken from HTTPS_PROXY), or {_BY_HAND}"


@dataclass(frozen=True, slots=True)
class Download:
    url: str
    path: Path
    sha256: str
    size: int


def fetch(
    url: str,
    destination: Path,
    *,
    timeout: float = 60.0,
    connect_timeout: float = 15.0,
    check: Callable[[Path], None] | None = None,
) -> Download:
    """Download ``url`` to ``destination``, replacing it only when the download is complete.

    ``check`` is called on the downloaded file before it replaces ``destination``, and raises
    ``DownloadFailed`` if it is not what was expected (an HTML error page served with status 200).
    """
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DownloadFailed(url, f"cannot create {destination.parent}: {error.strerror or error}") from None
    partial = destination.with_name(destination.name + ".part")
    digest = hashlib.sha256()
    size = 0
    try:
        with httpx.stream(
            "GET",
            url,
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            follow_redirects=True,
            headers={"User-Agent": f"earcheck/{__version__}"},
        ) as response:
            if response.status_code != httpx.codes.OK:
                raise DownloadFailed(
                    url,
                    f"the server answered {response.status_code} {response.reason_phrase}; "
                    f"try again later, or {_BY_HAND}",
                )
            announced = response.headers.get("content-length")
            with partial.open("wb") as out:
                for chunk in response.iter_bytes():
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
            # Compare what came over the wire (before any gzip decoding) with what was announced.
            received = response.num_bytes_downloaded
            if announced is not None and announced.isdigit() and received != int(announced):
                raise DownloadFailed(url, f"the download stopped after {received} of {announced} bytes; try again")
        if size == 0:
            raise DownloadFailed(url, "the server sent an empty file; try again later")
        if check is not None:
            check(partial)
        partial.replace(destination)
    except httpx.TimeoutException:
        raise DownloadFailed(url, f"timed out; {_WHAT_TO_DO}") from None
    except httpx.ConnectError as error:
        raise DownloadFailed(url, f"could not connect ({error}); {_WHAT_TO_DO}") from None
    except httpx.RemoteProtocolError as error:
        raise DownloadFailed(
            url, f"the connection broke off before the file was complete ({error}); try again"
        ) from None
    except httpx.InvalidURL as error:
        raise DownloadFailed(url, f"not a valid URL: {error}") from None
    except httpx.HTTPError as error:
        raise DownloadFailed(url, f"download failed ({type(error).__name__}: {error}); {_WHAT_TO_DO}") from None
    except OSError as error:
        raise DownloadFailed(url, f"cannot write {partial}: {error.strerror or error}") from None
    finally:
        partial.unlink(missing_ok=True)
    return Download(url, destination, digest.hexdigest(), size)
