// earcheck: the little the pages need from JavaScript. Everything works without it.
"use strict";

document.addEventListener("click", (event) => {
  // "+ another party/item": copy the last row of the table, emptied.
  const button = event.target.closest("[data-add-row]");
  if (!button) return;
  const body = document.querySelector(`#${button.dataset.addRow} tbody`);
  const row = body.lastElementChild.cloneNode(true);
  row.querySelectorAll("input").forEach((input) => { input.value = ""; });
  body.appendChild(row);
  row.querySelector("input, select").focus();
});

document.addEventListener("submit", (event) => {
  // Irreversible decisions ask once more.
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// The guided case form (/check/guided): every input is named by its path into the case, so a new
// row is a copy of the last one with its number moved on (parties[0].name -> parties[1].name).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add]");
  if (!button) return;
  const list = button.dataset.add;
  const box = document.querySelector(`[data-rows="${CSS.escape(list)}"]`);
  const rows = [...box.children].filter((r) => r.matches("[data-row]"));
  const last = rows[rows.length - 1];
  const next = Math.max(...rows.map((r) => Number(r.dataset.row))) + 1;
  const row = last.cloneNode(true);
  const from = `${list}[${last.dataset.row}]`;
  const to = `${list}[${next}]`;
  row.dataset.row = String(next);
  row.querySelectorAll("[name], [id], [for], [data-rows], [data-add]").forEach((node) => {
    for (const attribute of ["name", "data-rows", "data-add"]) {
      const value = node.getAttribute(attribute);
      if (value && value.startsWith(from)) node.setAttribute(attribute, to + value.slice(from.length));
    }
    for (const attribute of ["id", "for"]) {
      const value = node.getAttribute(attribute);
      const idFrom = "f-" + from.replace(/\[/g, "-").replace(/\]/g, "").replace(/\./g, "-");
      const idTo = "f-" + to.replace(/\[/g, "-").replace(/\]/g, "").replace(/\./g, "-");
      if (value && value.startsWith(idFrom)) node.setAttribute(attribute, idTo + value.slice(idFrom.length));
    }
  });
  // A copied item keeps one empty row of its own lists.
  row.querySelectorAll("[data-rows]").forEach((inner) => {
    [...inner.children].slice(1).forEach((extra) => extra.remove());
  });
  row.querySelectorAll("input").forEach((input) => { input.value = ""; });
  row.querySelectorAll("select").forEach((select) => { select.selectedIndex = 0; });
  row.querySelectorAll(".field-problem, output").forEach((node) => { node.textContent = ""; });
  row.querySelectorAll(".invalid").forEach((node) => node.classList.remove("invalid"));
  box.appendChild(row);
  const first = row.querySelector("input, select");
  if (first) first.focus();
});

function guidedValue(form, name) {
  const field = form.querySelector(`[name="${CSS.escape(name)}"]`);
  return field ? field.value.trim() : "";
}

const pending = new WeakMap();
function later(key, wait, action) {
  clearTimeout(pending.get(key));
  pending.set(key, setTimeout(action, wait));
}

// Parties are screened as they are typed, through the same screening as /screen (and audited).
document.addEventListener("input", (event) => {
  const input = event.target;
  const form = input.closest("form#guided");
  const row = input.closest("[data-screen-party]");
  if (!form || !row || !/\.(name|country)$/.test(input.name)) return;
  const nameField = row.querySelector('[name$=".name"]');
  const countryField = row.querySelector('[name$=".country"]');
  const output = row.parentElement.querySelector("output.screening");
  later(row, 700, async () => {
    const name = nameField ? nameField.value.trim() : "";
    if (name.length < 3) { output.textContent = ""; return; }
    const body = new URLSearchParams({
      csrf: guidedValue(form, "csrf"), name, country: countryField ? countryField.value.trim() : "",
      as_of: guidedValue(form, "as_of"),
    });
    output.textContent = "Screening…";
    const response = await fetch("/check/party-screening", { method: "POST", body });
    const answer = await response.json();
    output.classList.toggle("hit", Boolean(answer.hits && answer.hits.length));
    if (answer.error) { output.textContent = answer.error; return; }
    // The best hits are listed; the total says how many there are in all (the screening page shows each).
    const total = answer.total || answer.hits.length;
    const more = total > answer.hits.length ? `; and ${total - answer.hits.length} more (see Screen)` : "";
    output.textContent = answer.hits.length
      ? `${total} hit${total > 1 ? "s" : ""}: ` + answer.hits.map(
        (h) => `${h.name} (${h.list}, ${h.band === "review" ? "may be this entry" : h.band}, ${h.score})`).join("; ") + more
      : `No hit on the lists (screening #${answer.audit_seq} in the audit log).`;
  });
});

// ECCNs are suggested from the CCL as in force on the case date.
document.addEventListener("input", (event) => {
  const input = event.target;
  const form = input.closest("form#guided");
  if (!form || !input.matches("[data-eccn]")) return;
  later(input, 250, async () => {
    const query = new URLSearchParams({ q: input.value.trim(), as_of: guidedValue(form, "as_of") });
    const response = await fetch(`/check/eccns?${query}`);
    const found = await response.json();
    const list = document.getElementById("ccl-eccns");
    list.replaceChildren(...(Array.isArray(found) ? found : []).map((e) => {
      const option = document.createElement("option");
      option.value = e.eccn;
      option.label = `${e.eccn} — ${e.heading}`;
      return option;
    }));
  });
});

// Tables with a filter box (supply-chain pages): show only the rows whose text contains what is typed.
document.addEventListener("input", (event) => {
  const box = event.target.closest("input[data-filter]");
  if (!box) return;
  const wanted = box.value.trim().toLowerCase();
  document.querySelectorAll(`#${box.dataset.filter} tbody tr`).forEach((row) => {
    row.hidden = wanted !== "" && !row.textContent.toLowerCase().includes(wanted);
  });
});
