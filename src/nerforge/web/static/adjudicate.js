// nerforge adjudication page: every version of a disputed text, one picked as gold. The shared
// part is common.js. Task text is only ever set with textContent: never parsed as HTML.
"use strict";

const MARK_COLOR = "#ffd166";  // the review page's first label colour
const chosen = { index: null };  // the version picked, an index into page.task.versions

function markedText(text, spans) {
  const nodes = [];
  let position = 0;
  for (const span of spans) {
    nodes.push(document.createTextNode(text.slice(position, span.start)));
    const mark = document.createElement("mark");
    mark.className = "ent";
    mark.style.setProperty("--color", MARK_COLOR);
    mark.textContent = text.slice(span.start, span.end);
    const tag = document.createElement("span");
    tag.className = "tag";
    tag.textContent = span.label;
    mark.append(tag);
    nodes.push(mark);
    position = span.end;
  }
  nodes.push(document.createTextNode(text.slice(position)));
  return nodes;
}

function describeVersion(text, version) {
  if (version.answer !== "accept") return version.answer;
  if (!version.spans.length) return "no entities";
  return version.spans.map((s) => "“" + text.slice(s.start, s.end) + "” " + s.label).join(", ");
}

function renderVersions() {
  const task = page.task;
  $("done").hidden = task !== null;
  $("text").hidden = task === null;
  const list = $("versions");
  list.replaceChildren();
  if (!task) return $("text").replaceChildren();
  const picked = chosen.index === null ? null : task.versions[chosen.index];
  $("text").replaceChildren(...markedText(task.text, picked ? picked.spans : []));
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
  renderVersions();
  setStatus("Picked version " + (index + 1) + " (" + page.task.versions[index].annotator + "): a accepts it.", "");
}

page.show = () => {
  chosen.index = null;
  renderVersions();
};
page.answerFields = (kind) => {
  if (kind !== "accept") return { spans: [] };
  if (chosen.index === null) {
    setStatus("Pick a version first: press its number.", "warn");
    return null;
  }
  const version = page.task.versions[chosen.index];
  return { spans: version.spans.map(({ start, end, label }) => ({ start, end, label })) };
};
page.describe = (answer) => (answer.adjudicator ? answer.adjudicator + " · " : "") + answer.text;
page.keys = (event) => {
  const keys = {};
  if (/^[1-9]$/.test(event.key)) keys[event.key] = () => pick(Number(event.key) - 1);
  return keys;
};
start();
