from tests.web.conftest import app_keys, web

__all__ = ["app_keys", "web"]
