//! smoltcp 0.14 as a separate process on a real TUN or TAP device, speaking the driver
//! protocol (`peers/DRIVER.md`) on its standard input and output: the stack and its driver in
//! one small program, to copy for another Rust stack.
//!
//! `synfin probe --device tun --driver target/release/smoltcp-driver` (or `--device tap`):
//! synfin's hello names the device (`synfin1`), the medium, the stack's address and its
//! gateway; this program attaches smoltcp to the device, and runs its interface on the wall
//! clock between requests. One TCP socket: a passive OPEN's socket becomes the connection (so
//! the "listener" is gone once a connection arrives), and `reset` replaces it with a fresh one.

use serde_json::{json, Value};
use smoltcp::iface::{Config, Interface, SocketHandle, SocketSet};
use smoltcp::phy::{wait, Medium, TunTapInterface};
use smoltcp::socket::tcp;
use smoltcp::time::{Duration, Instant};
use smoltcp::wire::{EthernetAddress, HardwareAddress, IpAddress, IpCidr, IpEndpoint, Ipv4Address};
use std::io::{BufRead, Write};
use std::os::fd::AsRawFd;
use std::sync::mpsc::{self, TryRecvError};
use synfin_peers::smol::rfc_state;

/// The stack: smoltcp's interface on the device, and its one TCP socket.
struct Stack {
    iface: Interface,
    dev: TunTapInterface,
    sockets: SocketSet<'static>,
    tcp: SocketHandle,
}

fn socket() -> tcp::Socket<'static> {
    let mut s = tcp::Socket::new(
        tcp::SocketBuffer::new(vec![0; 4096]),
        tcp::SocketBuffer::new(vec![0; 4096]),
    );
    // Acknowledge at once: an answer then comes with the segment it answers.
    s.set_ack_delay(None);
    s
}

fn field<'a>(req: &'a Value, name: &str) -> Result<&'a Value, String> {
    req.get(name)
        .ok_or_else(|| format!("the request has no {name:?}"))
}

fn addr(req: &Value, name: &str) -> Result<Ipv4Address, String> {
    field(req, name)?
        .as_str()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("{name:?} is not an IPv4 address"))
}

fn port(req: &Value, name: &str) -> Result<u16, String> {
    field(req, name)?
        .as_u64()
        .and_then(|p| u16::try_from(p).ok())
        .ok_or_else(|| format!("{name:?} is not a port"))
}

impl Stack {
    /// smoltcp on the device the hello names.
    fn attach(hello: &Value) -> Result<Stack, String> {
        let name = field(hello, "device")?
            .as_str()
            .ok_or("\"device\" is not a name")?;
        let medium = match field(hello, "medium")?.as_str() {
            Some("tun") => Medium::Ip,
            Some("tap") => Medium::Ethernet,
            _ => return Err("\"medium\" is neither \"tun\" nor \"tap\"".into()),
        };
        let (ip, gateway) = (addr(hello, "addr")?, addr(hello, "gateway")?);
        let prefix = field(hello, "prefix")?
            .as_u64()
            .and_then(|p| u8::try_from(p).ok())
            .filter(|&p| p <= 32)
            .ok_or("\"prefix\" is not a prefix length")?;
        let mut dev =
            TunTapInterface::new(name, medium).map_err(|e| format!("cannot open {name}: {e}"))?;
        let hw = match medium {
            Medium::Ethernet => {
                HardwareAddress::Ethernet(EthernetAddress([0x02, 0, 0, 0, 0, 0x02]))
            }
            _ => HardwareAddress::Ip,
        };
        let mut iface = Interface::new(Config::new(hw), &mut dev, Instant::now());
        iface.update_ip_addrs(|a| {
            let _ = a.push(IpCidr::new(IpAddress::Ipv4(ip), prefix));
        });
        iface
            .routes_mut()
            .add_default_ipv4_route(gateway)
            .map_err(|e| format!("no route: {e:?}"))?;
        let mut sockets = SocketSet::new(Vec::new());
        let tcp = sockets.add(socket());
        Ok(Stack {
            iface,
            dev,
            sockets,
            tcp,
        })
    }

    fn poll(&mut self) {
        self.iface
            .poll(Instant::now(), &mut self.dev, &mut self.sockets);
    }

    fn socket(&mut self) -> &mut tcp::Socket<'static> {
        self.sockets.get_mut::<tcp::Socket>(self.tcp)
    }

    fn answer(&mut self, req: &Value) -> Result<Value, String> {
        match req["op"].as_str() {
            Some("listen") => {
                let p = port(req, "port")?;
                self.socket()
                    .listen(p)
                    .map_err(|e| format!("listen: {e}"))?;
            }
            Some("connect") => {
                let local =
                    IpEndpoint::new(IpAddress::Ipv4(addr(req, "addr")?), port(req, "port")?);
                let remote = IpEndpoint::new(
                    IpAddress::Ipv4(addr(req, "remote_addr")?),
                    port(req, "remote_port")?,
                );
                let cx = self.iface.context();
                self.sockets
                    .get_mut::<tcp::Socket>(self.tcp)
                    .connect(cx, remote, local)
                    .map_err(|e| format!("connect: {e}"))?;
            }
            Some("close") => self.socket().close(),
            Some("abort") => self.socket().abort(),
            Some("send") => {
                let data = field(req, "data")?
                    .as_str()
                    .and_then(unhex)
                    .ok_or("\"data\" is not hex")?;
                let n = self
                    .socket()
                    .send_slice(&data)
                    .map_err(|e| format!("send: {e}"))?;
                return Ok(json!({"sent": n}));
            }
            Some("recv") => {
                let most = req["max"].as_u64().unwrap_or(65536).min(65536) as usize;
                let mut buf = vec![0; most];
                let s = self.socket();
                let n = if s.can_recv() {
                    s.recv_slice(&mut buf).map_err(|e| format!("recv: {e}"))?
                } else {
                    0
                };
                let eof = !s.may_recv() && n == 0;
                let hex: String = buf[..n].iter().map(|b| format!("{b:02x}")).collect();
                return Ok(json!({"data": hex, "eof": eof}));
            }
            Some("state") => {
                let st = rfc_state(self.socket().state());
                return Ok(json!({"state": st.rfc_name()}));
            }
            Some("reset") => {
                self.socket().abort();
                self.poll();
                self.sockets.remove(self.tcp);
                self.tcp = self.sockets.add(socket());
            }
            Some("quit") => {}
            other => return Err(format!("unknown op {other:?}")),
        }
        Ok(json!({}))
    }
}

/// Hexadecimal text as octets; `None` for an odd length or a character that is no hex digit.
fn unhex(hex: &str) -> Option<Vec<u8>> {
    let digits: Option<Vec<u8>> = hex
        .chars()
        .map(|c| c.to_digit(16).map(|d| d as u8))
        .collect();
    let digits = digits?;
    (digits.len() % 2 == 0).then(|| digits.chunks(2).map(|p| p[0] << 4 | p[1]).collect())
}

fn reply(id: &Value, r: Result<Value, String>) {
    let mut out = match r {
        Ok(extra) => {
            let mut o = json!({"id": id, "ok": true});
            if let (Some(o), Some(x)) = (o.as_object_mut(), extra.as_object()) {
                o.extend(x.clone());
            }
            o
        }
        Err(e) => json!({"id": id, "ok": false, "error": e}),
    };
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    let _ = writeln!(lock, "{}", std::mem::take(&mut out));
    let _ = lock.flush();
}

fn main() {
    // Requests arrive on their own thread, so that the interface keeps running between them.
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(l) = line else { return };
            if tx.send(l).is_err() {
                return;
            }
        }
    });
    let mut stack: Option<Stack> = None;
    loop {
        let line = match stack.as_ref() {
            // Before the hello there is nothing to run: wait for it.
            None => match rx.recv() {
                Ok(l) => Some(l),
                Err(_) => return,
            },
            Some(_) => match rx.try_recv() {
                Ok(l) => Some(l),
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Disconnected) => return,
            },
        };
        if let Some(line) = line {
            let req: Value = match serde_json::from_str(&line) {
                Ok(v) => v,
                Err(e) => {
                    reply(&Value::Null, Err(format!("not JSON: {e}")));
                    continue;
                }
            };
            let id = req["id"].clone();
            let r = match (&mut stack, req["op"].as_str()) {
                (None, Some("hello")) => Stack::attach(&req).map(|s| {
                    stack = Some(s);
                    json!({"name": "smoltcp 0.14 (TUN/TAP process)", "state": true})
                }),
                (None, _) => Err("the first request must be hello".into()),
                (Some(_), Some("hello")) => Err("hello again".into()),
                (Some(s), _) => s.answer(&req),
            };
            let quit = req["op"] == "quit";
            reply(&id, r);
            if quit {
                return;
            }
        }
        if let Some(s) = stack.as_mut() {
            s.poll();
            let delay = s
                .iface
                .poll_delay(Instant::now(), &s.sockets)
                .map_or(Duration::from_millis(2), |d| {
                    d.min(Duration::from_millis(2))
                });
            let _ = wait(s.dev.as_raw_fd(), Some(delay));
        }
    }
}
