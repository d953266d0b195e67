//! `synfin trace`: a named scenario as a sequence diagram or JSON steps.

use crate::cli::TraceArgs;
use synfin_model::scenarios::scenario;
use synfin_model::trace;

pub fn run(args: &TraceArgs) -> u8 {
    let Some(sc) = scenario(&args.scenario) else {
        return crate::cli::usage_error(&format!("unknown scenario '{}'", args.scenario));
    };
    let model = sc.model();
    let path = match sc.actions(&model).map(|a| model.path(&a)) {
        Ok(Some(p)) => p,
        Ok(None) | Err(_) => {
            eprintln!("error: scenario '{}' does not replay on the model", sc.name);
            return 1;
        }
    };
    let steps = trace::steps(&model, &path);
    if args.json {
        match serde_json::to_string_pretty(&steps) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        }
    } else {
        println!("{}: {}", sc.name, sc.about);
        print!(
            "{}",
            trace::render(&model, &steps, &(sc.names)(model.cfg()), sc.first)
        );
    }
    0
}
