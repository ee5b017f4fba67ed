//! `tccvm status`: read the instances (DescribeInstances) and show them.

use crate::args::StatusArgs;
use crate::cli_error::CliError;
use crate::connection::Connection;
use crate::exit_status::ExitStatus;
use crate::instance_ids;
use crate::status_output::write_status;

/// Runs the command: 0 when every instance was read, 1 when one does not exist
/// or could not be read; `Err` (exit 2) when nothing was sent.
pub fn run(args: &StatusArgs) -> Result<ExitStatus, CliError> {
    let ids = instance_ids::gather(&args.ids, args.target.emulator)?;
    let (connection, ids) = Connection::open(&args.target, ids)?;
    let plan = connection
        .client
        .status(&ids)
        .map_err(|e| CliError::caused_by("", &e))?;
    write_status(&mut std::io::stdout().lock(), args.format(), &plan);
    Ok(ExitStatus::of_status(&plan))
}
