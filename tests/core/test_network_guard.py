"""The guard itself must be able to fail, or the privacy tests prove nothing."""

import socket

import pytest
from conftest import NetworkBlocked


def test_guard_blocks_inet_sockets():
    with pytest.raises(NetworkBlocked):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("127.0.0.1", 9))
    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("example.org", 443)


def test_guard_allows_local_unix_sockets():
    a, b = socket.socketpair(socket.AF_UNIX)
    a.close()
    b.close()
