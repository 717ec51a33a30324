"""Deadline-bounded framed messages over the pipes to and from the sandbox child.

`send` and `receive` never block past their deadline (select on the pipe), so a child that
stops reading or writing costs at most the call's time limit.
"""

import os
import select
import time

from . import protocol


def send(fd, message, deadline):
    """Write one framed message; False if the deadline passed or the pipe broke."""
    data = memoryview(protocol.pack(message))
    while data:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        _, writable, _ = select.select([], [fd], [], remaining)
        if writable:
            try:
                data = data[os.write(fd, data[: 1 << 16]) :]
            except OSError:
                return False
    return True


def read_exact(fd, count, deadline):
    """count bytes, or None at the deadline; EOFError if the child closed the pipe."""
    chunks = []
    while count:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        readable, _, _ = select.select([fd], [], [], remaining)
        if not readable:
            return None
        chunk = os.read(fd, min(count, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def receive(fd, deadline):
    """A message dict, "timeout", "eof" or a ProtocolError (returned, not raised)."""
    try:
        header = read_exact(fd, protocol.HEADER.size, deadline)
        if header is None:
            return "timeout"
        body = read_exact(fd, protocol.parse_header(header), deadline)
        if body is None:
            return "timeout"
        return protocol.unpack_body(body)
    except EOFError:
        return "eof"
    except protocol.ProtocolError as error:
        return error
