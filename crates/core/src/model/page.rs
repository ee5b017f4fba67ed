//! [`Page`]: the `Offset` and `Limit` of a listing request.

use crate::error::validation_error::ValidationError;

/// Which slice of the matching instances a listing returns: `Limit` of them, starting
/// at `Offset` (both as the API defines them; without a page the service returns the
/// first 20).
///
/// ```
/// use tencentcloud_cvm_core::Page;
/// let page = Page::new(0, 100)?;
/// // With 250 matching instances: offsets 0, 100, 200, then done.
/// let second = page.next(250).unwrap();
/// assert_eq!((second.offset(), second.limit()), (100, 100));
/// assert_eq!(second.next(250).unwrap().next(250), None);
/// assert!(Page::new(0, 101).is_err());
/// # Ok::<(), tencentcloud_cvm_core::ValidationError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Page {
    offset: u64,
    limit: u32,
}

impl Page {
    /// The largest `Limit` the API allows.
    pub const MAX_LIMIT: u32 = 100;

    /// `limit` results from `offset`; `limit` must be 1 to 100.
    pub fn new(offset: u64, limit: u64) -> Result<Page, ValidationError> {
        if limit == 0 {
            return Err(ValidationError::ZeroLimit);
        }
        if limit > u64::from(Page::MAX_LIMIT) {
            return Err(ValidationError::LimitTooLarge { limit });
        }
        Ok(Page {
            offset,
            limit: limit as u32,
        })
    }

    /// The first page of 100.
    pub fn first() -> Page {
        Page {
            offset: 0,
            limit: Page::MAX_LIMIT,
        }
    }

    /// `Offset`.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// `Limit`.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The page after this one, if `total_count` (the answer's `TotalCount`) says there
    /// are more results.
    pub fn next(&self, total_count: u64) -> Option<Page> {
        let offset = self.offset.checked_add(u64::from(self.limit))?;
        (offset < total_count).then_some(Page {
            offset,
            limit: self.limit,
        })
    }

    /// Appends `,"Offset":N,"Limit":M` to a JSON object being written.
    pub(crate) fn write_json_fields(&self, out: &mut Vec<u8>, first: bool) {
        if !first {
            out.push(b',');
        }
        out.extend_from_slice(
            format!("\"Offset\":{},\"Limit\":{}", self.offset, self.limit).as_bytes(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::error_code::ErrorCode;

    #[test]
    fn limits() {
        assert_eq!(Page::new(0, 0), Err(ValidationError::ZeroLimit));
        assert_eq!(
            Page::new(0, 0).unwrap_err().code(),
            ErrorCode::InvalidParameterValue
        );
        let e = Page::new(5, u64::MAX).unwrap_err();
        assert_eq!(e, ValidationError::LimitTooLarge { limit: u64::MAX });
        assert_eq!(e.code(), ErrorCode::InvalidParameterValueLimitExceeded);
        assert_eq!(Page::new(u64::MAX, 1).unwrap().next(u64::MAX), None);
        assert_eq!(Page::first(), Page::new(0, 100).unwrap());
        assert_eq!(Page::new(0, 20).unwrap().next(20), None);
        assert_eq!(
            Page::new(0, 20).unwrap().next(21),
            Some(Page::new(20, 20).unwrap())
        );
    }
}
