//! JSON Lines: one line per instance, written as soon as it is final and never
//! twice, whether it came in a batch during the run or only at the end.

use std::collections::HashSet;
use std::io::Write;

use tencentcloud_cvm::model::InstanceId;
use tencentcloud_cvm::{InstanceOutcome, PlanEntry};

/// What is about one instance and goes out as one JSON line.
pub trait JsonLine {
    fn id(&self) -> &InstanceId;
    fn line(&self) -> String;
}

impl JsonLine for PlanEntry {
    fn id(&self) -> &InstanceId {
        &self.id
    }
    fn line(&self) -> String {
        self.to_json()
    }
}

impl JsonLine for InstanceOutcome {
    fn id(&self) -> &InstanceId {
        &self.id
    }
    fn line(&self) -> String {
        self.to_json()
    }
}

/// The instances whose line is out.
#[derive(Default)]
pub struct JsonLines {
    streamed: HashSet<InstanceId>,
}

impl JsonLines {
    /// Writes the line of each item whose instance has none out yet, then
    /// flushes, so a reader (or a file) has it even if the run is killed later.
    /// Write errors are ignored, as by the outputs that use this.
    pub fn write(&mut self, out: &mut impl Write, items: &[impl JsonLine]) {
        for item in items {
            if self.streamed.insert(item.id().clone()) {
                let _ = writeln!(out, "{}", item.line());
            }
        }
        let _ = out.flush();
    }
}
