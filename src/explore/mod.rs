//! `synfin explore`: a web explorer that speaks TCP, optionally opened on a counterexample.
//!
//! The page, its addressing (`#/steps/0/3/...`) and its JSON API (`/.states/...`) follow
//! stateright 0.31's explorer, so links printed by `synfin check` are stateright paths; the
//! labels, the state panel, the sequence diagram and the per-state verdicts are synfin's
//! ([`api`]).

mod api;

use crate::cli::{usage_error, ExploreArgs};
use crate::found;
use crate::link;
use std::io::Write;
use synfin_model::trace::Names;
use synfin_model::view::address;
use synfin_model::TcpModel;

pub use api::setup;

/// The model to explore, the flags that say it, and the property to open it on.
fn model(args: &ExploreArgs) -> Result<(TcpModel, String, Option<String>), String> {
    if let Some(name) = &args.proof {
        let proof = synfin_proofs::proof(name).ok_or_else(|| format!("unknown proof '{name}'"))?;
        let expected = proof.expect.property().map(str::to_string);
        let model = TcpModel::new(proof.config())?;
        return Ok((
            model,
            format!("--proof {name}"),
            args.counterexample.clone().or(expected),
        ));
    }
    let model = TcpModel::new(args.model.config()?)?;
    let flags = link::flags(model.cfg())?.join(" ");
    Ok((model, flags, args.counterexample.clone()))
}

pub fn run(args: &ExploreArgs) -> u8 {
    let (model, flags, counterexample) = match model(args) {
        Ok(m) => m,
        Err(e) => return usage_error(&e),
    };
    let found = match &counterexample {
        None => None,
        Some(name) => {
            if !found::names(&model).contains(&name.as_str()) {
                return usage_error(&format!(
                    "unknown property '{name}' for config '{}'; its properties: {}",
                    model.cfg().name,
                    found::names(&model).join(", ")
                ));
            }
            match found::find(&model, name) {
                Ok(f) => Some(f),
                Err(e) => {
                    errln!("error: {e}");
                    return 1;
                }
            }
        }
    };
    let found_indices = match &found {
        None => None,
        Some(f) => match address::indices(&model, &f.actions) {
            Some(i) => Some(i),
            None => {
                errln!("error: the counterexample does not replay on the model");
                return 1;
            }
        },
    };
    // stateright's serve() panics when it cannot bind; tiny_http reports it.
    let server = match tiny_http::Server::http(&args.addr) {
        Ok(s) => s,
        Err(e) => return usage_error(&format!("cannot listen on '{}': {e}", args.addr)),
    };
    let addr = match server.server_addr().to_ip() {
        Some(a) => a.to_string(),
        None => return usage_error(&format!("'{}' is not an IP address", args.addr)),
    };
    let explorer = api::Explorer {
        names: Names::for_model(&model),
        model,
        flags,
        found,
        found_indices,
    };
    let mut out = std::io::stdout();
    let _ = writeln!(
        out,
        "Exploring config '{}' ({}) at http://{addr}/ (Ctrl-C to stop)",
        explorer.model.cfg().name,
        setup(&explorer.model)
    );
    if let (Some(f), Some(i)) = (&explorer.found, &explorer.found_indices) {
        let kind = match f.expectation {
            "always" => "Counterexample",
            "sometimes" => "Example",
            _ => "Lasso",
        };
        let mut url = format!("http://{addr}/{}", address::fragment(i));
        if let Some(c) = f.cycle_start {
            url.push_str(&format!("?cycle={c}"));
        }
        let _ = writeln!(
            out,
            "{kind} for {} ({}, {} steps, found in {:.2} s): open {url}",
            f.property,
            f.expectation,
            f.actions.len(),
            f.seconds
        );
    }
    let _ = out.flush();
    for rq in server.incoming_requests() {
        let (code, kind, body) = if *rq.method() == tiny_http::Method::Get {
            explorer.respond(rq.url())
        } else {
            (405, "text/plain", b"only GET".to_vec())
        };
        let mut resp = tiny_http::Response::from_data(body).with_status_code(code);
        if let Ok(h) = tiny_http::Header::from_bytes(&b"Content-Type"[..], kind.as_bytes()) {
            resp = resp.with_header(h);
        }
        // A client that went away is not our error.
        let _ = rq.respond(resp);
    }
    0
}
