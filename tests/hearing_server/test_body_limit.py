"""Request body limits while the body streams in: in the ASGI application and inside Daphne."""

from __future__ import annotations

import asyncio
import json
import os
import select
import socket
import subprocess
import sys
import time
from contextlib import closing

import pytest
from django.urls import reverse

from hearing_server.asgi import application
from hearing_server.body_limit import body_limit, is_upload

MIB = 1024 * 1024
CHUNK = 64 * 1024


def test_it_knows_both_evidence_upload_endpoints():
    assert is_upload(reverse("web:evidence_upload", args=[12]))
    assert is_upload("/api/cases/12/evidence")
    assert not is_upload("/api/cases/12/evidence/3/opinions")
    assert not is_upload(reverse("web:apply"))


def test_it_allows_an_evidence_file_and_its_form_on_uploads_only(settings):
    settings.TRIBUNAL_EVIDENCE_MAX_BYTES = 20 * MIB
    settings.TRIBUNAL_HTTP_MAX_BODY_BYTES = MIB
    assert body_limit("/api/cases/3/evidence") == 21 * MIB
    assert body_limit("/api/auth/login") == MIB


# --- the ASGI application ------------------------------------------------------------------------


async def call(path: str, headers: list[tuple[bytes, bytes]], chunks):
    """Run one HTTP request through the ASGI application; return (messages sent, chunks read)."""
    read = 0
    sent = []
    ended = asyncio.Event()

    async def receive():
        nonlocal read
        chunk = next(chunks, None)
        if chunk is None:
            if ended.is_set():
                await asyncio.Event().wait()  # the client stays until it has the answer
            ended.set()
            return {"type": "http.request", "body": b"", "more_body": False}
        read += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    await application(scope, receive, send)
    return sent, read


def endless(chunk=b"x" * CHUNK):
    while True:
        yield chunk


def response_of(sent):
    start, body = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], dict(start["headers"]), body


async def test_it_refuses_a_declared_oversize_body_before_reading_any_of_it():
    sent, read = await call(
        "/api/cases/1/evidence",
        [(b"content-length", str(10 * 1024**3).encode()), (b"accept-language", b"en")],
        endless(),
    )
    status, headers, body = response_of(sent)
    assert (status, read) == (413, 0)
    assert headers[b"content-type"] == b"application/json"
    error = json.loads(body)["error"]
    assert error["code"] == "too_large"
    assert error["message"].replace("\xa0", " ") == "The file is larger than 20.0 MB."


async def test_it_stops_a_chunked_body_at_the_limit(settings):
    settings.TRIBUNAL_HTTP_MAX_BODY_BYTES = MIB
    sent, read = await call("/api/auth/login", [(b"transfer-encoding", b"chunked")], endless())
    status, _, body = response_of(sent)
    assert status == 413
    assert json.loads(body)["error"]["code"] == "too_large"
    assert read == MIB // CHUNK + 1  # the chunk that passed the limit, and not one more


async def test_it_answers_people_with_a_translated_page():
    sent, read = await call(
        "/cases/1/evidence/",
        [(b"content-length", str(60 * MIB).encode()), (b"cookie", b"django_language=zh-hans")],
        endless(),
    )
    status, headers, body = response_of(sent)
    assert (status, read) == (413, 0)
    assert headers[b"content-type"].startswith(b"text/html")
    page = body.decode()
    assert "文件大小超过" in page and 'data-code="too_large"' in page


async def test_it_passes_a_body_within_the_limit_to_django():
    sent, read = await call(
        "/api/auth/login",
        [(b"content-length", str(3 * CHUNK).encode()), (b"accept-language", b"en")],
        iter([b"x" * CHUNK] * 3),
    )
    status, _, body = response_of(sent)
    assert (status, read) == (400, 3)  # read whole, then refused by the endpoint: not JSON
    assert json.loads(body)["error"]["code"] == "malformed_json"


# --- inside Daphne ---------------------------------------------------------------------------------


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`tribunal serve` (Daphne) in its own process on a free port."""
    port = _free_port()
    data = tmp_path_factory.mktemp("served")
    env = {
        **os.environ,
        "TRIBUNAL_DATA_DIR": str(data),
        "TRIBUNAL_EVIDENCE_MAX_BYTES": str(20 * MIB),
        "TRIBUNAL_HTTP_MAX_BODY_BYTES": str(MIB),
    }
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "hearing_server.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited")
        with closing(socket.socket()) as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    yield port
    proc.terminate()
    proc.wait(timeout=10)


def _read_response(sock: socket.socket) -> tuple[int, dict, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed after {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk
        body += chunk
    return status, headers, body


def _head(path: str, *lines: str) -> bytes:
    return ("\r\n".join([f"POST {path} HTTP/1.1", "Host: 127.0.0.1", *lines, "", ""])).encode()


def test_it_answers_a_declared_10_gib_body_at_once_in_daphne(server):
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        sock.sendall(
            _head(
                "/api/cases/1/evidence",
                f"Content-Length: {10 * 1024**3}",
                "Content-Type: multipart/form-data; boundary=x",
                "Expect: 100-continue",
                "Accept-Language: en",
            )
        )
        status, headers, body = _read_response(sock)
    assert status == 413
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["error"]["code"] == "too_large"


def test_it_answers_a_60_mib_upload_before_it_has_arrived_in_daphne(server):
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        sock.sendall(
            _head(
                "/cases/1/evidence/",
                f"Content-Length: {60 * MIB}",
                "Content-Type: multipart/form-data; boundary=x",
                "Accept-Language: zh-hans",
            )
        )
        sock.sendall(b"x" * MIB)
        status, headers, body = _read_response(sock)
    assert status == 413
    assert "文件大小超过" in body.decode()


def test_it_stops_a_chunked_body_in_daphne(server):
    sent = 0
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        sock.sendall(
            _head(
                "/api/auth/login",
                "Transfer-Encoding: chunked",
                "Content-Type: application/json",
                "Accept-Language: en",
            )
        )
        chunk = b"%x\r\n%s\r\n" % (CHUNK, b"x" * CHUNK)
        while sent < 64 * MIB:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            sock.sendall(chunk)
            sent += CHUNK
        status, _, body = _read_response(sock)
    assert status == 413
    assert json.loads(body)["error"]["code"] == "too_large"
    assert sent < 64 * MIB  # answered while the body was still coming


def test_it_passes_a_body_within_the_limit_through_daphne(server):
    body = json.dumps({"username": "someone", "password": "x" * 1000}).encode()
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        sock.sendall(
            _head(
                "/api/auth/login",
                f"Content-Length: {len(body)}",
                "Content-Type: application/json",
                "Expect: 100-continue",
                "Accept-Language: en",
            )
        )
        status, _, _ = _read_response(sock)
        assert status == 100
        sock.sendall(body)
        status, _, answer = _read_response(sock)
    assert status == 403  # the body reached the endpoint, which wants its CSRF token
    assert json.loads(answer)["error"]["code"] == "csrf_failed"
