// The ranked mediator suggestions of the assign form, from GET …/mediator-suggestions: each
// candidate with its total score and every part of it explained (the dispatcher decides, the
// score only argues). Each candidate is a radio button named like the form's field, so the
// form sends the chosen one's user id as mediator_id. Built with textContent only: names
// come from the database, never as markup.

import { callJson, fill } from "./case-api.js";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function points(value) {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function candidate(suggestion, name, words) {
  const { mediator } = suggestion;
  const item = element("li", "suggestion");
  item.dataset.rank = String(suggestion.rank);
  item.dataset.userId = String(mediator.user_id);

  const pick = element("label", "suggestion-pick");
  const radio = document.createElement("input");
  Object.assign(radio, { type: "radio", name, value: String(mediator.user_id), required: true });
  radio.dataset.group = "transition";
  radio.dataset.type = "int";
  pick.append(
    radio,
    element("span", "suggestion-rank", fill(words.rank, { rank: suggestion.rank })),
    element("strong", "suggestion-name", mediator.display_name),
    element("span", "muted", mediator.unit?.name ?? ""),
    element("span", "suggestion-total", fill(words.points, { total: points(suggestion.total) })),
  );
  for (const flag of suggestion.flags) {
    pick.append(element("span", `badge flag flag-${flag}`, words[flag] ?? flag));
  }

  const parts = element("ul", "suggestion-parts");
  for (const part of suggestion.parts) {
    const row = element("li");
    row.dataset.part = part.name;
    row.append(
      element("span", "part-label", part.label),
      element("span", "part-points", `${points(part.contribution)} / ${points(part.weight)}`),
      element("span", "part-why", part.explanation),
    );
    parts.append(row);
  }
  item.append(pick, parts);
  return item;
}

export async function loadSuggestions(fieldset, url, words) {
  if (fieldset.dataset.loaded) return;
  fieldset.dataset.loaded = "1";
  const status = fieldset.querySelector("[data-suggestions-status]");
  const list = fieldset.querySelector("[data-suggestions-list]");
  status.textContent = words.loading;
  const answer = await callJson(url);
  if (!answer.ok || !Array.isArray(answer.body)) {
    status.textContent = answer.body?.message ?? words.suggestionsFailed;
    delete fieldset.dataset.loaded; // opening the form again tries again
    return;
  }
  if (answer.body.length === 0) {
    status.textContent = words.noSuggestions;
    return;
  }
  status.hidden = true;
  list.replaceChildren(...answer.body.map((s) => candidate(s, fieldset.dataset.name, words)));
  fieldset.dataset.ready = "1";
}
