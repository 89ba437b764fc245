//! The API's list pagination: `limit` (1–1000, default 20), `before_id`, `after_id`; pages
//! carry `data`, `has_more`, `first_id`, `last_id`.

use anthropic_wasm_core::types::Page;

use crate::apierror::ApiError;
use crate::http::Request;

/// One page of `items` (already in list order) for the request's query.
pub fn paginate<T: Clone>(
    request: &Request,
    items: &[T],
    id: impl Fn(&T) -> &str,
) -> Result<Page<T>, ApiError> {
    let limit = match request.query_param("limit") {
        None => 20,
        Some(text) => match text.parse::<usize>() {
            Ok(limit) if (1..=1000).contains(&limit) => limit,
            Ok(_) => return Err(ApiError::invalid(
                "limit: Input should be greater than or equal to 1 and less than or equal to 1000",
            )),
            Err(_) => return Err(ApiError::invalid("limit: Input should be a valid integer")),
        },
    };
    let position = |name: &str, cursor: &str| {
        items
            .iter()
            .position(|item| id(item) == cursor)
            .ok_or_else(|| ApiError::invalid(format!("{name}: no item with id '{cursor}'")))
    };
    let (data, has_more) = match (
        request.query_param("before_id"),
        request.query_param("after_id"),
    ) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid(
                "before_id and after_id cannot both be set",
            ))
        }
        (Some(before), None) => {
            let end = position("before_id", &before)?;
            let start = end.saturating_sub(limit);
            (&items[start..end], start > 0)
        }
        (None, after) => {
            let start = match after {
                Some(after) => position("after_id", &after)? + 1,
                None => 0,
            };
            let end = (start + limit).min(items.len());
            (&items[start..end], end < items.len())
        }
    };
    Ok(Page {
        first_id: data.first().map(|item| id(item).to_owned()),
        last_id: data.last().map(|item| id(item).to_owned()),
        data: data.to_vec(),
        has_more,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(query: &str) -> Request {
        Request {
            method: "GET".into(),
            path: "/".into(),
            query: query.into(),
            headers: vec![],
            body: vec![],
            close: false,
        }
    }

    fn page(query: &str) -> Result<Page<String>, ApiError> {
        let items: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).to_vec();
        paginate(&get(query), &items, |s| s.as_str())
    }

    #[test]
    fn pages_forwards_and_backwards() {
        let first = page("limit=2").unwrap();
        assert_eq!(
            (first.data.clone(), first.has_more),
            (vec!["a".into(), "b".into()], true)
        );
        assert_eq!(
            (first.first_id.as_deref(), first.last_id.as_deref()),
            (Some("a"), Some("b"))
        );
        let last = page("limit=2&after_id=c").unwrap();
        assert_eq!(
            (last.data, last.has_more),
            (vec!["d".to_string(), "e".to_string()], false)
        );
        let back = page("limit=2&before_id=c").unwrap();
        assert_eq!(
            (back.data, back.has_more),
            (vec!["a".to_string(), "b".to_string()], false)
        );
        let back = page("limit=1&before_id=c").unwrap();
        assert_eq!((back.data, back.has_more), (vec!["b".to_string()], true));
        let empty = page("after_id=e").unwrap();
        assert!(empty.data.is_empty() && empty.first_id.is_none() && !empty.has_more);
    }

    #[test]
    fn rejects_bad_queries() {
        assert!(page("limit=0").is_err());
        assert!(page("limit=1001").is_err());
        assert!(page("limit=x").is_err());
        assert!(page("after_id=zz").is_err());
        assert!(page("after_id=a&before_id=b").is_err());
    }
}
