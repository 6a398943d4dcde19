//! Signing in and out of the web UI.
use super::layout::*;
use crate::auth::{Ctx, SESSION_COOKIE, client_ip, set_cookie, too_many};
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::security::read_body;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

fn local(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".into(),
    }
}

fn with_cookie(mut res: Response, cookie: String) -> Response {
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

fn form_page(ctx: &Ctx, csrf: &str, next: &str, error: Option<&str>) -> maud::Markup {
    let l = ctx.lang;
    page(
        ctx,
        Frame {
            title: l.t("auth.title").into(),
            nav: Nav::None,
            json: None,
            scripts: &[],
            lead: Some(l.t("auth.lead").into()),
        },
        html! {
            @if let Some(e) = error { p.error-message role="alert" { (e) } }
            form.login action="/login" method="post" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="next" value=(next);
                label { (l.t("auth.name")) input type="text" name="name" autocomplete="username" required autofocus; }
                label { (l.t("auth.password")) input type="password" name="password" autocomplete="current-password" required; }
                button type="submit" { (l.t("auth.sign_in")) }
            }
            p.small.muted { (l.t("auth.help")) }
        },
    )
}

/// `GET /login`: the form, with a CSRF token of an anonymous session.
pub async fn form(ctx: Ctx, State(st): State<AppState>, p: Params) -> ApiResult<Response> {
    p.only(&["next"])?;
    let next = local(p.one("next")?);
    if let (Some(_), Some(csrf)) = (&ctx.session, &ctx.csrf) {
        return Ok(form_page(&ctx, csrf, &next, None).into_response());
    }
    let id = st.sessions.create(None);
    let csrf = st.sessions.csrf_of(&id).unwrap_or_default();
    let res = form_page(&ctx, &csrf, &next, None).into_response();
    Ok(with_cookie(res, set_cookie(&st, SESSION_COOKIE, &id, None)))
}

/// `POST /login`.
pub async fn submit(State(st): State<AppState>, req: Request) -> ApiResult<Response> {
    let (mut parts, body) = req.into_parts();
    let ctx = Ctx::from_request_parts(&mut parts, &st).await?;
    let body = read_body(Body::new(body), &parts.headers, st.config.json_limit).await?;
    let f = Params::parse(
        std::str::from_utf8(&body).map_err(|_| ApiError::invalid("body", "the form is not UTF-8"))?,
    )?;
    f.only(&["csrf", "next", "name", "password"])?;
    ctx.check_csrf(f.one("csrf")?)?;
    let name = f.one("name")?.unwrap_or("").to_string();
    let password = f.0.iter().find(|(k, _)| k == "password").map(|(_, v)| v.clone()).unwrap_or_default();
    let next = local(f.one("next")?);
    let keys = vec![
        format!("ip:{}", client_ip(&parts, st.config.behind_proxy)),
        format!("user:{}", name.to_lowercase()),
    ];
    st.limiter.check(&keys).map_err(too_many)?;
    match crate::users::verify_password(&st, name.clone(), password).await? {
        Some(user) => {
            st.limiter.clear(&keys[1]);
            if let Some(old) = &ctx.session {
                st.sessions.remove(old);
            }
            let id = st.sessions.create(Some(user));
            let res = Redirect::to(&next).into_response();
            Ok(with_cookie(res, set_cookie(&st, SESSION_COOKIE, &id, None)))
        }
        None => {
            st.limiter.fail(&keys);
            let csrf = ctx.csrf.clone().unwrap_or_default();
            let msg = ctx.lang.t("auth.wrong");
            Ok((StatusCode::UNAUTHORIZED, form_page(&ctx, &csrf, &next, Some(msg))).into_response())
        }
    }
}

/// `POST /logout`.
pub async fn logout(State(st): State<AppState>, req: Request) -> ApiResult<Response> {
    let (mut parts, body) = req.into_parts();
    let ctx = Ctx::from_request_parts(&mut parts, &st).await?;
    let body = read_body(Body::new(body), &parts.headers, st.config.json_limit).await?;
    let f = Params::parse(
        std::str::from_utf8(&body).map_err(|_| ApiError::invalid("body", "the form is not UTF-8"))?,
    )?;
    ctx.check_csrf(f.one("csrf")?)?;
    if let Some(id) = &ctx.session {
        st.sessions.remove(id);
    }
    Ok(with_cookie(Redirect::to("/").into_response(), set_cookie(&st, SESSION_COOKIE, "", Some(0))))
}
