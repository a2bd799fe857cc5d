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
  const score = typeof task.score === "number" ? "p " + task.score.toFixed(2) : "";
  const source = span.source === "model" ? "the model's guess" : span.source ? "pattern " + span.source : "";
  $("meta").textContent = [source, score].filter(Boolean).join(" · ");
}

function showCard(data) {
  $("label").textContent = data.label || "";
  const model = data.model;
  const resuming = !data.task && model.resuming;
  $("done").textContent = resuming
    ? "Training the model on the answers stored before this session: the first card comes from it…"
    : "No more suggestions: every span worth asking about is answered. 🎉";
  renderCard(data.task);
  if (resuming) setTimeout(reload, 2000);
  const where = model.patterns_only ? "patterns first" : "model suggests";
  $("model-state").textContent = "· " + model.updates + " updates" + (model.updating ? " (updating…)" : "") + " · " + where;
  $("model-state").className = "model-state" + (model.updating ? " busy" : "");
  if (data.error) setStatus("Suggestions stopped: " + data.error, "error");
}

page.show = showCard;
page.describe = (answer) => (answer.span ? "“" + answer.span + "” · " : "") + answer.text;
start();
