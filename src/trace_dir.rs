//! `synfin check --trace-dir DIR`: every counterexample of a run as files CI can keep as
//! artifacts: `<property>.txt` (the diagram and the explorer link), `<property>.json` (the
//! steps, the link and, for a lasso, where the cycle starts), `<property>.mmd` (Mermaid) and
//! `<property>.pcap` (one packet per delivery).

use crate::link::Link;
use serde::Serialize;
use std::path::Path;
use synfin_conformance::pcap;
use synfin_model::mermaid;
use synfin_model::trace::{Names, Step};
use synfin_model::TcpModel;

/// One counterexample to write.
pub struct Item<'a> {
    pub property: &'a str,
    pub steps: &'a [Step],
    pub diagram: &'a str,
    pub cycle_start: Option<usize>,
    pub link: Option<&'a Link>,
}

#[derive(Serialize)]
struct Json<'a> {
    config: &'a str,
    property: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    cycle_start: Option<usize>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    link: Option<&'a Link>,
    trace: &'a [Step],
}

/// Writes `items` to `dir` (created if missing). Returns the files written.
pub fn write(dir: &Path, model: &TcpModel, items: &[Item]) -> Result<Vec<String>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let names = Names::isns(model);
    let mut written = Vec::new();
    for it in items {
        let mut text = it.diagram.to_string();
        if let Some(l) = it.link {
            text.push_str(&format!(
                "Open it in the explorer: {}\n                   then: {}\n",
                l.explore_command, l.explore_url
            ));
        }
        let json = serde_json::to_string_pretty(&Json {
            config: model.cfg().name,
            property: it.property,
            cycle_start: it.cycle_start,
            link: it.link,
            trace: it.steps,
        })
        .map_err(|e| format!("cannot encode {}: {e}", it.property))?;
        let files: [(&str, Vec<u8>); 4] = [
            ("txt", text.into_bytes()),
            ("json", (json + "\n").into_bytes()),
            (
                "mmd",
                (mermaid::render(model, it.steps, &names)
                    .trim_end()
                    .to_string()
                    + "\n")
                    .into_bytes(),
            ),
            ("pcap", pcap::capture(model, it.steps)?),
        ];
        for (ext, bytes) in files {
            let path = dir.join(format!("{}.{ext}", it.property));
            std::fs::write(&path, bytes)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            written.push(path.display().to_string());
        }
    }
    Ok(written)
}
