"""Checks shared by the HTTP tests."""

from __future__ import annotations

import re

import httpx

SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def assert_error_shape(response: httpx.Response, status: int, code: str | None = None) -> dict:
    """The one error shape: {"error": {"code": snake_case, "message": text, "details"?: any}}."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) <= {"code", "message", "details"} and {"code", "message"} <= set(error)
    assert SNAKE.match(error["code"]) and isinstance(error["message"], str) and error["message"]
    assert "Traceback" not in response.text
    if code is not None:
        assert error["code"] == code
    return error
