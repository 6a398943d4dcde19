//! Query strings and form bodies, read strictly: an unknown parameter, a bad value or
//! a repeated single-valued parameter is a 400 naming the parameter, never ignored.
//! (axum's `Query<T>` answers its own plain-text error; we want our error shape and
//! the field name.)
use crate::error::{ApiError, ApiResult};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use keruen_model::{Edtf, EventStatus, EventType, Sector};
use keruen_store::SearchQuery;
use std::str::FromStr;

/// The pairs of a query string (or a urlencoded form), in order.
#[derive(Debug, Clone, Default)]
pub struct Params(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> ApiResult<Self> {
        Params::parse(parts.uri.query().unwrap_or(""))
    }
}

impl Params {
    /// Parses `a=1&b=2`.
    pub fn parse(query: &str) -> ApiResult<Self> {
        serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .map(Params)
            .map_err(|e| ApiError::invalid("query", format!("the query string cannot be read: {e}")))
    }

    /// Refuses parameters not in `allowed` (`lang` is always allowed: the language switch).
    pub fn only(&self, allowed: &[&str]) -> ApiResult<&Self> {
        for (k, _) in &self.0 {
            if k != "lang" && !allowed.contains(&k.as_str()) {
                return Err(ApiError::invalid(
                    k.clone(),
                    format!("unknown parameter `{k}`; this address accepts: {}", allowed.join(", ")),
                ));
            }
        }
        Ok(self)
    }

    /// Every non-empty value of `name`; comma-separated values count as several.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// The one value of `name` (empty counts as absent).
    pub fn one(&self, name: &str) -> ApiResult<Option<&str>> {
        let mut it = self.0.iter().filter(|(k, v)| k == name && !v.trim().is_empty());
        let first = it.next().map(|(_, v)| v.trim());
        if it.next().is_some() {
            return Err(ApiError::invalid(name, format!("`{name}` may be given once")));
        }
        Ok(first)
    }

    /// The value of `name` parsed, with the parser's message on failure.
    pub fn get<T: FromStr>(&self, name: &str) -> ApiResult<Option<T>>
    where
        T::Err: std::fmt::Display,
    {
        self.one(name)?
            .map(|v| v.parse::<T>().map_err(|e| ApiError::invalid(name, format!("`{name}`: {e}"))))
            .transpose()
    }

    /// Every value of `name` parsed.
    pub fn list<T: FromStr>(&self, name: &str) -> ApiResult<Vec<T>>
    where
        T::Err: std::fmt::Display,
    {
        self.all(name)
            .into_iter()
            .map(|v| v.parse::<T>().map_err(|e| ApiError::invalid(name, format!("`{name}`: {e}"))))
            .collect()
    }

    /// A boolean: `1`, `true`, `yes`, `on` or `0`, `false`, `no`, `off`.
    pub fn flag(&self, name: &str) -> ApiResult<bool> {
        match self.one(name)? {
            None => Ok(false),
            Some("1" | "true" | "yes" | "on") => Ok(true),
            Some("0" | "false" | "no" | "off") => Ok(false),
            Some(v) => Err(ApiError::invalid(name, format!("`{name}` must be true or false, not `{v}`"))),
        }
    }

    /// A page size between 1 and `max`, `default` when absent.
    pub fn limit(&self, default: usize, max: usize) -> ApiResult<usize> {
        match self.get::<usize>("limit")? {
            None => Ok(default),
            Some(n) if (1..=max).contains(&n) => Ok(n),
            Some(n) => Err(ApiError::invalid("limit", format!("`limit` must be 1 to {max}, not {n}"))),
        }
    }

    /// A year (1 to 9999).
    pub fn year(&self, name: &str) -> ApiResult<Option<i32>> {
        match self.get::<i32>(name)? {
            Some(y) if !(1..=9999).contains(&y) => {
                Err(ApiError::invalid(name, format!("`{name}` must be a year from 1 to 9999, not {y}")))
            }
            y => Ok(y),
        }
    }

    /// Country codes, upper-cased and checked for shape.
    pub fn countries(&self, name: &str) -> ApiResult<Vec<String>> {
        self.all(name)
            .into_iter()
            .map(|c| {
                let up = c.to_uppercase();
                if keruen_analysis::is_country_code(&up) {
                    Ok(up)
                } else {
                    Err(ApiError::invalid(
                        name,
                        format!("`{c}` is not a country code: give an ISO 3166-1 alpha-2 code such as KZ"),
                    ))
                }
            })
            .collect()
    }
}

/// The parameters of a search, shared by `/search`, `/api/v1/search`, `/api/v1/events`
/// and the timeline and map (which ignore the page parameters).
pub const SEARCH_PARAMS: &[&str] =
    &["q", "type", "country", "from", "to", "sector", "status", "candidates", "limit", "cursor", "facets"];

/// A [`SearchQuery`] from search parameters. `from` and `to` are EDTF dates (a year
/// is one).
pub fn search_query(p: &Params, facets_default: bool) -> ApiResult<SearchQuery> {
    p.only(SEARCH_PARAMS)?;
    let from: Option<Edtf> = p.get("from")?;
    let to: Option<Edtf> = p.get("to")?;
    if let (Some(a), Some(b)) =
        (from.as_ref().and_then(|d| d.earliest()), to.as_ref().and_then(|d| d.latest()))
        && a > b
    {
        return Err(ApiError::invalid("to", "`to` is before `from`: give `from` first"));
    }
    let facets = match p.one("facets")? {
        None => facets_default,
        Some(_) => p.flag("facets")?,
    };
    Ok(SearchQuery {
        text: p.one("q")?.map(str::to_string),
        types: p.list::<EventType>("type")?,
        countries: p.countries("country")?,
        from,
        to,
        sectors: p.list::<Sector>("sector")?,
        statuses: p.list::<EventStatus>("status")?,
        include_candidates: p.flag("candidates")?,
        limit: Some(p.limit(20, 500)?),
        cursor: p.one("cursor")?.map(str::to_string),
        facets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_and_bad_parameters_name_the_field() {
        let p = Params::parse("q=x&typo=1").unwrap();
        assert_eq!(search_query(&p, false).unwrap_err().field.as_deref(), Some("typo"));
        let p = Params::parse("type=party").unwrap();
        let e = search_query(&p, false).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("type"));
        assert!(e.message.contains("festival"), "{}", e.message);
        let p = Params::parse("from=2001&to=1999").unwrap();
        assert_eq!(search_query(&p, false).unwrap_err().field.as_deref(), Some("to"));
        let p = Params::parse("country=kz,uz&type=festival,agreement&limit=5").unwrap();
        let q = search_query(&p, true).unwrap();
        assert_eq!(q.countries, ["KZ", "UZ"]);
        assert_eq!(q.types.len(), 2);
        assert!(q.facets);
        let p = Params::parse("limit=0").unwrap();
        assert_eq!(search_query(&p, false).unwrap_err().field.as_deref(), Some("limit"));
    }
}
