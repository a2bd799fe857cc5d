// nerforge review page: every span of a text, edited. The shared parts are common.js (answers,
// undo, history, keys) and spans.js (the span editor).
// Task text is only ever set with textContent: never parsed as HTML.
"use strict";

const editor = createSpanEditor($("text"), $("labels"));
const state = {
  editing: null,     // an answer reopened from the history: {id}
};

function showTask(data) {
  if (data.labels) editor.setLabels(data.labels);
  // a span group (spancat): spans may overlap; the server refuses overlaps otherwise
  editor.setOverlapping(Boolean(data.spans_key));
  $("stacked-help").hidden = !data.spans_key;
  loadTask(data.task, null);
}

function loadTask(task, editing) {
  state.editing = editing;
  $("done").hidden = task !== null;
  $("text").hidden = task === null;
  $("editing").hidden = !editing;
  if (editing) $("editing").textContent = "Editing answer #" + editing.id + ": answer again to replace it.";
  editor.load(task, task ? task.spans : []);
}

async function reopenAnswer(answerId) {
  try {
    const data = await api("/api/answers/" + answerId);
    page.task = data.task;
    loadTask(data.task, { id: data.answer.id });
    renderButtons();
    setStatus("Reopened #" + answerId + ": change it and answer again.", "ok");
  } catch (err) {
    setStatus("Can't reopen: " + err.message + ".", "error");
  }
}

function spanFields(spans) {
  return spans.map(({ start, end, label }) => ({ start, end, label }));
}

page.show = showTask;
page.answerFields = () => ({ spans: editor.spans() });
page.redoFields = (undone) => {
  if (undone.answer === "reject") return { spans: spanFields(undone.spans) };
  if (undone.answer === "accept") return { spans: spanFields(undone.spans.filter((s) => s.answer !== "reject")) };
  return { spans: [] };
};
page.reopen = reopenAnswer;
page.keys = editor.keys;
start();
