// JSON calls from a page to our API with the session cookie. Writes carry the CSRF token of
// <meta name="csrf-token"> (base.html) as X-CSRFToken, which the server requires on every
// cookie-authenticated write. The answer is {ok, status, body}; a network failure is status
// 0 with no body, so the caller can say so in its own words (the page's, translated).

export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

export async function callJson(url, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    headers["X-CSRFToken"] = csrfToken();
  }
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, body: null };
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null; // an HTML error page from a proxy: the status still tells what happened
  }
  return { ok: response.ok, status: response.status, body: data };
}

// "%(total)s points" with {total: 87.4} -> "87.4 points": the server's message templates.
export function fill(template, params) {
  return template.replace(/%\((\w+)\)s/g, (whole, name) => (name in params ? String(params[name]) : whole));
}
