//! `synfin trace`: a named scenario, replayed on the model or on two synfin-tcp endpoints, as
//! a sequence diagram or JSON steps. Both engines give the same steps when the endpoint reads
//! RFC 9293 as the model does (`conformance/tests/traces.rs` asserts it).

use crate::cli::{Engine, TraceArgs, TraceFormat};
use std::io::IsTerminal;
use synfin_conformance::pcap;
use synfin_conformance::scenario::{diagram, endpoint_steps, model_steps};
use synfin_model::mermaid;
use synfin_model::scenarios::scenario;

pub fn run(args: &TraceArgs) -> u8 {
    let name = args.scenario();
    let Some(sc) = scenario(name) else {
        return crate::cli::usage_error(&format!("unknown scenario '{name}'"));
    };
    let steps = match args.engine {
        Engine::Model => model_steps(&sc),
        Engine::Endpoint => endpoint_steps(&sc),
    };
    let steps = match steps {
        Ok(steps) => steps,
        Err(e) => {
            errln!("error: {e}");
            return 1;
        }
    };
    let model = sc.model();
    let out: Vec<u8> = match args.format() {
        TraceFormat::Json => match serde_json::to_string_pretty(&steps) {
            Ok(s) => (s + "\n").into_bytes(),
            Err(e) => {
                errln!("error: {e}");
                return 1;
            }
        },
        TraceFormat::Text => diagram(&sc, &steps).into_bytes(),
        TraceFormat::Mermaid => {
            mermaid::render_from(&model, &steps, &(sc.names)(model.cfg()), sc.first).into_bytes()
        }
        TraceFormat::Pcap => match pcap::capture(&model, &steps) {
            Ok(b) => b,
            Err(e) => {
                errln!("error: {e}");
                return 1;
            }
        },
    };
    write_out(
        &out,
        args.output.as_deref(),
        args.format() == TraceFormat::Pcap,
    )
}

/// Writes `bytes` to `path`, or to stdout (a binary capture only when stdout is not a
/// terminal). Exit status 0, or 1 with a message.
pub fn write_out(bytes: &[u8], path: Option<&std::path::Path>, binary: bool) -> u8 {
    let result = match path {
        Some(p) => {
            std::fs::write(p, bytes).map_err(|e| format!("cannot write {}: {e}", p.display()))
        }
        None => {
            if binary && std::io::stdout().is_terminal() {
                return crate::cli::usage_error(
                    "a pcap is binary: redirect stdout to a file, or use --output FILE",
                );
            }
            crate::out::write_bytes(bytes);
            Ok(())
        }
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            errln!("error: {e}");
            1
        }
    }
}
