"""The platform's runnable components: where each app lives and the port it takes by default."""

from dataclasses import dataclass
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class Component:
    name: str
    package: str
    default_port: int

    @property
    def app_factory(self) -> str:
        return f"{self.package}.main:create_app"

    @property
    def env_prefix(self) -> str:
        return f"{self.name.upper()}_"

    def settings(self) -> Any:
        return import_module(f"{self.package}.config").Settings()


GATEWAY = Component("gateway", "fne_gateway", 8000)
SERVICES = (
    Component("directory", "fne_directory", 8001),
    Component("observatory", "fne_observatory", 8002),
    Component("surveys", "fne_surveys", 8003),
    Component("network", "fne_network", 8004),
)
COMPONENTS = {component.name: component for component in (GATEWAY, *SERVICES)}
