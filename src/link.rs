//! The link from a counterexample to the explorer: the `synfin explore` command that opens the
//! same model (config and every flag) on that counterexample, and the URL of exactly its path
//! (stateright's addressing by action indices, `#/steps/0/3/...`; `?cycle=N` marks where a
//! lasso's cycle starts).

use serde::Serialize;
use synfin_model::model::SysAction;
use synfin_model::view::address;
use synfin_model::{config, Config, IsnPolicy, Rfc, TcpModel};

/// Where `synfin explore` listens unless told otherwise.
pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";

/// A command and a URL, as printed under a counterexample and carried in `--json`.
#[derive(Clone, Debug, Serialize)]
pub struct Link {
    /// `synfin explore --config lifecycle --broken no-time-wait --counterexample resets-justified`
    pub explore_command: String,
    /// `http://127.0.0.1:3000/#/steps/0/3/...`
    pub explore_url: String,
}

/// The flags that turn the named configuration `cfg.name` into `cfg`, as `synfin check` and
/// `synfin explore` spell them. `Err` when `cfg` differs in a way no flag can say (a proof's
/// ISN or old duplicate).
pub fn flags(cfg: &Config) -> Result<Vec<String>, String> {
    let base = config(cfg.name)?;
    let mut v = vec!["--config".to_string(), cfg.name.to_string()];
    if base.isn != cfg.isn || base.stale != cfg.stale {
        return Err(format!(
            "the run's ISNs or old duplicates differ from config '{}': no flag says so",
            cfg.name
        ));
    }
    let net = (cfg.network, base.network);
    if net.1.loss && !net.0.loss {
        v.push("--no-loss".into());
    }
    if net.1.duplication && !net.0.duplication {
        v.push("--no-dup".into());
    }
    if net.1.reordering && !net.0.reordering {
        v.push("--no-reorder".into());
    }
    if (net.0.loss && !net.1.loss)
        || (net.0.duplication && !net.1.duplication)
        || (net.0.reordering && !net.1.reordering)
    {
        return Err("the run's network does more than its config's: no flag says so".into());
    }
    if cfg.profile.rfc == Rfc::Rfc793 {
        v.push("--profile".into());
        v.push("rfc793".into());
    }
    if cfg.retries != base.retries {
        v.push("--retries".into());
        v.push(cfg.retries.to_string());
    }
    if cfg.isn_policy != base.isn_policy {
        v.push("--isn".into());
        v.push(
            match cfg.isn_policy {
                IsnPolicy::Increasing => "increasing",
                IsnPolicy::Constant => "constant",
            }
            .into(),
        );
    }
    if base.profile.rfc1337 && !cfg.profile.rfc1337 {
        v.push("--no-rfc1337".into());
    }
    if let Some(m) = cfg.profile.broken {
        v.push("--broken".into());
        v.push(m.name().into());
    }
    Ok(v)
}

/// The link that opens `actions` (a counterexample or lasso of `property`) of `model`.
/// `Err` if the configuration cannot be said in flags or the actions do not replay.
pub fn link(
    model: &TcpModel,
    property: &str,
    actions: &[SysAction],
    cycle_start: Option<usize>,
    addr: &str,
) -> Result<Link, String> {
    Ok(Link {
        explore_command: command(model, Some(property), addr)?,
        explore_url: url(model, actions, cycle_start, addr)?,
    })
}

/// The link that opens the model on `actions` (an example): the command opens the model, the
/// URL the path.
pub fn example(model: &TcpModel, actions: &[SysAction], addr: &str) -> Result<Link, String> {
    Ok(Link {
        explore_command: command(model, None, addr)?,
        explore_url: url(model, actions, None, addr)?,
    })
}

/// `synfin explore` with the flags of `model`'s configuration, opened on `property`'s
/// counterexample if given.
fn command(model: &TcpModel, property: Option<&str>, addr: &str) -> Result<String, String> {
    let mut cmd = vec!["synfin".to_string(), "explore".to_string()];
    cmd.extend(flags(model.cfg())?);
    if let Some(p) = property {
        cmd.push("--counterexample".into());
        cmd.push(p.into());
    }
    if addr != DEFAULT_ADDR {
        cmd.push("--addr".into());
        cmd.push(addr.into());
    }
    Ok(cmd.join(" "))
}

/// The explorer URL of `actions` at `addr`.
pub fn url(
    model: &TcpModel,
    actions: &[SysAction],
    cycle_start: Option<usize>,
    addr: &str,
) -> Result<String, String> {
    let indices = address::indices(model, actions)
        .ok_or("the counterexample's actions do not replay on the model")?;
    let mut url = format!("http://{addr}/{}", address::fragment(&indices));
    if let Some(c) = cycle_start {
        url.push_str(&format!("?cycle={c}"));
    }
    Ok(url)
}
