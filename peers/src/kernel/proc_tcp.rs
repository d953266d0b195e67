//! The kernel's table of TCP sockets, `/proc/thread-self/net/tcp` (the calling thread's
//! network namespace): request sockets (SYN-RECEIVED) and TIME-WAIT sockets included, which
//! a socket option cannot show.

use std::io;
use std::time::Duration;
use synfin_model::State;

/// One line of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub local_port: u16,
    /// 0 for a listener.
    pub remote_port: u16,
    /// The kernel's state number (`include/net/tcp_states.h`).
    pub state: u8,
    /// The running timer's kind (`tr`: 0 none, 1 retransmission, 2 keepalive, 3 TIME-WAIT,
    /// 4 zero-window probe).
    pub timer: u8,
    /// What is left of that timer.
    pub left: Duration,
}

/// Every entry of the calling thread's namespace; lines that do not parse are skipped.
pub fn entries() -> io::Result<Vec<Entry>> {
    let table = std::fs::read_to_string("/proc/thread-self/net/tcp")?;
    Ok(table.lines().skip(1).filter_map(parse).collect())
}

fn hex_port(addr: &str) -> Option<u16> {
    u16::from_str_radix(addr.rsplit(':').next()?, 16).ok()
}

fn parse(line: &str) -> Option<Entry> {
    let f: Vec<&str> = line.split_whitespace().collect();
    // `tr:tm->when`: the timer's kind and its remaining time in USER_HZ (1/100 s) ticks.
    let (tr, when) = f.get(5)?.split_once(':')?;
    Some(Entry {
        local_port: hex_port(f.get(1)?)?,
        remote_port: hex_port(f.get(2)?)?,
        state: u8::from_str_radix(f.get(3)?, 16).ok()?,
        timer: u8::from_str_radix(tr, 16).ok()?,
        left: Duration::from_millis(u64::from_str_radix(when, 16).ok()?.saturating_mul(10)),
    })
}

/// The kernel's state numbers by their RFC 9293 names (12, NEW_SYN_RECV, is a request socket
/// in SYN-RECEIVED).
pub fn state(n: u8) -> Option<State> {
    Some(match n {
        1 => State::Established,
        2 => State::SynSent,
        3 | 12 => State::SynReceived,
        4 => State::FinWait1,
        5 => State::FinWait2,
        6 => State::TimeWait,
        7 => State::Closed,
        8 => State::CloseWait,
        9 => State::LastAck,
        10 => State::Listen,
        11 => State::Closing,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_of_the_table_parses() {
        let line = "   0: 0100070A:1F90 0200070A:9C40 06 00000000:00000000 03:0000174C 00000000     0        0 0 3 0000000000000000";
        assert_eq!(
            parse(line),
            Some(Entry {
                local_port: 8080,
                remote_port: 40000,
                state: 6,
                timer: 3,
                left: Duration::from_millis(0x174c * 10),
            })
        );
        assert_eq!(state(6), Some(State::TimeWait));
        assert_eq!(parse("garbage"), None);
    }
}
