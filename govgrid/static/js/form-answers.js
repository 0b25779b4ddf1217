// Showing an API answer in a form, shared by the case page's actions (case-actions.js), the
// assessment unit page (assessment/unit.js) and the register of major events
// (assessment/events.js). Each form holds a [data-result] line, a [data-reload] button
// (offered after a 409: someone acted first) and [data-error-for="field"] slots for the
// field errors of a refusal ({"code", "message"}, field errors under errors.json).

// Hides the result line, the reload offer and every field error.
export function clear(form) {
  const result = form.querySelector("[data-result]");
  result.hidden = true;
  result.textContent = "";
  form.querySelector("[data-reload]").hidden = true;
  for (const slot of form.querySelectorAll("[data-error-for]")) {
    slot.hidden = true;
    slot.textContent = "";
  }
}

// Shows a message on the result line; `status` (the HTTP status, 0 for none) lets the styles
// tell a refusal from a notice.
export function say(form, message, status = 0) {
  const result = form.querySelector("[data-result]");
  result.textContent = message;
  result.dataset.status = String(status);
  result.hidden = false;
}

// Shows a refused answer of callJson: its message (or words.network / words.failed), each
// field error beside its field, and after a 409 the reload offer. `prefix` leads the message
// (e.g. what was already done); with `stale`, a 409's message is led by words.stale instead.
export function refuse(form, answer, words, { prefix = "", stale = false } = {}) {
  const body = answer.body ?? {};
  let message = answer.status === 0 ? words.network : body.message || words.failed;
  if (stale && answer.status === 409) message = `${words.stale} ${body.message || ""}`.trim();
  say(form, prefix ? `${prefix} ${message}` : message, answer.status);
  for (const [name, errors] of Object.entries(body.errors?.json ?? {})) {
    const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
    if (slot && Array.isArray(errors)) {
      slot.textContent = errors.join(" ");
      slot.hidden = false;
    }
  }
  if (answer.status === 409) form.querySelector("[data-reload]").hidden = false;
}
