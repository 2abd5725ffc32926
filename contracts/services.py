"""The platform's services, named once: launchers, readiness checks and tests all read this list.

Each lives in `services/<name>/service.py` as the class `<Name>Service`.
"""

SERVICES = ("intake", "routing", "supervision", "legislation", "notify")


def service_class_path(name: str) -> str:
    """Where `nameko run` finds a service: `services.intake.service:IntakeService`."""
    return f"services.{name}.service:{name.capitalize()}Service"
