//! The model's two hosts as a [`synfin_tcp::pair::Pair`]: host 0 is A, host 1 is B, and each
//! step of either is observed in the model's terms ([`endpoint::observe`]). The two-endpoint
//! sweep ([`crate::two`]) and the scenario replay ([`crate::scenario`]) both drive one.
//!
//! The pair reads everything each endpoint receives at once (so the window stays fully open,
//! as the model assumes) and carries every segment through the wire codec. A window update
//! is not a model step ([`endpoint::observe`]): it is taken off the network again.

use crate::endpoint::{self, Observation};
use synfin_model::script::Call;
use synfin_tcp::pair::{Pair, Side, Step};
use synfin_tcp::{Config, Connection, IsnSource};

/// The pair's side for model host `i` (0 is A, 1 is B).
pub fn side(i: usize) -> Side {
    if i == 0 {
        Side::A
    } else {
        Side::B
    }
}

/// What a step of one host did, in the model's terms, and the pair's numbers
/// ([`synfin_tcp::pair::InFlight::id`]) of the packets behind `obs.sent`, in the same order.
pub struct Observed {
    pub obs: Observation,
    pub ids: Vec<u64>,
}

/// Host `i`'s connection, at the pair's address for its side.
pub fn connection(i: usize, cfg: Config, isn: impl IsnSource + 'static) -> Connection {
    let local = match side(i) {
        Side::A => synfin_tcp::pair::ADDR_A,
        Side::B => synfin_tcp::pair::ADDR_B,
    };
    Connection::with_isn(cfg, local, isn)
}

/// Two hosts, nothing in flight, no observer.
pub fn pair(a: Connection, b: Connection) -> Pair<()> {
    let mut pair = Pair::observed(a, b, ());
    pair.set_read_all(true);
    pair
}

/// Host `i`'s user makes `call`.
pub fn call(pair: &mut Pair<()>, i: usize, call: Call) -> Observed {
    let remote = pair.conn(side(1 - i)).local();
    let (result, step) = pair.call(side(i), |c, now| endpoint::user_call(c, now, remote, call));
    let mut seen = observed(pair, &step);
    endpoint::add_call_error(&mut seen.obs, call, result);
    seen
}

/// Delivers in-flight packet `k`. `Err` if there is none, or if its receiver refuses it (a
/// packet between the two hosts is always addressed to its receiver).
pub fn deliver(pair: &mut Pair<()>, k: usize) -> Result<Observed, String> {
    let step = pair
        .deliver(k)
        .ok_or_else(|| format!("no packet {k} in flight"))?;
    if let Some(e) = &step.refused {
        return Err(format!(
            "the endpoint refused a packet addressed to it: {e}"
        ));
    }
    Ok(observed(pair, &step))
}

/// Host `i`'s next deadline passes: the clock moves to it and the host handles it. `None`
/// when it has no timer set.
pub fn fire_timer(pair: &mut Pair<()>, i: usize) -> Option<Observed> {
    let step = pair.fire_timer(side(i))?;
    Some(observed(pair, &step))
}

/// `step` in the model's terms; its window updates are taken off the network.
fn observed(pair: &mut Pair<()>, step: &Step) -> Observed {
    let packets: Vec<_> = step.sent.iter().map(|f| f.packet.clone()).collect();
    let (obs, kept) = endpoint::observe(&packets, &step.events);
    let ids = kept.iter().map(|&k| step.sent[k].id).collect();
    for (k, f) in step.sent.iter().enumerate() {
        if !kept.contains(&k) {
            let at = pair.net.in_flight().iter().position(|g| g.id == f.id);
            at.and_then(|at| pair.net.drop(at));
        }
    }
    Observed { obs, ids }
}
