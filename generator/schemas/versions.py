"""What the generator knows about each OCPP version: package name, file naming, error codes."""

from __future__ import annotations

from dataclasses import dataclass, replace

from generator.ir import ErrorCodes

DRAFT_04 = "http://json-schema.org/draft-04/schema#"
DRAFT_06 = "http://json-schema.org/draft-06/schema#"


@dataclass(frozen=True)
class VersionInfo:
    """Facts about one OCPP version that the schemas themselves do not carry."""

    folder: str
    package: str
    title: str
    error_codes: ErrorCodes
    bare_request_files: bool
    """True where a request file is named ``X.json`` (1.6 core) instead of ``XRequest.json``."""
    has_send: bool
    """True where OCPP-J has SEND messages (2.1): a request file with no response."""
    roles: tuple[str, str]
    """The version's names for the charging station and the central system."""
    rpc_error_code: str
    """The CALLERROR code for a frame that is not valid OCPP-J RPC."""
    message_type_error_code: str
    """The CALLERROR code for an unknown message type id."""
    drafts: tuple[str, ...] = (DRAFT_06,)
    """The ``$schema`` drafts the version's files may declare (1.6: draft-04, and draft-06
    for the security extension's messages)."""


_OCPP16_CODES = ErrorCodes(
    all_codes=(
        "NotImplemented",
        "NotSupported",
        "InternalError",
        "ProtocolError",
        "SecurityError",
        "FormationViolation",
        "PropertyConstraintViolation",
        "OccurenceConstraintViolation",
        "TypeConstraintViolation",
        "GenericError",
    ),
    format="FormationViolation",
    occurrence="OccurenceConstraintViolation",
    type="TypeConstraintViolation",
    property="PropertyConstraintViolation",
)

_OCPP2_CODES = ErrorCodes(
    all_codes=(
        "FormatViolation",
        "GenericError",
        "InternalError",
        "MessageTypeNotSupported",
        "NotImplemented",
        "NotSupported",
        "OccurrenceConstraintViolation",
        "PropertyConstraintViolation",
        "ProtocolError",
        "RpcFrameworkError",
        "SecurityError",
        "TypeConstraintViolation",
    ),
    format="FormatViolation",
    occurrence="OccurrenceConstraintViolation",
    type="TypeConstraintViolation",
    property="PropertyConstraintViolation",
)

_OCPP201 = VersionInfo(
    "2.0.1",
    "v201",
    "OCPP 2.0.1",
    _OCPP2_CODES,
    bare_request_files=False,
    has_send=False,
    roles=("ChargingStation", "CSMS"),
    rpc_error_code="RpcFrameworkError",
    message_type_error_code="MessageTypeNotSupported",
)

VERSIONS: dict[str, VersionInfo] = {
    "1.6": VersionInfo(
        "1.6",
        "v16",
        "OCPP 1.6",
        _OCPP16_CODES,
        bare_request_files=True,
        has_send=False,
        roles=("ChargePoint", "CentralSystem"),
        rpc_error_code="FormationViolation",
        message_type_error_code="FormationViolation",
        drafts=(DRAFT_04, DRAFT_06),
    ),
    "2.0.1": _OCPP201,
    "2.1": replace(_OCPP201, folder="2.1", package="v21", title="OCPP 2.1", has_send=True),
}
