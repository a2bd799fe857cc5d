// nerforge review page. Task text is only ever set with textContent: never parsed as HTML.
"use strict";

const params = new URLSearchParams(location.search);
const SESSION = params.get("session") || "default";
const COLORS = ["#ffd166", "#8ecae6", "#b5e48c", "#f4a3c1", "#cdb4db", "#ffb38a", "#a0e7e5", "#e9c46a", "#d4d4d4"];
const $ = (id) => document.getElementById(id);

const state = {
  labels: [],
  task: null,        // {id, text, tokens, spans}
  spans: [],         // the spans on screen: [{start, end, label, source}]
  anchor: null,      // token index where the selection started
  focus: null,       // token index where it ends
  picked: null,      // index into spans
  dragging: false,
  editing: null,     // an answer reopened from the history: {id}
  redo: [],          // answers undone, newest last
  busy: false,
};
window.nerforgeTimings = [];  // ms from an answer to the next task on screen (read by the tests)

function newRequestId() {
  return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
}

async function api(path, body) {
  const headers = {};
  headers["X-Nerforge-Token"] = document.querySelector('meta[name="nerforge-token"]').content;
  const options = { headers, method: body === undefined ? "GET" : "POST" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const sep = path.includes("?") ? "&" : "?";
  // a lost connection (a restarting server) is retried; the request id makes a resend harmless
  for (let attempt = 0; ; attempt++) {
    let response;
    try {
      response = await fetch(path + sep + "session=" + encodeURIComponent(SESSION), options);
    } catch (err) {
      if (attempt >= 20) throw new Error("the server can't be reached: is nerforge annotate running?");
      setStatus("Reconnecting…", "warn");
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || "HTTP " + response.status);
    return data;
  }
}

function setStatus(message, kind) {
  const status = $("status");
  status.textContent = message;
  status.className = "status " + (kind || "");
}

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

function renderProgress(progress) {
  const total = Math.max(progress.total, progress.done, 1);
  $("bar-done").style.width = Math.round((100 * progress.done) / total) + "%";
  const remaining = Math.max(progress.total - progress.done, 0);
  $("progress-text").textContent = progress.done + " done · " + (progress.overlap ? "" : remaining + " left");
}

function renderHistory(history) {
  const list = $("history");
  list.replaceChildren();
  for (const answer of history) {
    const item = document.createElement("li");
    const badge = document.createElement("span");
    badge.className = "badge " + answer.answer;
    badge.textContent = answer.answer;
    const snippet = document.createElement("span");
    snippet.className = "snippet";
    snippet.textContent = answer.text;
    const reopen = document.createElement("button");
    reopen.textContent = "reopen";
    reopen.addEventListener("click", () => reopenAnswer(answer.id));
    item.append(badge, snippet, reopen);
    list.append(item);
  }
}

function show(data) {
  state.labels = data.labels || state.labels;
  $("dataset").textContent = data.dataset || "";
  $("session").textContent = "session " + (data.session || SESSION);
  if (!$("labels").childElementCount) renderLabels();
  loadTask(data.task, null);
  renderProgress(data.progress);
  renderHistory(data.history || []);
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

// answers

async function answer(kind) {
  if (!state.task || state.busy) return;
  const body = {
    task_id: state.task.id,
    answer: kind,
    spans: state.spans.map(({ start, end, label }) => ({ start, end, label })),
    request_id: newRequestId(),
  };
  state.redo = [];
  await send(body, kind);
}

async function send(body, kind) {
  state.busy = true;
  const started = performance.now();
  try {
    const data = await api("/api/answer", body);
    show(data);
    window.nerforgeTimings.push(performance.now() - started);
    setStatus("Saved: " + kind + " (#" + data.saved.id + ")", "ok");
  } catch (err) {
    setStatus("Not saved: " + err.message, "error");
  } finally {
    state.busy = false;
  }
}

async function undo() {
  if (state.busy) return;
  state.busy = true;
  try {
    const data = await api("/api/undo", { session: SESSION });
    show(data);
    if (!data.undone) return setStatus("Nothing to undo.", "warn");
    state.redo.push(data.undone);
    if (state.task && state.task.id === data.undone.task_id) {
      state.spans = data.undone.spans.filter((s) => s.answer !== "reject" && data.undone.answer === "accept");
      renderText();
    }
    setStatus("Undone: " + data.undone.answer + " (#" + data.undone.id + " deleted)", "ok");
  } catch (err) {
    setStatus("Undo failed: " + err.message, "error");
  } finally {
    state.busy = false;
  }
}

async function redo() {
  const undone = state.redo.pop();
  if (!undone) return setStatus("Nothing to redo.", "warn");
  const spans = undone.spans.filter((s) => s.answer !== "reject").map(({ start, end, label }) => ({ start, end, label }));
  const rejectedAsShown = undone.spans.map(({ start, end, label }) => ({ start, end, label }));
  const body = {
    task_id: undone.task_id,
    answer: undone.answer,
    spans: undone.answer === "reject" ? rejectedAsShown : undone.answer === "accept" ? spans : [],
    request_id: newRequestId(),
  };
  await send(body, "redo " + undone.answer);
}

async function reopenAnswer(answerId) {
  try {
    const data = await api("/api/answers/" + answerId);
    loadTask(data.task, { id: data.answer.id });
    setStatus("Reopened #" + answerId + ": change it and answer again.", "ok");
  } catch (err) {
    setStatus("Can't reopen: " + err.message, "error");
  }
}

function onKey(event) {
  if (event.target.closest && event.target.closest("input, textarea")) return;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const key = event.key;
  const handlers = {
    a: () => answer("accept"), Enter: () => answer("accept"), x: () => answer("reject"),
    i: () => answer("ignore"), u: undo, y: redo,
    ArrowRight: () => moveCursor(1, event.shiftKey), ArrowLeft: () => moveCursor(-1, event.shiftKey),
    Delete: removePicked, Backspace: removePicked,
    Escape: () => { state.anchor = state.focus = state.picked = null; renderText(); },
  };
  if (/^[1-9]$/.test(key)) {
    event.preventDefault();
    applyLabel(Number(key) - 1);
  } else if (handlers[key]) {
    event.preventDefault();
    handlers[key]();
  }
}

$("accept").addEventListener("click", () => answer("accept"));
$("reject").addEventListener("click", () => answer("reject"));
$("ignore").addEventListener("click", () => answer("ignore"));
$("undo").addEventListener("click", undo);
$("redo").addEventListener("click", redo);
$("text").addEventListener("pointerdown", onPointerDown);
document.addEventListener("pointermove", onPointerMove);
document.addEventListener("pointerup", onPointerUp);
document.addEventListener("keydown", onKey);

api("/api/state").then(show).catch((err) => setStatus("Can't load: " + err.message, "error"));
