//! Kernel sockets the standard library cannot make: a connect from a fixed local port (for
//! simultaneous open) and an abortive close. Built with `socket2`, so without `unsafe`.

use socket2::{Domain, Socket, Type};
use std::io;
use std::net::{SocketAddrV4, TcpStream};
use std::time::Duration;

/// An active OPEN from `local` to `remote` that does not wait for the handshake: a TCP socket
/// bound to `local` (SO_REUSEADDR), non-blocking, whose `connect` has sent the SYN.
/// Simultaneous open needs the fixed local port, which `std` cannot bind before connecting.
pub fn connect_from(local: SocketAddrV4, remote: SocketAddrV4) -> io::Result<TcpStream> {
    let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    s.set_reuse_address(true)?;
    s.bind(&local.into())?;
    s.set_nonblocking(true)?;
    match s.connect(&remote.into()) {
        Ok(()) => {}
        Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => {}
        Err(e) => return Err(e),
    }
    Ok(s.into())
}

/// SO_LINGER on with a zero timeout: closing the socket then sends a RST and discards the
/// connection (the sockets API's ABORT).
pub fn linger_zero(s: &TcpStream) -> io::Result<()> {
    socket2::SockRef::from(s).set_linger(Some(Duration::ZERO))
}
