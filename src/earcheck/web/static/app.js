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

// Tables with a filter box (supply-chain pages): show only the rows whose text contains what is typed.
document.addEventListener("input", (event) => {
  const box = event.target.closest("input[data-filter]");
  if (!box) return;
  const wanted = box.value.trim().toLowerCase();
  document.querySelectorAll(`#${box.dataset.filter} tbody tr`).forEach((row) => {
    row.hidden = wanted !== "" && !row.textContent.toLowerCase().includes(wanted);
  });
});
