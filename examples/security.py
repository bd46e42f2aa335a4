"""The OCPP security profiles for the example CSMS and simulator: which options each needs, the
TLS contexts, and the check that ties a client certificate to the station id.

- Profile 1: HTTP Basic auth over plain ``ws://`` (the password travels in clear text);
- profile 2: TLS with the CSMS's server certificate (``wss://``) and Basic auth;
- profile 3: mutual TLS: the station is identified by its client certificate, whose common
  name (CN) must be the station id in the URL, else the CSMS refuses the connection (HTTP 403)
  before any OCPP frame.

TLS 1.2 or newer only, on both sides. A certificate or key file that is missing, unreadable or
not PEM is a :class:`SecurityError` (one line naming the option and the file), as is an option
that does not fit the chosen profile.
"""

from __future__ import annotations

import argparse
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROFILES = (1, 2, 3)
MINIMUM_TLS = ssl.TLSVersion.TLSv1_2


def add_profile_option(parser: argparse.ArgumentParser, side: str) -> argparse._ArgumentGroup:
    """The ``--security-profile`` option, in a new argument group for the profiles' options;
    ``side``: what profile 3 identifies (``client certificates`` / ``a client certificate``)."""
    group = parser.add_argument_group("security profiles (see security.py)")
    group.add_argument(
        "--security-profile",
        type=int,
        choices=PROFILES,
        help=f"1: Basic auth on ws://; 2: TLS + Basic auth; 3: TLS with {side}",
    )
    return group


class SecurityError(ValueError):
    """Options that do not fit the security profile, or a certificate file that cannot be used."""


def _needs(profile: int, given: Mapping[str, object], wanted: tuple[str, ...]) -> None:
    missing = [name for name in wanted if not given[name]]
    if missing:
        raise SecurityError(f"security profile {profile} needs {' and '.join(missing)}")


def _refuses(profile: int | None, given: Mapping[str, object], unwanted: tuple[str, ...]) -> None:
    extra = [name for name in unwanted if given[name]]
    if not extra:
        return
    if profile is None:
        raise SecurityError(f"{', '.join(extra)}: only with --security-profile 2 or 3")
    raise SecurityError(f"security profile {profile} does not use {', '.join(extra)}")


@dataclass(frozen=True)
class ServerSecurity:
    """The CSMS's security options (``--security-profile``, ``--certfile``, ``--keyfile``,
    ``--client-ca``); ``profile`` None keeps the old behaviour (ws://, Basic auth with
    ``--users``)."""

    profile: int | None = None
    certfile: Path | None = None
    keyfile: Path | None = None
    client_ca: Path | None = None

    def check(self, has_users: bool) -> None:
        """Do the options (and whether station passwords are given) fit the profile?"""
        given = {
            "--certfile": self.certfile,
            "--keyfile": self.keyfile,
            "--client-ca": self.client_ca,
            "--users (or OCPP_USERS)": has_users,
        }
        tls = ("--certfile", "--keyfile", "--client-ca")
        if self.profile is None:
            _refuses(None, given, tls)
        elif self.profile == 1:
            _needs(1, given, ("--users (or OCPP_USERS)",))
            _refuses(1, given, tls)
        elif self.profile == 2:
            _needs(2, given, ("--certfile", "--users (or OCPP_USERS)"))
            _refuses(2, given, ("--client-ca",))
        elif self.profile == 3:
            _needs(3, given, ("--certfile", "--client-ca"))
            _refuses(3, given, ("--users (or OCPP_USERS)",))
        else:
            raise SecurityError(f"unknown security profile {self.profile} (1, 2 or 3)")

    @property
    def identifies_by_certificate(self) -> bool:
        return self.profile == 3

    def context(self) -> ssl.SSLContext | None:
        """The server's TLS context (None for profile 1 or none)."""
        if self.profile not in (2, 3):
            return None
        assert self.certfile is not None
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = MINIMUM_TLS
        _load_chain(context, self.certfile, self.keyfile)
        if self.client_ca is not None:
            _load_ca(context, self.client_ca, "--client-ca")
            context.verify_mode = ssl.CERT_REQUIRED
        return context


@dataclass(frozen=True)
class ClientSecurity:
    """The simulator's security options (``--security-profile``, ``--cafile``, ``--certfile``,
    ``--keyfile``, ``--password``) for its URL."""

    profile: int | None = None
    cafile: Path | None = None
    certfile: Path | None = None
    keyfile: Path | None = None
    password: str | None = None

    def check(self, url: str) -> None:
        """Do the options and the URL's scheme fit the profile?"""
        scheme = urlsplit(url).scheme
        given = {
            "--cafile": self.cafile,
            "--certfile": self.certfile,
            "--keyfile": self.keyfile,
            "--password": self.password is not None,
        }
        tls = ("--cafile", "--certfile", "--keyfile")
        if self.profile is None:
            _refuses(None, given, tls)
            return
        if self.profile not in PROFILES:
            raise SecurityError(f"unknown security profile {self.profile} (1, 2 or 3)")
        wanted = "ws" if self.profile == 1 else "wss"
        if scheme != wanted:
            raise SecurityError(f"security profile {self.profile} needs a {wanted}:// URL")
        if self.profile == 1:
            _needs(1, given, ("--password",))
            _refuses(1, given, tls)
        elif self.profile == 2:
            _needs(2, given, ("--password",))
            _refuses(2, given, ("--certfile", "--keyfile"))
        else:
            _needs(3, given, ("--certfile",))
            _refuses(3, given, ("--password",))
        if self.keyfile is not None and self.certfile is None:
            raise SecurityError("--keyfile needs --certfile")

    def context(self, url: str) -> ssl.SSLContext | None:
        """The TLS context for a ``wss://`` URL (None for ``ws://``): the CA to trust
        (``--cafile``, else the system's) and, in profile 3, the client certificate."""
        if urlsplit(url).scheme != "wss":
            return None
        context = ssl.create_default_context()
        context.minimum_version = MINIMUM_TLS
        if self.cafile is not None:
            _load_ca(context, self.cafile, "--cafile")
        if self.certfile is not None:
            _load_chain(context, self.certfile, self.keyfile)
        return context


def _readable(path: Path, option: str) -> None:
    try:
        with path.open("rb") as file:
            file.read(1)
    except OSError as exc:
        raise SecurityError(f"{option} {path}: {exc.strerror or exc}") from None


def _load_chain(context: ssl.SSLContext, certfile: Path, keyfile: Path | None) -> None:
    _readable(certfile, "--certfile")
    if keyfile is not None:
        _readable(keyfile, "--keyfile")
    try:
        context.load_cert_chain(certfile, keyfile)
    except ssl.SSLError as exc:
        files = f"--certfile {certfile}" + (f" / --keyfile {keyfile}" if keyfile else "")
        raise SecurityError(
            f"{files}: not a PEM certificate with its private key ({exc.reason or exc})"
        ) from None


def _load_ca(context: ssl.SSLContext, cafile: Path, option: str) -> None:
    _readable(cafile, option)
    try:
        context.load_verify_locations(cafile)
    except ssl.SSLError as exc:
        reason = exc.reason or exc
        raise SecurityError(f"{option} {cafile}: no PEM CA certificate ({reason})") from None


def certificate_identity(certificate: dict[str, Any] | None) -> str | None:
    """The common name (CN) in a peer certificate's subject, as ``SSLSocket.getpeercert()``
    gives it (None without a certificate or a CN)."""
    if not certificate:
        return None
    for entry in certificate.get("subject", ()):
        for key, value in entry:
            if key == "commonName":
                return str(value)
    return None


def station_certificate_problem(ssl_object: ssl.SSLObject | None, station: str) -> str | None:
    """Why a profile 3 connection for ``station`` must be refused (None: its verified client
    certificate names that station)."""
    certificate = ssl_object.getpeercert() if ssl_object is not None else None
    identity = certificate_identity(certificate)
    if identity is None:
        return "no client certificate with a common name"
    if identity != station:
        return f"the client certificate is for {identity!r}, not {station!r}"
    return None
