//! `synfin rfc`: the requirements matrix of RFC 9293 (Appendix B) against the duvet
//! annotations of both readings and the tests. Exit status: 0; 1 when `--check` finds the
//! committed matrix out of date, or an annotation's quote is not in the RFC; 2 for bad input
//! (no RFC text where it was looked for).

mod annotations;
mod matrix;
mod spec;

use crate::cli::RfcArgs;
use std::path::PathBuf;

/// Where the RFC's text is looked for by default: `$SYNFIN_RFC9293`, else
/// `../shared/rfc/rfc9293.txt` from the root.
fn rfc_path(args: &RfcArgs) -> PathBuf {
    if let Some(p) = &args.rfc {
        return p.clone();
    }
    if let Some(p) = std::env::var_os("SYNFIN_RFC9293") {
        return PathBuf::from(p);
    }
    args.root.join("../shared/rfc/rfc9293.txt")
}

pub fn run(args: &RfcArgs) -> u8 {
    let path = rfc_path(args);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            errln!(
                "error: cannot read RFC 9293 at {}: {e} (use --rfc FILE)",
                path.display()
            );
            return 2;
        }
    };
    let spec = match spec::parse(&text) {
        Ok(s) => s,
        Err(e) => {
            errln!("error: {}: {e}", path.display());
            return 2;
        }
    };
    let rendered = annotations::scan(&args.root)
        .and_then(|a| matrix::join(&spec, &a))
        .map(|cited| matrix::render(&spec, &cited));
    let rendered = match rendered {
        Ok(r) => r,
        Err(e) => {
            errln!("error: {e}");
            return 1;
        }
    };
    if let Some(check) = &args.check {
        let committed = std::fs::read_to_string(check).unwrap_or_default();
        if committed == rendered {
            outln!("{} is up to date", check.display());
            return 0;
        }
        errln!(
            "error: {} differs from the annotations: run `synfin rfc --output {}`",
            check.display(),
            check.display()
        );
        for (k, (a, b)) in committed.lines().zip(rendered.lines()).enumerate() {
            if a != b {
                errln!("first difference at line {}:\n- {a}\n+ {b}", k + 1);
                break;
            }
        }
        return 1;
    }
    match &args.output {
        Some(out) => {
            if let Err(e) = std::fs::write(out, &rendered) {
                errln!("error: cannot write {}: {e}", out.display());
                return 2;
            }
            outln!("wrote {}", out.display());
        }
        None => out!("{rendered}"),
    }
    0
}
