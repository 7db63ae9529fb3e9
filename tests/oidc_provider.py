"""A real OpenID Connect provider for the sign-in tests.

panva/oidc-provider (npm, certified by the OpenID Foundation) run by Node.js from
``tests/oidc/`` (``npm ci --prefix tests/oidc`` installs it; ``.ci/run`` does). It
knows one client, this app, with the live server's callback; its own login page
takes any login name, and the account's e-mail is that name.

Without Node.js or the package the tests that need it skip, and fail in CI
(PRIORITERING_REQUIRE_BROWSER=1: they run beside the browser tests).
"""

import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_BROWSER, skip_or_fail

HERE = Path(__file__).parent / "oidc"
CLIENT_ID = "prioritering-test"
CLIENT_SECRET = "a-test-secret-that-is-long-enough-for-hs256-and-basic-auth"


class OidcProvider:
    def __init__(self, port: int, process: subprocess.Popen):
        self.port = port
        self.process = process
        self.issuer = f"http://127.0.0.1:{port}"
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET

    def settings(self) -> dict:
        """The app's settings for this provider."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
        }

    def expire_id_tokens(self, on: bool) -> None:
        """From now on the token endpoint issues ID tokens that expired an hour ago (or not)."""
        request = urllib.request.Request(  # noqa: S310 - the provider we started
            f"{self.issuer}/__test__/expired-id-tokens",
            data=b"1" if on else b"0",
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - our own
            response.read()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - a hung provider
            self.process.kill()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_provider(app_urls: list[str]) -> OidcProvider:
    """Start the provider for an app served at each of ``app_urls`` (scheme://host:port)."""
    node = shutil.which("node")
    if node is None:
        skip_or_fail("needs Node.js (`node`) for the OpenID Connect provider", REQUIRE_BROWSER)
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        skip_or_fail(
            "needs the OpenID Connect provider: npm ci --prefix tests/oidc", REQUIRE_BROWSER
        )
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URIS": " ".join(f"{url}/konto/oidc/callback/" for url in app_urls),
        "POST_LOGOUT_REDIRECT_URIS": " ".join(f"{url}/konto/logga-in/" for url in app_urls),
    }
    process = subprocess.Popen(
        [node, "provider.mjs"],
        cwd=HERE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    provider = OidcProvider(port, process)
    deadline = time.monotonic() + 20
    output = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        output.append(line)
        if "listening on" in line:
            # Keep reading its output so a full pipe never stalls it.
            _drain(process)
            return provider
    provider.stop()
    pytest.fail("the OpenID Connect provider did not start:\n" + "".join(output))


def _drain(process: subprocess.Popen) -> None:
    def read():
        for _line in process.stdout:
            pass

    threading.Thread(target=read, daemon=True).start()


def app_urls(live_server_url: str) -> list[str]:
    """The live server by both its names, as a browser or requests may reach it."""
    port = live_server_url.rsplit(":", 1)[1]
    return [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]
