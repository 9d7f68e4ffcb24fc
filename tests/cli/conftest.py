from tests.official_server import server

__all__ = ["server"]
