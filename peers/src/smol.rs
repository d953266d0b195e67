//! One smoltcp host with one TCP socket on an in-memory IPv4 device (`Medium::Ip`): datagrams
//! go in with [`SmolHost::inject`] and come out of [`SmolHost::poll`], at the virtual time the
//! caller gives.

use smoltcp::iface::{Config, Interface, SocketHandle, SocketSet};
use smoltcp::phy::{Device, DeviceCapabilities, Medium, RxToken, TxToken};
use smoltcp::socket::tcp;
use smoltcp::time::Instant as SmolInstant;
use smoltcp::wire::{HardwareAddress, IpAddress, IpCidr, IpEndpoint};
use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Duration;
use synfin_model::State;

/// The device: two queues of whole IPv4 datagrams.
#[derive(Default)]
pub struct Queues {
    rx: VecDeque<Vec<u8>>,
    tx: VecDeque<Vec<u8>>,
}

pub struct Rx(Vec<u8>);
pub struct Tx<'a>(&'a mut VecDeque<Vec<u8>>);

impl RxToken for Rx {
    fn consume<R, F: FnOnce(&[u8]) -> R>(self, f: F) -> R {
        f(&self.0)
    }
}

impl TxToken for Tx<'_> {
    fn consume<R, F: FnOnce(&mut [u8]) -> R>(self, len: usize, f: F) -> R {
        let mut buf = vec![0; len];
        let r = f(&mut buf);
        self.0.push_back(buf);
        r
    }
}

impl Device for Queues {
    type RxToken<'a> = Rx;
    type TxToken<'a> = Tx<'a>;

    fn receive(&mut self, _t: SmolInstant) -> Option<(Rx, Tx<'_>)> {
        let buf = self.rx.pop_front()?;
        Some((Rx(buf), Tx(&mut self.tx)))
    }

    fn transmit(&mut self, _t: SmolInstant) -> Option<Tx<'_>> {
        Some(Tx(&mut self.tx))
    }

    fn capabilities(&self) -> DeviceCapabilities {
        let mut caps = DeviceCapabilities::default();
        caps.medium = Medium::Ip;
        caps.max_transmission_unit = 1500;
        caps
    }
}

/// smoltcp's TCP states, as the names RFC 9293 gives them.
pub type SmolState = tcp::State;

/// A smoltcp interface with one TCP socket.
pub struct SmolHost {
    iface: Interface,
    dev: Queues,
    sockets: SocketSet<'static>,
    tcp: SocketHandle,
    pub addr: Ipv4Addr,
}

fn at(now: Duration) -> SmolInstant {
    SmolInstant::from_micros(now.as_micros() as i64)
}

impl SmolHost {
    /// A host at `addr` (a /24, so its peer in the same /24 is on-link) at time `now`.
    pub fn new(addr: Ipv4Addr, now: Duration) -> SmolHost {
        let mut dev = Queues::default();
        let mut iface = Interface::new(Config::new(HardwareAddress::Ip), &mut dev, at(now));
        iface.update_ip_addrs(|a| {
            a.push(IpCidr::new(IpAddress::Ipv4(addr), 24))
                .expect("one address fits");
        });
        let socket = tcp::Socket::new(
            tcp::SocketBuffer::new(vec![0; 4096]),
            tcp::SocketBuffer::new(vec![0; 4096]),
        );
        let mut sockets = SocketSet::new(Vec::new());
        let tcp = sockets.add(socket);
        SmolHost {
            iface,
            dev,
            sockets,
            tcp,
            addr,
        }
    }

    fn socket(&mut self) -> &mut tcp::Socket<'static> {
        self.sockets.get_mut::<tcp::Socket>(self.tcp)
    }

    /// Passive OPEN on `port`.
    pub fn listen(&mut self, port: u16) -> Result<(), String> {
        self.socket().listen(port).map_err(|e| format!("{e:?}"))
    }

    /// Active OPEN from `local_port` to `remote`.
    pub fn connect(&mut self, remote: SocketAddrV4, local_port: u16) -> Result<(), String> {
        let remote = IpEndpoint::new(IpAddress::Ipv4(*remote.ip()), remote.port());
        let cx = self.iface.context();
        self.sockets
            .get_mut::<tcp::Socket>(self.tcp)
            .connect(cx, remote, local_port)
            .map_err(|e| format!("{e:?}"))
    }

    /// CLOSE (send FIN once everything queued is sent).
    pub fn close(&mut self) {
        self.socket().close();
    }

    /// ABORT (send RST).
    pub fn abort(&mut self) {
        self.socket().abort();
    }

    pub fn state(&mut self) -> SmolState {
        self.socket().state()
    }

    /// A datagram arrives; smoltcp reads it at the next [`SmolHost::poll`].
    pub fn inject(&mut self, datagram: Vec<u8>) {
        self.dev.rx.push_back(datagram);
    }

    /// Lets smoltcp process what arrived and what its timers want at `now`; returns what it
    /// sent, as IPv4 datagrams.
    pub fn poll(&mut self, now: Duration) -> Vec<Vec<u8>> {
        self.iface.poll(at(now), &mut self.dev, &mut self.sockets);
        self.dev.tx.drain(..).collect()
    }

    /// How long until smoltcp wants to be polled again, if it has a timer running.
    pub fn poll_delay(&mut self, now: Duration) -> Option<Duration> {
        self.iface
            .poll_delay(at(now), &self.sockets)
            .map(|d| Duration::from_micros(d.total_micros()))
    }
}

/// smoltcp's state by its RFC 9293 name.
pub fn rfc_state(s: SmolState) -> State {
    match s {
        SmolState::Closed => State::Closed,
        SmolState::Listen => State::Listen,
        SmolState::SynSent => State::SynSent,
        SmolState::SynReceived => State::SynReceived,
        SmolState::Established => State::Established,
        SmolState::FinWait1 => State::FinWait1,
        SmolState::FinWait2 => State::FinWait2,
        SmolState::CloseWait => State::CloseWait,
        SmolState::Closing => State::Closing,
        SmolState::LastAck => State::LastAck,
        SmolState::TimeWait => State::TimeWait,
    }
}
