//! `synfin trace`: a named scenario, replayed on the model or on two synfin-tcp endpoints, as
//! a sequence diagram or JSON steps. Both engines give the same steps when the endpoint reads
//! RFC 9293 as the model does (`conformance/tests/traces.rs` asserts it).

use crate::cli::{Engine, TraceArgs, TraceFormat};
use synfin_conformance::scenario::{diagram, endpoint_steps, model_steps};
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
            eprintln!("error: {e}");
            return 1;
        }
    };
    match args.format() {
        TraceFormat::Json => match serde_json::to_string_pretty(&steps) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        },
        TraceFormat::Text => print!("{}", diagram(&sc, &steps)),
    }
    0
}
