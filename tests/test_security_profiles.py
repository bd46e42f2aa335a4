"""OCPP security profiles 2 and 3 in the example CSMS and simulator, over loopback TLS with
certificates made at test time (trustme): who gets in, who is refused before any OCPP frame,
the ``ocpp`` package's client over wss://, and the one-line errors for options that do not
fit a profile or certificate files that cannot be used. The README's openssl commands are run
as written and their certificates used.

Real servers on 127.0.0.1 and a free port, stopped afterwards; bounded time.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import ssl
import subprocess
import sys
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import ocpp.v201
import pytest
import trustme
import websockets
from charging_station import Station
from csms import Csms
from security import MINIMUM_TLS, ClientSecurity, SecurityError, ServerSecurity
from support import ROOT
from websockets.exceptions import InvalidStatus
from websockets.headers import build_authorization_basic

LIMIT = 20.0
"""Seconds one scenario may take."""
EXAMPLES = ROOT / "examples"
USERS = {"CS-001": "secret"}


def _run(scenario: Callable[[], Awaitable[Any]]) -> Any:
    async def bounded() -> Any:
        return await asyncio.wait_for(scenario(), LIMIT)

    return asyncio.run(bounded())


@dataclass(frozen=True)
class Pki:
    """Test certificates: a CA with the CSMS's certificate and two stations', and another CA."""

    folder: Path

    def path(self, name: str) -> Path:
        return self.folder / name


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    folder = tmp_path_factory.mktemp("pki")
    ca, other = trustme.CA(), trustme.CA()
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    other.cert_pem.write_to_path(str(folder / "other-ca.pem"))
    server = ca.issue_cert("localhost", "127.0.0.1", common_name="csms")
    server.private_key_and_cert_chain_pem.write_to_path(str(folder / "csms.pem"))
    server.cert_chain_pems[0].write_to_path(str(folder / "csms-cert.pem"))
    server.private_key_pem.write_to_path(str(folder / "csms.key"))
    for station in ("CS-001", "CS-002"):
        cert = ca.issue_cert(f"{station.lower()}.stations.invalid", common_name=station)
        cert.cert_chain_pems[0].write_to_path(str(folder / f"{station}.pem"))
        cert.private_key_pem.write_to_path(str(folder / f"{station}.key"))
    stranger = other.issue_cert("cs-001.stations.invalid", common_name="CS-001")
    stranger.private_key_and_cert_chain_pem.write_to_path(str(folder / "stranger.pem"))
    return Pki(folder)


def _server(pki: Pki, profile: int) -> ServerSecurity:
    client_ca = pki.path("ca.pem") if profile == 3 else None
    return ServerSecurity(profile, pki.path("csms-cert.pem"), pki.path("csms.key"), client_ca)


class WatchedCsms(Csms):
    """The example CSMS, noting the path of every connection that got past the handshake
    (and so could send OCPP frames)."""

    def __init__(self, *args: Any, **options: Any) -> None:
        super().__init__(*args, **options)
        self.admitted: list[str] = []

    async def handle(self, connection: Any) -> None:
        self.admitted.append(connection.request.path)
        await super().handle(connection)


def _csms(pki: Pki, profile: int) -> WatchedCsms:
    security = _server(pki, profile)
    security.check(profile == 2)
    users = USERS if profile == 2 else None
    identified = security.identifies_by_certificate
    return WatchedCsms(users, tls=security.context(), certificate_ids=identified)


@contextlib.asynccontextmanager
async def serving(csms: Csms) -> AsyncIterator[int]:
    server = await csms.serve("127.0.0.1", 0)
    try:
        yield next(iter(server.sockets)).getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


def _station(port: int, station: str, security: ClientSecurity) -> Station:
    url = f"wss://127.0.0.1:{port}/{station}"
    security.check(url)
    return Station(url, "2.0.1", password=security.password, tls=security.context(url))


async def _outcome(run: Awaitable[Any]) -> BaseException | None:
    """What a station's run raised (None: it did its work)."""
    try:
        await run
    except Exception as exc:
        return exc
    return None


def test_profile_2_lets_the_station_in_over_tls_with_its_password(pki: Pki) -> None:
    csms = _csms(pki, 2)

    async def scenario() -> Station:
        async with serving(csms) as port:
            security = ClientSecurity(2, cafile=pki.path("ca.pem"), password="secret")
            station = _station(port, "CS-001", security)
            await station.run(charge=False)
            return station

    assert _run(scenario).sent == ["BootNotification", "Heartbeat", "StatusNotification"]


def test_profile_2_with_a_wrong_password_is_refused(pki: Pki) -> None:
    async def scenario() -> BaseException | None:
        async with serving(_csms(pki, 2)) as port:
            security = ClientSecurity(2, cafile=pki.path("ca.pem"), password="wrong")
            return await _outcome(_station(port, "CS-001", security).run())

    error = _run(scenario)
    assert isinstance(error, InvalidStatus) and error.response.status_code == 401


def test_a_csms_certificate_from_another_ca_is_refused_by_the_station(pki: Pki) -> None:
    async def scenario() -> BaseException | None:
        async with serving(_csms(pki, 2)) as port:
            security = ClientSecurity(2, cafile=pki.path("other-ca.pem"), password="secret")
            return await _outcome(_station(port, "CS-001", security).run())

    error = _run(scenario)
    assert isinstance(error, ssl.SSLCertVerificationError), error


def test_profile_3_lets_in_the_station_its_certificate_names(pki: Pki) -> None:
    csms = _csms(pki, 3)

    async def scenario() -> BaseException | None:
        async with serving(csms) as port:
            security = ClientSecurity(3, pki.path("ca.pem"), *_key_pair(pki, "CS-001"))
            return await _outcome(_station(port, "CS-001", security).run(charge=False))

    assert _run(scenario) is None
    assert csms.admitted == ["/CS-001"]


def _key_pair(pki: Pki, station: str) -> tuple[Path, Path]:
    return pki.path(f"{station}.pem"), pki.path(f"{station}.key")


@pytest.mark.parametrize("certificate", ["CS-002", "stranger", "none"])
def test_profile_3_refuses_other_certificates_before_any_ocpp_frame(
    pki: Pki, certificate: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Another station's certificate (same CA), one from another CA, or none at all."""
    csms = _csms(pki, 3)
    chain = {
        "CS-002": _key_pair(pki, "CS-002"),
        "stranger": (pki.path("stranger.pem"), None),
        "none": (None, None),
    }[certificate]

    async def scenario() -> BaseException | None:
        async with serving(csms) as port:
            url = f"wss://127.0.0.1:{port}/CS-001"
            security = ClientSecurity(None, pki.path("ca.pem"))
            context = security.context(url)
            assert context is not None
            if chain[0] is not None:
                context.load_cert_chain(*chain)
            return await _outcome(Station(url, "2.0.1", tls=context).run(charge=False))

    error = _run(scenario)
    assert csms.admitted == []  # refused before any OCPP frame
    if certificate == "CS-002":
        assert isinstance(error, InvalidStatus) and error.response.status_code == 403
        assert b"the client certificate is for 'CS-002', not 'CS-001'" in error.response.body
        assert "CS-001 refused: the client certificate is for 'CS-002'" in caplog.text
    else:  # the TLS handshake itself fails
        assert isinstance(error, (OSError, websockets.InvalidHandshake, EOFError)), error


@pytest.mark.parametrize("profile", [2, 3])
def test_plain_ws_is_refused_when_a_tls_profile_is_configured(pki: Pki, profile: int) -> None:
    csms = _csms(pki, profile)

    async def scenario() -> BaseException | None:
        async with serving(csms) as port:
            station = Station(f"ws://127.0.0.1:{port}/CS-001", "2.0.1", password="secret")
            return await _outcome(station.run(charge=False))

    error = _run(scenario)
    assert isinstance(error, (OSError, websockets.InvalidHandshake)), error
    assert csms.admitted == []


def test_the_ocpp_package_client_connects_over_wss_in_profile_2(pki: Pki) -> None:
    csms = _csms(pki, 2)

    async def scenario() -> Any:
        async with serving(csms) as port:
            context = ssl.create_default_context(cafile=str(pki.path("ca.pem")))
            async with websockets.connect(
                f"wss://127.0.0.1:{port}/CS-001",
                subprotocols=[websockets.Subprotocol("ocpp2.0.1")],
                additional_headers={"Authorization": build_authorization_basic("CS-001", "secret")},
                ssl=context,
            ) as connection:
                theirs = ocpp.v201.ChargePoint("CS-001", connection)
                runner = asyncio.create_task(theirs.start())
                try:
                    return await theirs.call(
                        ocpp.v201.call.BootNotification(
                            charging_station={"model": "M", "vendor_name": "V"},
                            reason="PowerUp",
                        )
                    )
                finally:
                    runner.cancel()

    answer = _run(scenario)
    assert answer.status == "Accepted" and answer.interval == 300
    assert datetime.fromisoformat(answer.current_time.replace("Z", "+00:00")) <= datetime.now(
        timezone.utc
    )


def test_tls_below_1_2_is_refused(pki: Pki) -> None:
    tls = _server(pki, 2).context()
    assert tls is not None and tls.minimum_version == MINIMUM_TLS == ssl.TLSVersion.TLSv1_2
    client = ClientSecurity(2, cafile=pki.path("ca.pem"), password="secret").context("wss://x")
    assert client is not None and client.minimum_version == ssl.TLSVersion.TLSv1_2

    csms = _csms(pki, 2)

    async def scenario() -> BaseException | None:
        async with serving(csms) as port:
            old = ssl.create_default_context(cafile=str(pki.path("ca.pem")))
            with warnings.catch_warnings():  # TLS 1.1 is deprecated: that is the point
                warnings.simplefilter("ignore", DeprecationWarning)
                old.minimum_version = old.maximum_version = ssl.TLSVersion.TLSv1_1
            old.set_ciphers("DEFAULT:@SECLEVEL=0")  # let this side offer TLS 1.1 at all
            station = Station(f"wss://127.0.0.1:{port}/CS-001", "2.0.1", password="x", tls=old)
            return await _outcome(station.run(charge=False))

    error = _run(scenario)  # the CSMS answers the TLS 1.1 hello with an alert or a reset
    assert isinstance(error, (ssl.SSLError, ConnectionResetError)), error
    assert csms.admitted == []


@pytest.mark.parametrize(
    ("security", "users", "problem"),
    [
        (ServerSecurity(1), False, "security profile 1 needs --users (or OCPP_USERS)"),
        (ServerSecurity(1, Path("c.pem")), True, "security profile 1 does not use --certfile"),
        (ServerSecurity(2), True, "security profile 2 needs --certfile"),
        (ServerSecurity(2, Path("c.pem")), False, "profile 2 needs --users (or OCPP_USERS)"),
        (
            ServerSecurity(2, Path("c.pem"), client_ca=Path("ca.pem")),
            True,
            "security profile 2 does not use --client-ca",
        ),
        (ServerSecurity(3, Path("c.pem")), False, "security profile 3 needs --client-ca"),
        (
            ServerSecurity(3, Path("c.pem"), client_ca=Path("ca.pem")),
            True,
            "security profile 3 does not use --users (or OCPP_USERS)",
        ),
        (ServerSecurity(None, Path("c.pem")), False, "--certfile: only with --security-profile"),
    ],
)
def test_csms_options_must_fit_the_profile(
    security: ServerSecurity, users: bool, problem: str
) -> None:
    with pytest.raises(SecurityError, match=re.escape(problem)):
        security.check(users)


@pytest.mark.parametrize(
    ("security", "url", "problem"),
    [
        (ClientSecurity(1, password="p"), "wss://h/CS", "security profile 1 needs a ws:// URL"),
        (ClientSecurity(1), "ws://h/CS", "security profile 1 needs --password"),
        (ClientSecurity(2, password="p"), "ws://h/CS", "security profile 2 needs a wss:// URL"),
        (ClientSecurity(2), "wss://h/CS", "security profile 2 needs --password"),
        (
            ClientSecurity(2, certfile=Path("c.pem"), password="p"),
            "wss://h/CS",
            "security profile 2 does not use --certfile",
        ),
        (ClientSecurity(3), "wss://h/CS", "security profile 3 needs --certfile"),
        (
            ClientSecurity(3, certfile=Path("c.pem"), password="p"),
            "wss://h/CS",
            "security profile 3 does not use --password",
        ),
        (ClientSecurity(None, Path("ca.pem")), "wss://h/CS", "--cafile: only with"),
    ],
)
def test_simulator_options_must_fit_the_profile(
    security: ClientSecurity, url: str, problem: str
) -> None:
    with pytest.raises(SecurityError, match=re.escape(problem)):
        security.check(url)


def _example(script: str, *args: str) -> tuple[int, list[str]]:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=LIMIT,
        check=False,
    )
    return done.returncode, (done.stdout + done.stderr).splitlines()


def test_certificate_files_that_cannot_be_used_are_one_line_exit_2(
    pki: Pki, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.pem"
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    users = tmp_path / "users.txt"
    users.write_text("CS-001:secret\n")
    profile2 = ["--security-profile", "2", "--port", "0", "--users", str(users)]
    profile3 = ["--security-profile", "3", "--port", "0", "--certfile", str(pki.path("csms.pem"))]
    station2 = ["wss://127.0.0.1:1/CS-001", "--security-profile", "2", "--password", "p"]
    cases = [
        (
            ["csms.py", *profile2, "--certfile", str(missing)],
            f"csms.py: --certfile {missing}: No such file or directory",
        ),
        (
            ["csms.py", *profile2, "--certfile", str(garbage)],
            f"csms.py: --certfile {garbage}: not a PEM certificate with its private key (",
        ),
        (
            ["csms.py", *profile3, "--client-ca", str(garbage)],
            f"csms.py: --client-ca {garbage}: no PEM CA certificate (",
        ),
        (
            ["charging_station.py", *station2, "--cafile", str(missing)],
            f"charging_station.py: --cafile {missing}: No such file or directory",
        ),
        (
            ["charging_station.py", "ws://127.0.0.1:1/CS-001", *station2[1:]],
            "charging_station.py: security profile 2 needs a wss:// URL",
        ),
    ]
    for (script, *args), expected in cases:
        code, lines = _example(script, *args)
        assert code == 2 and len(lines) == 1, (args, lines)
        assert lines[0].startswith(expected), (lines[0], expected)


def _readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("### Security profiles 2 and 3\n", 1)[1].split("\n## ", 1)[0]


def test_the_readme_certificate_commands_work_as_written(tmp_path: Path) -> None:
    """The README's openssl commands make certificates the CSMS and simulator accept in
    profile 3 (and refuse for another station id)."""
    commands = re.findall(r"```sh\n(.*?)```", _readme_section(), flags=re.DOTALL)[0]
    assert "openssl req -x509" in commands and "/tmp/ocpp-pki" in commands
    commands = commands.replace("/tmp/ocpp-pki", str(tmp_path))  # not the user's folder
    subprocess.run(
        ["bash", "-euo", "pipefail", "-c", commands], cwd=tmp_path, check=True, capture_output=True
    )
    server = ServerSecurity(
        3, tmp_path / "csms.pem", tmp_path / "csms.key", client_ca=tmp_path / "ca.pem"
    )
    csms = Csms(tls=server.context(), certificate_ids=True)

    async def scenario() -> tuple[BaseException | None, BaseException | None]:
        async with serving(csms) as port:
            results = []
            for station in ("CS-001", "CS-002"):
                security = ClientSecurity(
                    3, tmp_path / "ca.pem", tmp_path / "CS-001.pem", tmp_path / "CS-001.key"
                )
                url = f"wss://localhost:{port}/{station}"
                run = Station(url, "2.0.1", tls=security.context(url)).run(charge=False)
                results.append(await _outcome(run))
            return results[0], results[1]

    accepted, refused = _run(scenario)
    assert accepted is None
    assert isinstance(refused, InvalidStatus) and refused.response.status_code == 403
