"""Test helper: refuse every network connection that would leave this machine.

Put this folder first on PYTHONPATH and every Python process started with that
environment (a Jupyter kernel too) imports this module at start-up, as Python's
`sitecustomize`. It lets through connections to loopback addresses (a kernel talks to
its client over 127.0.0.1) and Unix sockets, and refuses everything else: a connection,
a datagram, or the look-up of a host name other than localhost. A refusal raises
PermissionError; if the environment variable NNLIB_NETWORK_LOG names a file, the attempt
is also appended to it, so that code which swallows the error is caught all the same.

Used by tests/test_no_network.py and tests/test_notebook_reruns.py.
"""

import ipaddress
import os
import socket

LOG = os.environ.get("NNLIB_NETWORK_LOG")
LOCAL_NAMES = {None, "", "localhost", "localhost.localdomain", "ip6-localhost"}


def is_local(host):
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host in LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return False  # a host name other than localhost: its look-up may leave the machine
    return address.is_loopback or address.is_unspecified


def refuse(what):
    if LOG:
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(f"pid {os.getpid()}: {what}\n")
    raise PermissionError(f"network access blocked by tests/network_guard: {what}")


def is_internet(sock):
    return sock.family in (socket.AF_INET, socket.AF_INET6)


_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex
_sendto = socket.socket.sendto
_getaddrinfo, _gethostbyname = socket.getaddrinfo, socket.gethostbyname


def connect(self, address):
    if is_internet(self) and not is_local(address[0]):
        refuse(f"connect to {address!r}")
    return _connect(self, address)


def connect_ex(self, address):
    if is_internet(self) and not is_local(address[0]):
        refuse(f"connect to {address!r}")
    return _connect_ex(self, address)


def sendto(self, data, *flags_and_address):
    address = flags_and_address[-1]
    if is_internet(self) and not is_local(address[0]):
        refuse(f"send a datagram to {address!r}")
    return _sendto(self, data, *flags_and_address)


def getaddrinfo(host, *args, **kwargs):
    if not is_local(host):
        refuse(f"look up {host!r}")
    return _getaddrinfo(host, *args, **kwargs)


def gethostbyname(host):
    if not is_local(host):
        refuse(f"look up {host!r}")
    return _gethostbyname(host)


socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto = connect, connect_ex, sendto
socket.getaddrinfo, socket.gethostbyname = getaddrinfo, gethostbyname
os.environ["NNLIB_NETWORK_GUARD"] = "active"  # so that a test can see the guard is on
