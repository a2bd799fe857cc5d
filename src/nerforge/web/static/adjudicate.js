// nerforge adjudication page: every version of a disputed text; one is picked, edited if need
// be, and stored as gold. The shared parts are common.js (answers, undo, history, keys) and
// spans.js (the span editor, the review page's). Text is only ever set with textContent.
"use strict";

const chosen = {
  index: null,     // the version picked, an index into page.task.versions
  edited: false,   // the spans on screen were changed since the pick (or drawn with no pick)
  editing: null,   // a settled text reopened from the history: {id}; answering replaces its gold answer
};
const editor = createSpanEditor($("text"), $("labels"), () => {
  chosen.edited = true;
  renderVersions();
});

function describeVersion(text, version) {
  if (version.answer !== "accept") return version.answer;
  if (!version.spans.length) return "no entities";
  return version.spans.map((s) => "“" + text.slice(s.start, s.end) + "” " + s.label).join(", ");
}

function renderVersions() {
  const task = page.task;
  $("done").hidden = task !== null;
  $("text").hidden = task === null;
  $("edited").hidden = !task || !chosen.edited;
  $("editing").hidden = !task || !chosen.editing;
  if (task && chosen.editing) $("editing").textContent = "Editing gold answer #" + chosen.editing.id + ": answer again to replace it.";
  const list = $("versions");
  list.replaceChildren();
  if (!task) return;
  task.versions.forEach((version, index) => {
    const item = document.createElement("li");
    item.className = "version" + (index === chosen.index ? " picked" : "");
    item.dataset.version = String(index + 1);
    const key = document.createElement("kbd");
    key.textContent = String(index + 1);
    const who = document.createElement("strong");
    who.textContent = " " + version.annotator + ": ";
    item.append(key, who, document.createTextNode(describeVersion(task.text, version)));
    item.addEventListener("click", () => pick(index));
    list.append(item);
  });
}

function pick(index) {
  if (!page.task || index >= page.task.versions.length) return;
  chosen.index = index;
  chosen.edited = false;
  const version = page.task.versions[index];
  editor.load(page.task, version.answer === "accept" ? version.spans : []);
  renderVersions();
  setStatus("Picked version " + (index + 1) + " (" + version.annotator + "): edit its spans if need be, a accepts.", "");
}

page.show = (data) => {
  if (data.labels) editor.setLabels(data.labels);
  // a span group (spancat): spans may overlap; the server refuses overlaps otherwise
  editor.setOverlapping(Boolean(data.spans_key));
  $("stacked-help").hidden = !data.spans_key;
  chosen.index = null;
  chosen.edited = false;
  chosen.editing = null;
  editor.load(page.task, []);
  renderVersions();
};

// a settled text from the history: its versions, the gold spans in the editor, the version
// that had been picked; an answer replaces the gold one (the review page's /api/answers/{id})
async function reopenAnswer(answerId) {
  if (page.busy) return;
  try {
    const data = await api("/api/answers/" + answerId);
    page.task = data.task;
    const picked = data.task.versions.findIndex((v) => v.annotator === data.answer.picked);
    chosen.index = picked < 0 ? null : picked;
    chosen.edited = data.answer.edited;
    chosen.editing = { id: data.answer.id };
    editor.load(data.task, data.task.spans);
    renderVersions();
    renderButtons();
    setStatus("Reopened #" + answerId + ": pick or edit, and answer again.", "ok");
  } catch (err) {
    setStatus("Can't reopen: " + err.message + ".", "error");
  }
}
page.answerFields = (kind) => {
  if (kind !== "accept") return { spans: [] };
  if (chosen.index === null && !chosen.edited) {
    setStatus("Pick a version first: press its number (or mark the spans yourself).", "warn");
    return null;
  }
  const version = chosen.index === null ? null : page.task.versions[chosen.index].annotator;
  return { spans: editor.spans(), version };
};
page.redoFields = (undone) => ({ spans: undone.answer === "accept" ? undone.spans : [], version: undone.picked });
page.reopen = reopenAnswer;
page.describe = (answer) => (answer.adjudicator ? answer.adjudicator + " · " : "") + (answer.edited ? "edited · " : "") + answer.text;
page.keys = (event) => {
  const keys = editor.keys(event);
  // a number labels the words selected or the span picked; otherwise it picks that version
  if (/^[1-9]$/.test(event.key) && !editor.active()) keys[event.key] = () => pick(Number(event.key) - 1);
  return keys;
};
start();
