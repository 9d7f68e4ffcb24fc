"""Issue 14 item 4 over HTTP: ``GET /api/audit/verify?expect=SEQ:HASH``."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import Keys


def test_audit_verify_takes_an_anchor(client: TestClient, keys: Keys) -> None:
    viewer = keys.header("viewer")
    report = client.get("/api/audit/verify", headers=viewer).json()
    assert report["ok"]
    anchor = f"{report['head_seq']}:{report['head_hash']}"
    assert client.get("/api/audit/verify", params={"expect": anchor}, headers=viewer).json()["ok"]
    wrong = f"{report['head_seq']}:{'0' * 64}"
    assert not client.get("/api/audit/verify", params={"expect": wrong}, headers=viewer).json()["ok"]
    assert client.get("/api/audit/verify", params={"expect": "1:xyz"}, headers=viewer).status_code == 422
