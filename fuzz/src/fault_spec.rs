//! The `fault_spec` target: the emulator's `--fault` values as typed on a command line.

use tencentcloud_cvm_emulator::Fault;

/// Parses the input (as lossy UTF-8) as a fault spec.
///
/// What must hold: parsing never panics; an accepted spec prints back as a
/// spec that parses to the same fault; a refused one's message quotes at most
/// 64 characters of it (each escaped to at most 10 bytes, `\u{10ffff}`), besides
/// its reason and the list of faults (600 bytes at most).
pub fn fault_spec(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match text.parse::<Fault>() {
        Ok(fault) => {
            let printed = fault.to_string();
            assert_eq!(
                printed.parse::<Fault>().as_ref(),
                Ok(&fault),
                "{text:?} -> {printed}"
            );
        }
        Err(e) => {
            let message = e.to_string();
            assert!(
                message.len() <= 64 * 10 + 600,
                "{} bytes: {message}",
                message.len()
            );
        }
    }
}
