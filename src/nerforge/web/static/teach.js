// nerforge teach page: one suggested span a card, yes or no. The shared part is common.js.
// Task text is only ever set with textContent: never parsed as HTML.
"use strict";

function renderCard(task) {
  const box = $("text");
  box.replaceChildren();
  $("done").hidden = task !== null;
  box.hidden = task === null;
  $("meta").textContent = "";
  if (!task) return;
  const span = task.span;
  const mark = document.createElement("mark");
  mark.className = "ent";
  mark.textContent = task.text.slice(span.start, span.end);
  const tag = document.createElement("span");
  tag.className = "tag";
  tag.textContent = span.label;
  mark.append(tag);
  box.append(document.createTextNode(task.text.slice(0, span.start)), mark, document.createTextNode(task.text.slice(span.end)));
  const score = typeof task.score === "number" ? "score " + task.score.toFixed(2) : "";
  $("meta").textContent = [score, span.source ? "from " + span.source : ""].filter(Boolean).join(" · ");
}

function showCard(data) {
  $("label").textContent = data.label || "";
  renderCard(data.task);
  const model = data.model;
  const where = model.patterns_only ? "patterns first" : "model suggests";
  $("model-state").textContent = "· " + model.updates + " updates" + (model.updating ? " (updating…)" : "") + " · " + where;
  $("model-state").className = "model-state" + (model.updating ? " busy" : "");
  if (data.error) setStatus("Suggestions stopped: " + data.error, "error");
}

page.show = showCard;
page.describe = (answer) => (answer.span ? "“" + answer.span + "” · " : "") + answer.text;
start();
