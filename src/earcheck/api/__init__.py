"""The REST API (FastAPI): ``create_app(settings)`` builds it, ``earcheck serve`` runs it."""

from earcheck.api.app import ApiLimits, create_app

__all__ = ["ApiLimits", "create_app"]
