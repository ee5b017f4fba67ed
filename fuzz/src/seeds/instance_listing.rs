//! Seeds of target `instance_listing`.

use super::*;

/// The seeds.
pub(super) fn seeds() -> Vec<Seed> {
    const T: &str = "instance_listing";
    // Entries: bits 0-3 the ID, bits 4-5 the tags (0 team=ci, 1 team=web, 2 none, 3 no Tags).
    let listing = |size: u8, kind: u8, pages: &[(u8, &[u8])]| {
        let mut out = vec![size - 2, kind];
        for (total, entries) in pages {
            out.push(*total);
            out.push(entries.len() as u8);
            out.extend_from_slice(entries);
        }
        out
    };
    vec![
        seed(
            T,
            "honest-by-filter",
            listing(3, 2, &[(5, &[0, 1, 2]), (5, &[2, 3, 4])]),
        ),
        seed(
            T,
            "honest-all",
            listing(
                2,
                0,
                &[(4, &[0x21, 0x32]), (4, &[0x32, 0x13]), (4, &[0x13, 0x04])],
            ),
        ),
        seed(T, "honest-by-ids", listing(10, 1, &[(3, &[0, 2, 3])])),
        seed(T, "empty", listing(4, 0, &[(0, &[])])),
        seed(
            T,
            "total-changed",
            listing(3, 2, &[(5, &[0, 1, 2]), (6, &[2, 3, 4])]),
        ),
        seed(T, "short-page", listing(3, 0, &[(5, &[0, 1])])),
        seed(T, "beyond-total", listing(3, 0, &[(1, &[0, 1])])),
        seed(
            T,
            "shifted-skip",
            listing(3, 0, &[(5, &[0, 1, 2]), (5, &[3, 4, 5])]),
        ),
        seed(
            T,
            "shifted-repeat",
            listing(3, 0, &[(5, &[0, 1, 2]), (5, &[1, 2, 3])]),
        ),
        seed(
            T,
            "duplicate",
            listing(3, 0, &[(5, &[0, 1, 2]), (5, &[2, 0, 3])]),
        ),
        seed(T, "not-asked", listing(3, 1, &[(2, &[0, 9])])),
        seed(T, "contradicts-filter", listing(3, 2, &[(1, &[0x10])])),
        seed(T, "unknown-tags-pass", listing(3, 2, &[(2, &[0x30, 0x01])])),
        seed(
            T,
            "page-after-completion",
            listing(3, 0, &[(1, &[0]), (1, &[0])]),
        ),
        seed(
            T,
            "page-after-failure",
            listing(3, 0, &[(5, &[0]), (5, &[0, 1, 2])]),
        ),
    ]
}
