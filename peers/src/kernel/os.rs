//! The one module that talks to the OS: a private network namespace for the calling thread and
//! a TUN device in it. Every `unsafe` block in the workspace is here, each with its reason.
#![allow(unsafe_code)]

use std::fs::{File, OpenOptions};
use std::io;
use std::os::fd::AsRawFd;

/// Moves the calling thread into a new, empty network namespace (`unshare(CLONE_NEWNET)`).
/// Threads it spawns afterwards inherit it; the rest of the process stays where it was.
pub fn enter_private_netns() -> io::Result<()> {
    // SAFETY: `unshare` takes a flag word and touches no memory of ours; it only changes the
    // calling thread's namespaces, and we check its return value.
    let rc = unsafe { libc::unshare(libc::CLONE_NEWNET) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Opens `/dev/net/tun` and attaches it to a new TUN interface `name` (IFF_TUN: raw IP
/// datagrams, IFF_NO_PI: no packet-information prefix).
pub fn open_tun(name: &str) -> io::Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/net/tun")?;
    let bytes = name.as_bytes();
    if bytes.is_empty() || bytes.len() >= libc::IFNAMSIZ {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "bad interface name",
        ));
    }
    // `struct ifreq`: the name, then a union of which we set the flags (a short).
    let mut ifr = [0u8; 40];
    ifr[..bytes.len()].copy_from_slice(bytes);
    let flags = (libc::IFF_TUN | libc::IFF_NO_PI) as libc::c_short;
    ifr[16..18].copy_from_slice(&flags.to_ne_bytes());
    // SAFETY: TUNSETIFF reads and writes a `struct ifreq` (40 bytes on Linux) at the pointer we
    // give; `ifr` is a live, writable, 40-byte buffer for the whole call, and the descriptor is
    // open for the duration (`file` outlives the call).
    let rc = unsafe { libc::ioctl(file.as_raw_fd(), libc::TUNSETIFF as _, ifr.as_mut_ptr()) };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(file)
}

/// Makes reads from `f` return `WouldBlock` instead of waiting.
pub fn set_nonblocking(f: &File) -> io::Result<()> {
    let fd = f.as_raw_fd();
    // SAFETY: fcntl on a descriptor we own (`f` is alive for the call), integer arguments only.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: as above.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}
