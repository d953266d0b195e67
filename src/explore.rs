//! `synfin explore`: stateright's web explorer, with sequence diagrams.

use crate::cli::{usage_error, ExploreArgs};
use stateright::Model;
use std::net::{TcpListener, ToSocketAddrs};
use synfin_model::TcpModel;

pub fn run(args: &ExploreArgs) -> u8 {
    let model = match args.model.config().and_then(TcpModel::new) {
        Ok(m) => m,
        Err(e) => return usage_error(&e),
    };
    // stateright's serve() panics when it cannot bind: check the address first.
    let addrs: Vec<_> = match args.addr.to_socket_addrs() {
        Ok(a) => a.collect(),
        Err(e) => return usage_error(&format!("bad --addr '{}': {e}", args.addr)),
    };
    let Some(addr) = addrs.first().copied() else {
        return usage_error(&format!("bad --addr '{}': no address", args.addr));
    };
    if let Err(e) = TcpListener::bind(addr) {
        return usage_error(&format!("cannot listen on {addr}: {e}"));
    }
    eprintln!(
        "Exploring config '{}' at http://{addr}/ (Ctrl-C to stop)",
        model.cfg().name
    );
    model.checker().serve(addr);
    0
}
