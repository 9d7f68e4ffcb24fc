"""The API's routes, one module per area; ``earcheck.api.app`` includes them all under ``/api``."""
