"""The Nu HTML Checker for tests/test_html_valid.py: npm's `vnu-jar`, pinned by version and integrity hash.

`make test` runs this file first. It downloads the package's tarball from the npm registry once, checks its
sha512 against the pin, and keeps only vnu.jar under .venv/vnu/. No npm is needed, only Python; running the
jar needs a Java runtime (Debian's default-jre-headless, which .ci/run installs).

When the registry cannot be reached, it says so in one line; outside CI the HTML test then skips, in CI
(CI=true) this command fails.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

VERSION = "26.9.27"
INTEGRITY = "sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+rS2DNtjn7+RPUiZhgli0SghgBX6RJRNea0KA=="
URL = f"https://registry.npmjs.org/vnu-jar/-/vnu-jar-{VERSION}.tgz"
MEMBER = "package/build/dist/vnu.jar"
ROOT = Path(__file__).resolve().parent.parent


def jar_path() -> Path:
    return Path(os.environ.get("VNU_DIR", ROOT / ".venv" / "vnu")) / f"vnu-{VERSION}.jar"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def fetch() -> Path:
    """The checked jar, downloaded once; OSError or ValueError when it cannot be had."""
    target = jar_path()
    if target.exists():
        return target
    with urllib.request.urlopen(URL, timeout=120) as response:
        tarball = response.read()
    algorithm, expected = INTEGRITY.split("-", 1)
    if base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode() != expected:
        raise ValueError(f"{URL} does not match its pinned {algorithm} hash")
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        member = archive.extractfile(MEMBER)
        if member is None:
            raise ValueError(f"{URL} holds no {MEMBER}")
        jar = member.read()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed: a half-written jar is never taken for a whole one.
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as part:
        part.write(jar)
    Path(part.name).replace(target)
    return target


def main() -> int:
    try:
        path = fetch()
    except (OSError, ValueError) as error:
        print(f"vnu-jar {VERSION}: not available ({error}); the HTML check is skipped.", file=sys.stderr)
        return 1 if in_ci() else 0
    print(f"vnu-jar {VERSION}: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
