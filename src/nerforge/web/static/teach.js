// nerforge teach page: one suggested span a card. Task text is only ever set with textContent.
"use strict";

const params = new URLSearchParams(location.search);
const SESSION = params.get("session") || "default";
const $ = (id) => document.getElementById(id);
const state = { task: null, busy: false };
window.nerforgeTimings = [];  // ms from an answer to the next card on screen (read by the tests)

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
  for (let attempt = 0; ; attempt++) {  // a restarting server is retried; the request id makes a resend harmless
    let response;
    try {
      response = await fetch(path + sep + "session=" + encodeURIComponent(SESSION), options);
    } catch (err) {
      if (attempt >= 20) throw new Error("the server can't be reached: is nerforge teach running?");
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
  $("status").textContent = message;
  $("status").className = "status " + (kind || "");
}

function renderCard(task, label) {
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
    snippet.textContent = (answer.span ? "“" + answer.span + "” · " : "") + answer.text;
    item.append(badge, snippet);
    list.append(item);
  }
}

function show(data) {
  state.task = data.task;
  $("dataset").textContent = data.dataset || "";
  $("session").textContent = "session " + (data.session || SESSION);
  $("label").textContent = data.label || "";
  renderCard(data.task, data.label);
  $("progress-text").textContent = data.progress.done + " answers";
  const model = data.model;
  const where = model.patterns_only ? "patterns first" : "model suggests";
  $("model-state").textContent = "· " + model.updates + " updates" + (model.updating ? " (updating…)" : "") + " · " + where;
  $("model-state").className = "model-state" + (model.updating ? " busy" : "");
  renderHistory(data.history || []);
  if (data.error) setStatus("Suggestions stopped: " + data.error, "error");
}

async function answer(kind) {
  if (!state.task || state.busy) return;
  state.busy = true;
  const started = performance.now();
  try {
    const data = await api("/api/answer", { task_id: state.task.id, answer: kind, request_id: newRequestId() });
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
    setStatus(data.undone ? "Undone: " + data.undone.answer + " (#" + data.undone.id + " deleted)" : "Nothing to undo.", data.undone ? "ok" : "warn");
  } catch (err) {
    setStatus("Undo failed: " + err.message, "error");
  } finally {
    state.busy = false;
  }
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const handlers = { a: () => answer("accept"), Enter: () => answer("accept"), x: () => answer("reject"), i: () => answer("ignore"), u: undo };
  if (handlers[event.key]) {
    event.preventDefault();
    handlers[event.key]();
  }
}

$("accept").addEventListener("click", () => answer("accept"));
$("reject").addEventListener("click", () => answer("reject"));
$("ignore").addEventListener("click", () => answer("ignore"));
$("undo").addEventListener("click", undo);
document.addEventListener("keydown", onKey);

api("/api/state").then(show).catch((err) => setStatus("Can't load: " + err.message, "error"));
