#!/usr/bin/env python3
"""A synfin probe driver for PyTCP 2.7.6 (PyPI `pytcp`), a pure-Python TCP/IP stack.

Protocol: peers/DRIVER.md (JSON lines on stdin/stdout). The stack runs in this process and
attaches, by name, to an existing TAP or TUN device that synfin made (hello carries
"device", "medium" ("tap"|"tun"), "addr", "gateway", "prefix"). PyTCP only speaks Ethernet
over TAP; for "tun" a small shim here adds and strips Ethernet headers.

PyTCP has no non-blocking connect/accept/recv; this driver reaches into its TcpSession for
those (private attributes, pinned to pytcp==2.7.6). PyTCP has no ABORT call either, and the
driver does not make one up: `abort` is refused, so what synfin sees of an ABORT is PyTCP's.

Setup: bash scripts/pytcp.sh (prints the python of a venv with pytcp==2.7.6).
Run: synfin probe --device tap --driver "$(bash scripts/pytcp.sh) peers/drivers/pytcp_driver.py"
(root, or CAP_NET_ADMIN, inside synfin's namespace, which synfin makes).
Env PYTCP_LOG=tcp-ss,socket,... turns PyTCP's own log on (to stderr).
Written with a research helper session; found by reading PyTCP's source.
"""

import json
import os
import socket as pysocket
import struct
import sys
import threading
import time

# PyTCP logs with print(): keep the real stdout for the protocol, send fd 1 to stderr.
_PROTO = os.fdopen(os.dup(1), "w", buffering=1)
os.dup2(2, 1)
sys.stdout = sys.stderr

import fcntl  # noqa: E402

from pytcp import config  # noqa: E402

config.LOG_CHANEL = {c for c in os.environ.get("PYTCP_LOG", "").split(",") if c}
config.IP6_SUPPORT = False
config.IP6_LLA_AUTOCONFIG = False
config.IP6_GUA_AUTOCONFIG = False
config.IP4_SUPPORT = True
config.IP4_HOST_DHCP = False

from pytcp.lib import stack  # noqa: E402
from pytcp.lib.ip4_address import Ip4Address, Ip4Host  # noqa: E402
from pytcp.lib.mac_address import MacAddress  # noqa: E402
from pytcp.lib.socket import AF_INET4  # noqa: E402
from pytcp.protocols.tcp.session import FsmState, SysCall, TcpSession  # noqa: E402
from pytcp.protocols.tcp.socket import TcpSocket  # noqa: E402

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_TAP, IFF_NO_PI = 0x0001, 0x0002, 0x1000
FAKE_GW_MAC = "02:00:00:00:00:01"  # the gateway's MAC, as the TUN shim plays it

NAMES = {
    FsmState.CLOSED: "CLOSED", FsmState.LISTEN: "LISTEN", FsmState.SYN_SENT: "SYN-SENT",
    FsmState.SYN_RCVD: "SYN-RECEIVED", FsmState.ESTABLISHED: "ESTABLISHED",
    FsmState.FIN_WAIT_1: "FIN-WAIT-1", FsmState.FIN_WAIT_2: "FIN-WAIT-2",
    FsmState.CLOSING: "CLOSING", FsmState.CLOSE_WAIT: "CLOSE-WAIT",
    FsmState.LAST_ACK: "LAST-ACK", FsmState.TIME_WAIT: "TIME-WAIT",
}
# States in which the remote FIN has been taken in.
FIN_SEEN = {FsmState.CLOSE_WAIT, FsmState.LAST_ACK, FsmState.CLOSING, FsmState.TIME_WAIT}


def open_tun(name, flags):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), flags | IFF_NO_PI))
    return fd


def if_mac(name):
    """The device's MAC, by SIOCGIFHWADDR (/sys/class/net may be another namespace's)."""
    with pysocket.socket(pysocket.AF_INET, pysocket.SOCK_DGRAM) as s:
        ifr = fcntl.ioctl(s.fileno(), 0x8927, struct.pack("256s", name.encode()[:15]))
    return ":".join(f"{b:02x}" for b in ifr[18:24])


def tun_shim(tun_fd, eth_fd, stack_mac):
    """Carry IPv4 between a TUN device (raw IP) and PyTCP (Ethernet frames)."""
    hdr_in = bytes(MacAddress(stack_mac)) + bytes(MacAddress(FAKE_GW_MAC)) + b"\x08\x00"

    def from_tun():
        while True:
            pkt = os.read(tun_fd, 65536)
            if pkt and pkt[0] >> 4 == 4:
                os.write(eth_fd, hdr_in + pkt)

    def to_tun():
        while True:
            frame = os.read(eth_fd, 65536)
            if len(frame) > 14 and frame[12:14] == b"\x08\x00":
                os.write(tun_fd, frame[14:])
            # ARP (probes, announcements, requests) has nowhere to go: the gateway's
            # entry is permanent in the ARP cache.

    for f in (from_tun, to_tun):
        threading.Thread(target=f, daemon=True).start()


class Stack:
    def __init__(self):
        self.started = False
        self.listener = None  # TcpSocket in LISTEN
        self.conn = None      # the connection's TcpSocket (accepted, or connecting)
        self.port = None
        self.fin_seen = False

    # -- start and stop ------------------------------------------------------------------
    def start(self, device, medium, addr, gateway, prefix):
        if self.started:
            return
        ph = stack.packet_handler
        host = Ip4Host(f"{addr}/{prefix}")
        host.gateway = Ip4Address(gateway)
        if medium == "tap":
            fd = open_tun(device, IFF_TAP)
            gw_mac = if_mac(device)  # the kernel's side of the TAP
        elif medium == "tun":
            tun_fd = open_tun(device, IFF_TUN)
            fd, shim_fd = pysocket.socketpair(pysocket.AF_UNIX, pysocket.SOCK_SEQPACKET)
            fd, shim_fd = fd.detach(), shim_fd.detach()
            gw_mac = FAKE_GW_MAC
            tun_shim(tun_fd, shim_fd, str(ph.mac_unicast))
        else:
            raise ValueError(f"unknown medium {medium!r}")
        # A permanent ARP entry for the gateway: PyTCP drops a datagram whose next hop is
        # not in its ARP cache (it only sends a request), so a first SYN would be lost.
        stack.arp_cache._arp_cache[host.gateway] = stack.arp_cache.CacheEntry(
            MacAddress(gw_mac), permanent=True)
        # The address is static: no ARP probing (DAD takes 3 to 6 s in PyTCP), no DHCP.
        ph.ip4_host.append(host)
        stack.timer.start()
        stack.arp_cache.start()
        stack.rx_ring.start(fd)
        stack.tx_ring.start(fd)
        ph.start()
        ph._send_arp_announcement(host.address)
        self.started = True

    def stop(self):
        if self.started:
            stack.packet_handler.stop()
            stack.tx_ring.stop()
            stack.rx_ring.stop()
            stack.arp_cache.stop()
            stack.timer.stop()
            self.started = False

    # -- connections ---------------------------------------------------------------------
    def pending(self):
        """The listener's child connection (SYN-RECEIVED or later), not yet adopted."""
        if self.listener is None:
            return None
        for s in list(stack.sockets.values()):
            if getattr(s, "_parent_socket", None) is self.listener and s.tcp_session:
                return s
        return None

    def accept(self):
        """Adopt the child once the handshake is done, and close the listener."""
        if self.listener is None or self.conn is not None:
            return
        child = self.pending()
        if child is None or child.state in (FsmState.SYN_RCVD, FsmState.CLOSED):
            return
        self.conn = child
        self.listener.tcp_session.close()  # LISTEN -> CLOSED, unregistered
        self.listener = None

    def current(self):
        self.accept()
        return self.conn if self.conn is not None else self.pending()

    def listen(self, addr, port):
        s = TcpSocket(AF_INET4)
        s.bind((addr, port))
        s.listen()
        self.listener, self.port, self.fin_seen = s, port, False

    def connect(self, addr, port, raddr, rport):
        # TcpSocket.connect() blocks until ESTABLISHED; this is it without the wait.
        s = TcpSocket(AF_INET4)
        s.bind((addr, port))
        lip, rip = s._set_ip_addresses((raddr, rport), s._local_ip_address, port, rport)
        stack.sockets.pop(str(s), None)
        s._local_ip_address, s._remote_ip_address, s._remote_port = lip, rip, rport
        stack.sockets[str(s)] = s
        s._tcp_session = TcpSession(local_ip_address=lip, local_port=port,
                                    remote_ip_address=rip, remote_port=rport, socket=s)
        s._tcp_session.tcp_fsm(syscall=SysCall.CONNECT)  # CLOSED -> SYN-SENT; SYN on next tick
        self.conn, self.port, self.fin_seen = s, port, False

    def close(self):
        c = self.current()
        if c is None:
            raise OSError("no connection yet")
        before = c.state
        c.tcp_session.close()
        # PyTCP sends the FIN (and leaves ESTABLISHED/CLOSE-WAIT) on its next 1 ms timer
        # tick, once the send buffer is acknowledged; wait a little so `state` sees it.
        deadline = time.monotonic() + 0.2
        while c.state is before and time.monotonic() < deadline and not c.tcp_session._tx_buffer:
            time.sleep(0.002)

    def _forget(self, sock):
        """Between runs: drop a session without a word (PyTCP has no ABORT), so that the next
        run starts clean. Its peer, synfin's last run, is gone too."""
        sess = sock.tcp_session
        if sess is None:
            return
        with sess._lock_fsm:
            if sess.state is not FsmState.CLOSED:
                stack.sockets.setdefault(str(sess.socket), sess.socket)
                sess._change_state(FsmState.CLOSED)  # unregisters the socket
        stack.sockets.pop(str(sock), None)

    def abort(self):
        # RFC 9293 §3.10.5 describes ABORT; PyTCP's sockets have only close().
        raise OSError("PyTCP has no ABORT call")

    def forget(self):
        self.accept()
        child = self.pending()
        for s in (self.conn, child, self.listener):
            if s is not None:
                self._forget(s)
        self.conn = self.listener = None

    def send(self, data):
        c = self.current()
        return c.send(data) if c is not None else 0

    def recv(self, most):
        c = self.current()
        if c is None:
            return b"", False
        sess = c.tcp_session
        with sess._lock_rx_buffer:  # non-blocking: read the buffer, not the semaphore
            data = bytes(sess._rx_buffer[:most])
            del sess._rx_buffer[:most]
            left = len(sess._rx_buffer)
        self.fin_seen |= sess.state in FIN_SEEN
        return data, self.fin_seen and not data and not left

    def state(self):
        if self.port is None:
            return "CLOSED"
        c = self.current()
        if c is not None and c.state is not FsmState.CLOSED:
            self.fin_seen |= c.state in FIN_SEEN
            return NAMES[c.state]
        if self.listener is not None:
            return NAMES[self.listener.state]
        return "CLOSED"

    def reset(self):
        self.forget()
        self.port = None
        # PyTCP never removes a session's 1 ms timer task; retire the dead ones.
        for t in list(stack.timer._tasks):
            sess = getattr(t._method, "__self__", None)
            if isinstance(sess, TcpSession) and sess.state is FsmState.CLOSED:
                t._stop_condition = lambda: True
        for k, s in list(stack.sockets.items()):
            if isinstance(s, TcpSocket):
                stack.sockets.pop(k, None)


def answer(st, req):
    op = req.get("op")
    if op == "hello":
        st.start(req.get("device", "synfin1"), req.get("medium", "tap"),
                 req.get("addr", "10.9.0.2"), req.get("gateway", "10.9.0.1"),
                 int(req.get("prefix", 24)))
        return {"name": "pytcp 2.7.6", "state": True}
    if op == "listen":
        st.listen(req["addr"], req["port"])
    elif op == "connect":
        st.connect(req["addr"], req["port"], req["remote_addr"], req["remote_port"])
    elif op == "close":
        st.close()
    elif op == "abort":
        st.abort()
    elif op == "send":
        return {"sent": st.send(bytes.fromhex(req["data"]))}
    elif op == "recv":
        data, eof = st.recv(int(req.get("max", 65536)))
        return {"data": data.hex(), "eof": eof}
    elif op == "state":
        return {"state": st.state()}
    elif op == "reset":
        st.reset()
    elif op == "quit":
        return None
    else:
        raise ValueError(f"unknown op {op!r}")
    return {}


def main():
    st = Stack()
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
        except ValueError as e:
            _PROTO.write(json.dumps({"id": None, "ok": False, "error": f"bad json: {e}"}) + "\n")
            continue
        try:
            out = {"id": req.get("id"), "ok": True}
            out.update(answer(st, req) or {})
        except Exception as e:  # every failure is an answer, never silence
            out = {"id": req.get("id"), "ok": False, "error": f"{type(e).__name__}: {e}"}
        _PROTO.write(json.dumps(out) + "\n")
        if req.get("op") == "quit":
            break
    st.stop()
    os._exit(0)  # PyTCP's threads are not daemons


if __name__ == "__main__":
    main()
