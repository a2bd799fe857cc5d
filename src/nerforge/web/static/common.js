// nerforge pages, the part the review and teach pages share: calls to the server, answers,
// undo and redo, status, history, progress and keys. Each page's own script sets `page.*`.
// Task text is only ever set with textContent: never parsed as HTML.
"use strict";

const params = new URLSearchParams(location.search);
const SESSION = params.get("session") || "default";
const $ = (id) => document.getElementById(id);
const RECONNECT_TRIES = 20;  // × 500 ms: a restarting server has ten seconds to come back
const CONTROLS = "button, a[href], summary, input, select, textarea, [contenteditable]";
window.nerforgeTimings = [];  // ms from an answer to the next task on screen (read by the tests)

const page = {
  task: null,       // the task on screen, as the server sent it
  busy: false,      // a request is on its way: answers wait
  redo: [],         // answers undone, newest last
  history: [],
  // set by the page's script:
  show: (data) => {},                  // render a state reply's task and page fields
  answerFields: (kind) => ({}),        // an answer's fields besides task_id, answer and request_id; null: not yet
  redoFields: null,                    // (undone) => the fields that give an undone answer again; null: no redo
  describe: (answer) => answer.text,   // an answer's line in the history
  reopen: null,                        // (answerId) => reopen an answer; null: the page reopens none
  keys: (event) => ({}),               // the page's own keys
};

let pageToken = tokenIn(document);

function tokenIn(doc) {
  const meta = doc.querySelector('meta[name="nerforge-token"]');
  return meta ? meta.content : "";
}

class ApiError extends Error {
  constructor(message, status, field) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

function newRequestId() {
  return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
}

async function renewToken() {
  // a restarted server has a new token: it is in the page it serves now
  const response = await fetch("/" + location.search, { cache: "no-store" });
  pageToken = tokenIn(new DOMParser().parseFromString(await response.text(), "text/html"));
}

async function api(path, body) {
  const options = { method: body === undefined ? "GET" : "POST", headers: {} };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const url = path + (path.includes("?") ? "&" : "?") + "session=" + encodeURIComponent(SESSION);
  let renewed = false;
  // a lost connection is retried, and after a restart the request goes again with the new
  // token, once: the request id makes a resend harmless
  for (let attempt = 0; ; attempt++) {
    options.headers["X-Nerforge-Token"] = pageToken;
    let response;
    try {
      response = await fetch(url, options);
    } catch (err) {
      if (attempt >= RECONNECT_TRIES) throw new ApiError("the server can't be reached: is nerforge still running?", 0, "");
      setStatus("Reconnecting…", "warn");
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    const data = await response.json().catch(() => ({}));
    if (response.status === 403 && data.field === "token" && !renewed) {
      renewed = true;
      await renewToken().catch(() => {});
      continue;
    }
    if (!response.ok) throw new ApiError(forPeople(response.status, data), response.status, data.field || "");
    return data;
  }
}

function forPeople(status, data) {
  if (status === 409 && data.field === "task_id") return "this text is no longer yours to answer (the server restarted, or another session has it); here is your next one";
  if (status === 409 && data.field === "request_id") return "this answer was sent twice for different texts; answer again";
  if (status === 422 && (data.field || "").startsWith("spans")) return "a span is not on whole words or overlaps another; fix it and answer again (" + (data.error || "") + ")";
  if (status >= 500) return data.error || "the server failed; try again in a moment";
  return data.error || "the server answered " + status;
}

function setStatus(message, kind) {
  const status = $("status");
  status.textContent = message;
  status.className = "status " + (kind || "");
}

function renderProgress(progress) {
  const total = progress.total === undefined ? null : Math.max(progress.total, progress.done, 1);
  const parts = ["you " + progress.mine, "all " + progress.done + (total === null ? "" : " of " + progress.total)];
  $("progress-text").textContent = parts.join(" · ");
  if (total !== null) $("bar-done").style.width = Math.round((100 * progress.done) / total) + "%";
}

function renderHistory(history) {
  page.history = history;
  const list = $("history");
  list.replaceChildren();
  for (const answer of history) {
    const item = document.createElement("li");
    const badge = document.createElement("span");
    badge.className = "badge " + answer.answer;
    badge.textContent = answer.answer;
    const snippet = document.createElement("span");
    snippet.className = "snippet";
    snippet.textContent = page.describe(answer);
    item.append(badge, snippet);
    if (page.reopen) {
      const reopen = document.createElement("button");
      reopen.textContent = "reopen";
      reopen.addEventListener("click", () => page.reopen(answer.id));
      item.append(reopen);
    }
    list.append(item);
  }
}

function renderButtons() {
  const done = page.task === null;
  for (const id of ["accept", "reject", "ignore"]) $(id).disabled = done || page.busy;
  $("undo").disabled = page.busy || page.history.length === 0;
  if ($("redo")) $("redo").disabled = page.busy || page.redo.length === 0;
}

function show(data) {
  page.task = data.task;
  $("dataset").textContent = data.dataset || "";
  $("session").textContent = "session " + (data.session || SESSION);
  page.show(data);
  renderProgress(data.progress);
  renderHistory(data.history || []);
  renderButtons();
}

async function reload() {
  show(await api("/api/state"));
}

function setBusy(busy) {
  page.busy = busy;
  renderButtons();
}

async function answer(kind) {
  if (!page.task || page.busy) return;
  const fields = page.answerFields(kind);
  if (fields === null) return;  // the page said why (the adjudication page: no version picked)
  const body = { task_id: page.task.id, answer: kind, ...fields, request_id: newRequestId() };
  page.redo = [];
  await send(body, kind);
}

async function send(body, what) {
  setBusy(true);
  const started = performance.now();
  setStatus("Saving…", "");
  try {
    const data = await api("/api/answer", body);
    show(data);
    window.nerforgeTimings.push(performance.now() - started);
    setStatus("Saved: " + what + " (#" + data.saved.id + ")", "ok");  // only once the store committed it
  } catch (err) {
    setStatus("Not saved: " + err.message + ".", "error");
    if (err.status === 409 && err.field === "task_id") await reload().catch(() => {});
  } finally {
    setBusy(false);
  }
}

async function undo() {
  if (page.busy) return;
  setBusy(true);
  try {
    const data = await api("/api/undo", { session: SESSION });
    show(data);  // the task comes back exactly as first shown, whatever the answer was
    if (!data.undone) return setStatus("Nothing to undo.", "warn");
    if (page.redoFields) page.redo.push(data.undone);
    setStatus("Undone: " + data.undone.answer + " (#" + data.undone.id + " deleted)", "ok");
  } catch (err) {
    setStatus("Undo failed: " + err.message + ".", "error");
  } finally {
    setBusy(false);
  }
}

async function redo() {
  if (page.busy || !page.redoFields) return;
  const undone = page.redo.pop();
  if (!undone) return setStatus("Nothing to redo.", "warn");
  const body = { task_id: undone.task_id, answer: undone.answer, ...page.redoFields(undone), request_id: newRequestId() };
  await send(body, "redo " + undone.answer);
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target.closest ? event.target : document.body;
  if (target.closest("input, select, textarea, [contenteditable]")) return;
  // Enter or Space on a focused button (or link) does what that control says, nothing else
  if ((event.key === "Enter" || event.key === " ") && target.closest(CONTROLS)) return;
  const handlers = {
    a: () => answer("accept"), Enter: () => answer("accept"), x: () => answer("reject"),
    i: () => answer("ignore"), u: undo, y: redo, ...page.keys(event),
  };
  if (handlers[event.key]) {
    event.preventDefault();
    handlers[event.key]();
  }
}

function start() {
  $("accept").addEventListener("click", () => answer("accept"));
  $("reject").addEventListener("click", () => answer("reject"));
  $("ignore").addEventListener("click", () => answer("ignore"));
  $("undo").addEventListener("click", undo);
  if ($("redo")) $("redo").addEventListener("click", redo);
  document.addEventListener("keydown", onKey);
  reload().catch((err) => setStatus("Can't load: " + err.message + ".", "error"));
}
