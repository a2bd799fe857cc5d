// nerforge review page: every span of a text, edited. The shared part is common.js.
// Task text is only ever set with textContent: never parsed as HTML.
"use strict";

const COLORS = ["#ffd166", "#8ecae6", "#b5e48c", "#f4a3c1", "#cdb4db", "#ffb38a", "#a0e7e5", "#e9c46a", "#d4d4d4"];

const state = {
  labels: [],
  task: null,        // {id, text, tokens, spans}
  spans: [],         // the spans on screen: [{start, end, label, source}]
  anchor: null,      // token index where the selection started
  focus: null,       // token index where it ends
  picked: null,      // index into spans
  dragging: false,
  editing: null,     // an answer reopened from the history: {id}
};

function labelColor(label) {
  const index = state.labels.indexOf(label);
  return COLORS[(index < 0 ? COLORS.length - 1 : index) % COLORS.length];
}

// rendering

function renderLabels() {
  const box = $("labels");
  box.replaceChildren();
  state.labels.forEach((label, index) => {
    const button = document.createElement("button");
    button.className = "label";
    button.style.setProperty("--color", labelColor(label));
    const key = document.createElement("kbd");
    key.textContent = String(index + 1);
    button.append(key, document.createTextNode(" " + label));
    button.addEventListener("click", () => applyLabel(index));
    box.append(button);
  });
}

function selectionRange() {
  if (state.anchor === null || state.focus === null) return null;
  return [Math.min(state.anchor, state.focus), Math.max(state.anchor, state.focus)];
}

function tokenElement(index, text, token, range) {
  const element = document.createElement("span");
  element.className = "tok";
  element.dataset.i = String(index);
  element.textContent = text.slice(token[0], token[1]);
  if (range && index >= range[0] && index <= range[1]) element.classList.add("sel");
  if (state.focus === index) element.classList.add("cursor");
  return element;
}

function renderText() {
  const box = $("text");
  box.replaceChildren();
  const task = state.task;
  $("done").hidden = task !== null;
  box.hidden = task === null;
  $("editing").hidden = !state.editing;
  if (state.editing) $("editing").textContent = "Editing answer #" + state.editing.id + ": answer again to replace it.";
  if (!task) return;
  const range = selectionRange();
  let position = 0;
  let index = 0;
  const tokens = task.tokens;
  const text = task.text;
  const spans = state.spans;
  let spanIndex = 0;
  while (index < tokens.length) {
    const token = tokens[index];
    if (token[0] > position) box.append(document.createTextNode(text.slice(position, token[0])));
    const span = spans[spanIndex];
    if (span && token[0] >= span.start) {
      const mark = document.createElement("mark");
      mark.className = "ent" + (state.picked === spanIndex ? " picked" : "");
      mark.style.setProperty("--color", labelColor(span.label));
      mark.dataset.span = String(spanIndex);
      let inner = token[0];
      while (index < tokens.length && tokens[index][1] <= span.end) {
        if (tokens[index][0] > inner) mark.append(document.createTextNode(text.slice(inner, tokens[index][0])));
        mark.append(tokenElement(index, text, tokens[index], range));
        inner = tokens[index][1];
        index++;
      }
      const tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = span.label;
      mark.append(tag);
      box.append(mark);
      position = inner;
      spanIndex++;
      continue;
    }
    box.append(tokenElement(index, text, token, range));
    position = token[1];
    index++;
  }
  if (position < text.length) box.append(document.createTextNode(text.slice(position)));
}

function showTask(data) {
  state.labels = data.labels || state.labels;
  if (!$("labels").childElementCount) renderLabels();
  loadTask(data.task, null);
}

function loadTask(task, editing) {
  state.task = task;
  state.spans = task ? task.spans.map((span) => ({ ...span })) : [];
  state.anchor = state.focus = state.picked = null;
  state.editing = editing;
  renderText();
}

// editing spans

function applyLabel(labelIndex) {
  const label = state.labels[labelIndex];
  if (!label || !state.task) return;
  if (state.picked !== null) {
    state.spans[state.picked] = { ...state.spans[state.picked], label, source: null };
  } else {
    const range = selectionRange();
    if (!range) return setStatus("Select words first: drag across them, or use ← → and Shift.", "warn");
    const start = state.task.tokens[range[0]][0];
    const end = state.task.tokens[range[1]][1];
    state.spans = state.spans.filter((span) => span.end <= start || span.start >= end);
    state.spans.push({ start, end, label, source: null });
    state.spans.sort((a, b) => a.start - b.start);
  }
  state.anchor = state.focus = state.picked = null;
  renderText();
}

function removePicked() {
  if (state.picked === null) return;
  state.spans.splice(state.picked, 1);
  state.picked = null;
  renderText();
}

function moveCursor(step, extend) {
  if (!state.task || !state.task.tokens.length) return;
  const last = state.task.tokens.length - 1;
  const from = state.focus === null ? (step > 0 ? -1 : last + 1) : state.focus;
  const next = Math.min(Math.max(from + step, 0), last);
  if (!extend || state.anchor === null) state.anchor = next;
  state.focus = next;
  state.picked = null;
  renderText();
}

function tokenAt(x, y) {
  const element = document.elementFromPoint(x, y);
  const token = element && element.closest ? element.closest(".tok") : null;
  return token ? Number(token.dataset.i) : null;
}

function onPointerDown(event) {
  const mark = event.target.closest(".ent");
  if (event.target.classList.contains("tag") && mark) {
    state.picked = Number(mark.dataset.span);
    state.anchor = state.focus = null;
    renderText();
    return;
  }
  const index = tokenAt(event.clientX, event.clientY);
  if (index === null) return;
  event.preventDefault();
  state.dragging = true;
  state.anchor = state.focus = index;
  state.picked = null;
  state.downOnSpan = mark ? Number(mark.dataset.span) : null;
  renderText();
}

function onPointerMove(event) {
  if (!state.dragging) return;
  const index = tokenAt(event.clientX, event.clientY);
  if (index !== null && index !== state.focus) {
    state.focus = index;
    renderText();
  }
}

function onPointerUp() {
  if (!state.dragging) return;
  state.dragging = false;
  if (state.anchor === state.focus && state.downOnSpan !== null) {
    state.picked = state.downOnSpan;  // a click on a span picks it
    state.anchor = state.focus = null;
    renderText();
  }
}

function pickSpan(step) {
  if (!state.spans.length) return setStatus("No span to pick: select words and press a number to add one.", "warn");
  const from = state.picked === null ? (step > 0 ? -1 : state.spans.length) : state.picked;
  state.picked = (from + step + state.spans.length) % state.spans.length;
  state.anchor = state.focus = null;
  renderText();
  const span = state.spans[state.picked];
  setStatus("Picked “" + state.task.text.slice(span.start, span.end) + "” (" + span.label + "): Del removes it, 1…9 relabels it.", "");
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
page.answerFields = () => ({ spans: spanFields(state.spans) });
page.redoFields = (undone) => {
  if (undone.answer === "reject") return { spans: spanFields(undone.spans) };
  if (undone.answer === "accept") return { spans: spanFields(undone.spans.filter((s) => s.answer !== "reject")) };
  return { spans: [] };
};
page.reopen = reopenAnswer;
page.keys = (event) => {
  const keys = {
    ArrowRight: () => moveCursor(1, event.shiftKey), ArrowLeft: () => moveCursor(-1, event.shiftKey),
    "]": () => pickSpan(1), "[": () => pickSpan(-1),
    Delete: removePicked, Backspace: removePicked,
    Escape: () => { state.anchor = state.focus = state.picked = null; renderText(); },
  };
  if (/^[1-9]$/.test(event.key)) keys[event.key] = () => applyLabel(Number(event.key) - 1);
  return keys;
};

$("text").addEventListener("pointerdown", onPointerDown);
document.addEventListener("pointermove", onPointerMove);
document.addEventListener("pointerup", onPointerUp);
start();
