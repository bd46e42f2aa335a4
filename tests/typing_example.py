"""A CSMS handler typed against the generated Protocols; `make lint` runs mypy on this file."""

from __future__ import annotations

from datetime import datetime, timezone

from ocpp_bindings.v201 import (
    BootNotificationRequest,
    BootNotificationResponse,
    NotifyReportRequest,
    NotifyReportResponse,
    RegistrationStatusEnumType,
)
from ocpp_bindings.v201.dispatch import Dispatcher, Role
from ocpp_bindings.v201.handlers import ProvisioningCSMSHandler


class Provisioning:
    """Implements every method of ProvisioningCSMSHandler."""

    def __init__(self) -> None:
        self.booted: list[str] = []

    async def on_boot_notification(
        self, request: BootNotificationRequest, charging_station_id: str
    ) -> BootNotificationResponse:
        self.booted.append(charging_station_id)
        return BootNotificationResponse(
            current_time=datetime.now(timezone.utc),
            interval=300,
            status=RegistrationStatusEnumType.Accepted,
        )

    async def on_notify_report(
        self, request: NotifyReportRequest, charging_station_id: str
    ) -> NotifyReportResponse:
        return NotifyReportResponse()


def make_dispatcher() -> tuple[Dispatcher, Provisioning]:
    handler = Provisioning()
    typed: ProvisioningCSMSHandler = handler  # mypy: the class satisfies the Protocol
    return Dispatcher(Role.CSMS, handlers=[typed]), handler
