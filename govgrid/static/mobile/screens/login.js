// 登录: username and password for a bearer token kept on the phone.

import { ApiError, NetworkError } from "../api.js";
import { logIn } from "../session.js";
import { h, screenTitle, t } from "../ui.js";

export function render(main, app) {
  screenTitle(t("login.title"));
  const error = h("p", { class: "notice error", role: "alert", hidden: true });
  const username = h("input", { name: "username", autocomplete: "username", required: true, autocapitalize: "none", spellcheck: "false" });
  const password = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
  const button = h("button", { type: "submit", class: "primary wide" }, t("login.submit"));
  const form = h("form", { class: "card form login" },
    h("p", { class: "lead" }, t("login.lead")),
    h("label", {}, h("span", {}, t("login.username")), username),
    h("label", {}, h("span", {}, t("login.password")), password),
    error, button);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    button.disabled = true;
    try {
      app.session = await logIn(username.value.trim(), password.value);
      app.go("#/");
      app.sync(true);
    } catch (e) {
      error.textContent = e instanceof NetworkError ? t("login.offline") : (e instanceof ApiError ? e.message : String(e));
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
  main.append(form);
  username.focus();
}
