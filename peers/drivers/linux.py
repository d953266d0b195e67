#!/usr/bin/env python3
"""A synfin probe driver for the kernel's TCP, through Python's socket module.

The protocol is peers/DRIVER.md: JSON lines on stdin and stdout, one request, one answer.
synfin starts this inside its private network namespace; the sockets made here are the
kernel's, at 10.7.0.1, and synfin plays the remote end across its TUN device.

Copy it, and change the calls to drive another stack. Python 3.8 or later, standard library
only. Run: synfin probe --driver 'python3 peers/drivers/linux.py'
"""

import json
import os
import socket
import struct
import sys

# /proc/net/tcp's state numbers (include/net/tcp_states.h), by RFC 9293's names. The table
# lists request sockets (SYN-RECEIVED) and TIME-WAIT sockets too.
STATES = {
    1: "ESTABLISHED", 2: "SYN-SENT", 3: "SYN-RECEIVED", 4: "FIN-WAIT-1", 5: "FIN-WAIT-2",
    6: "TIME-WAIT", 7: "CLOSED", 8: "CLOSE-WAIT", 9: "LAST-ACK", 10: "LISTEN", 11: "CLOSING",
    12: "SYN-RECEIVED",
}


class Stack:
    """One connection (or listener) at a time, as synfin checks one connection per run."""

    def __init__(self):
        self.listener = None
        self.conn = None
        self.port = None

    def accept(self):
        """Take the first connection off the listener once the handshake is done, and close
        the listener (a listener left open would answer a late SYN)."""
        if self.listener is None or self.conn is not None:
            return
        try:
            self.conn, _ = self.listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        self.conn.setblocking(False)
        self.listener.close()
        self.listener = None

    def listen(self, addr, port):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, port))
        s.listen(1)
        s.setblocking(False)
        self.listener, self.port = s, port

    def connect(self, addr, port, remote_addr, remote_port):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, port))
        s.setblocking(False)
        err = s.connect_ex((remote_addr, remote_port))
        if err not in (0, 115):  # EINPROGRESS: the SYN is on its way
            s.close()
            raise OSError(err, os.strerror(err))
        self.conn, self.port = s, port

    def close(self):
        self.accept()
        if self.conn is None:
            raise OSError("no connection accepted yet")
        self.conn.shutdown(socket.SHUT_WR)  # a FIN; still open for reading

    def abort(self):
        self.accept()
        if self.listener is not None:
            self.listener.close()
            self.listener = None
        if self.conn is not None:
            # SO_LINGER with a zero timeout: close() sends a RST and drops the connection.
            self.conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.conn.close()
            self.conn = None

    def send(self, data):
        self.accept()
        return self.conn.send(data) if self.conn is not None else 0

    def recv(self, most):
        self.accept()
        try:
            data = self.conn.recv(most)
            return data, len(data) == 0
        except (BlockingIOError, InterruptedError):
            return b"", False

    def state(self):
        self.accept()
        if self.port is None:
            return "CLOSED"
        conn = listen = None
        with open("/proc/self/net/tcp") as table:
            next(table)
            for line in table:
                f = line.split()
                local, remote, st = f[1], f[2], int(f[3], 16)
                if int(local.split(":")[1], 16) != self.port:
                    continue
                if int(remote.split(":")[1], 16) == 0:
                    listen = st
                else:
                    conn = st
        st = conn if conn is not None else listen
        return STATES.get(st, "CLOSED") if st is not None else "CLOSED"


# `--no-state`: a driver that cannot tell states (synfin then infers them from the model).
TELLS_STATE = "--no-state" not in sys.argv[1:]


def answer(stack, req):
    op = req.get("op")
    if op == "hello":
        return {"name": "linux (python socket)", "state": TELLS_STATE}
    if op == "listen":
        stack.listen(req["addr"], req["port"])
    elif op == "connect":
        stack.connect(req["addr"], req["port"], req["remote_addr"], req["remote_port"])
    elif op == "close":
        stack.close()
    elif op == "abort":
        stack.abort()
    elif op == "send":
        return {"sent": stack.send(bytes.fromhex(req["data"]))}
    elif op == "recv":
        data, eof = stack.recv(int(req.get("max", 65536)))
        return {"data": data.hex(), "eof": eof}
    elif op == "state":
        state = stack.state()  # also takes a waiting connection off the listener
        return {"state": state if TELLS_STATE else None}
    elif op == "reset":
        stack.abort()
        stack.port = None
    elif op == "quit":
        return None
    else:
        raise ValueError(f"unknown op {op!r}")
    return {}


def main():
    stack = Stack()
    for line in sys.stdin:
        req = json.loads(line)
        try:
            extra = answer(stack, req)
            out = {"id": req.get("id"), "ok": True}
            out.update(extra or {})
        except Exception as e:  # every failure is an answer, never silence
            out = {"id": req.get("id"), "ok": False, "error": f"{type(e).__name__}: {e}"}
            extra = {}
        print(json.dumps(out), flush=True)
        if req.get("op") == "quit":
            return


if __name__ == "__main__":
    main()
