// nerforge pages, the span editor the review and adjudication pages share: spans drawn over a
// text's tokens; words selected by click, drag, or ← → with Shift; a label set by its key or
// button; a span picked (click, [ or ]) and relabelled or removed. Loaded after common.js.
// For a span group (spancat: the page's spans_key) spans may overlap: each is drawn as its own
// underline, stacked a level below any it overlaps, with its label at its start.
// Task text is only ever set with textContent: never parsed as HTML.
"use strict";

const LABEL_CHARS = 0.6;  // characters of text a label's character takes, drawn small under a span
const COLORS = ["#ffd166", "#8ecae6", "#b5e48c", "#f4a3c1", "#cdb4db", "#ffb38a", "#a0e7e5", "#e9c46a", "#d4d4d4"];

// An editor drawing into `textBox`, with a button a label in `labelBox`; `onEdit()` is called
// after each change a person makes to the spans.
function createSpanEditor(textBox, labelBox, onEdit) {
  const state = {
    labels: [],
    task: null,        // {text, tokens: [[start, end], ...]}
    spans: [],         // the spans on screen: [{start, end, label, source}], sorted
    anchor: null,      // token index where the selection started
    focus: null,       // token index where it ends
    picked: null,      // index into spans
    dragging: false,
    downOnSpan: null,  // the span a pointer went down on
    overlapping: false, // a span group's spans: a selection over a span adds one, never replaces
  };

  function labelColor(label) {
    const index = state.labels.indexOf(label);
    return COLORS[(index < 0 ? COLORS.length - 1 : index) % COLORS.length];
  }

  function setLabels(labels) {
    if (labels.join("\n") === state.labels.join("\n") && labelBox.childElementCount) return;
    state.labels = labels.slice();
    labelBox.replaceChildren();
    state.labels.forEach((label, index) => {
      const button = document.createElement("button");
      button.className = "label";
      button.style.setProperty("--color", labelColor(label));
      const key = document.createElement("kbd");
      key.textContent = String(index + 1);
      button.append(key, document.createTextNode(" " + label));
      button.addEventListener("click", () => applyLabel(index));
      labelBox.append(button);
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

  function spanMark(spanIndex, span) {
    const mark = document.createElement("mark");
    mark.className = "ent" + (state.picked === spanIndex ? " picked" : "");
    mark.style.setProperty("--color", labelColor(span.label));
    mark.dataset.span = String(spanIndex);
    return mark;
  }

  function render() {
    textBox.replaceChildren();
    textBox.classList.toggle("stacked", state.overlapping);
    const task = state.task;
    if (!task) return;
    if (state.overlapping) return renderStacked();
    const range = selectionRange();
    const { text, tokens } = task;
    let position = 0;
    let index = 0;
    let spanIndex = 0;
    while (index < tokens.length) {
      const token = tokens[index];
      if (token[0] > position) textBox.append(document.createTextNode(text.slice(position, token[0])));
      const span = state.spans[spanIndex];
      if (span && token[0] >= span.start) {
        const mark = spanMark(spanIndex, span);
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
        textBox.append(mark);
        position = inner;
        spanIndex++;
        continue;
      }
      textBox.append(tokenElement(index, text, token, range));
      position = token[1];
      index++;
    }
    if (position < text.length) textBox.append(document.createTextNode(text.slice(position)));
  }

  // each span's level, 0 nearest the text: a span goes to the first level free where it starts
  // (offsets are characters), longer spans first, so a span nested in another is drawn below it
  function spanLevels() {
    const order = state.spans.map((span, index) => index);
    order.sort((a, b) => state.spans[a].start - state.spans[b].start || state.spans[b].end - state.spans[a].end);
    const ends = [];  // per level, where its last span ends
    const levels = [];
    for (const index of order) {
      const span = state.spans[index];
      let level = ends.findIndex((end) => end <= span.start);
      if (level < 0) level = ends.length;
      // its label may be wider than its words: the level stays taken under the label too
      ends[level] = Math.max(span.end, span.start + Math.ceil(span.label.length * LABEL_CHARS) + 1);
      levels[index] = level;
    }
    return { levels, n: ends.length };
  }

  // a piece of the text (a token, or the space between two tokens of a span) with the
  // underline of every span over it, and the label of each span that starts there
  function segment(content, start, end, levels, labelled) {
    const seg = document.createElement("span");
    seg.className = "seg";
    seg.append(content);
    state.spans.forEach((span, spanIndex) => {
      if (span.start > start || span.end < end) return;
      const line = document.createElement("span");  // the span's underline at its level
      line.className = "underline" + (state.picked === spanIndex ? " picked" : "");
      line.dataset.span = String(spanIndex);
      line.style.setProperty("--color", labelColor(span.label));
      line.style.setProperty("--level", String(levels[spanIndex]));
      seg.append(line);
      if (!labelled || span.start !== start) return;
      const tag = document.createElement("span");  // its label, under the line where it starts
      tag.className = "tag";
      tag.dataset.span = String(spanIndex);
      tag.textContent = span.label;
      line.append(tag);
    });
    return seg;
  }

  function renderStacked() {
    const range = selectionRange();
    const { text, tokens } = state.task;
    const { levels, n } = spanLevels();
    textBox.style.setProperty("--levels", String(n));
    let position = 0;
    tokens.forEach((token, index) => {
      if (token[0] > position) {
        const gap = document.createTextNode(text.slice(position, token[0]));
        const covered = index > 0 && state.spans.some((s) => s.start <= tokens[index - 1][0] && s.end >= token[1]);
        textBox.append(covered ? segment(gap, position, token[0], levels, false) : gap);
      }
      textBox.append(segment(tokenElement(index, text, token, range), token[0], token[1], levels, true));
      position = token[1];
    });
    if (position < text.length) textBox.append(document.createTextNode(text.slice(position)));
  }

  // spans of a span group (spancat) may overlap; entities (the default) never do
  function setOverlapping(overlapping) {
    if (state.overlapping === Boolean(overlapping)) return;
    state.overlapping = Boolean(overlapping);
    render();
  }

  function sortSpans() {
    state.spans.sort((a, b) => a.start - b.start || b.end - a.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  }

  function isRepeat(start, end, label, except) {
    return state.spans.some((s, i) => i !== except && s.start === start && s.end === end && s.label === label);
  }

  // a task (null: none) and the spans to start from
  function load(task, spans) {
    state.task = task;
    state.spans = (spans || []).map((span) => ({ ...span }));
    sortSpans();
    clear();
  }

  function clear() {
    state.anchor = state.focus = state.picked = null;
    render();
  }

  function edited() {
    state.anchor = state.focus = state.picked = null;
    render();
    if (onEdit) onEdit();
  }

  function applyLabel(labelIndex) {
    const label = state.labels[labelIndex];
    if (!label || !state.task) return;
    if (state.picked !== null) {
      const picked = state.spans[state.picked];
      if (isRepeat(picked.start, picked.end, label, state.picked)) return setStatus("These words are " + label + " already.", "warn");
      state.spans[state.picked] = { ...picked, label, source: null };
      sortSpans();
      return edited();
    }
    const range = selectionRange();
    if (!range) return setStatus("Select words first: drag across them, or use ← → and Shift.", "warn");
    const start = state.task.tokens[range[0]][0];
    const end = state.task.tokens[range[1]][1];
    if (state.overlapping) {
      // a span group: the new span joins any it overlaps; the same words with the same label once
      if (isRepeat(start, end, label, -1)) return setStatus("These words are " + label + " already.", "warn");
    } else {
      state.spans = state.spans.filter((span) => span.end <= start || span.start >= end);
    }
    state.spans.push({ start, end, label, source: null });
    sortSpans();
    edited();
  }

  function removePicked() {
    if (state.picked === null) return;
    state.spans.splice(state.picked, 1);
    edited();
  }

  function moveCursor(step, extend) {
    if (!state.task || !state.task.tokens.length) return;
    const last = state.task.tokens.length - 1;
    const from = state.focus === null ? (step > 0 ? -1 : last + 1) : state.focus;
    const next = Math.min(Math.max(from + step, 0), last);
    if (!extend || state.anchor === null) state.anchor = next;
    state.focus = next;
    state.picked = null;
    render();
  }

  function pickSpan(step) {
    if (!state.spans.length) return setStatus("No span to pick: select words and press a number to add one.", "warn");
    const from = state.picked === null ? (step > 0 ? -1 : state.spans.length) : state.picked;
    state.picked = (from + step + state.spans.length) % state.spans.length;
    state.anchor = state.focus = null;
    render();
    const span = state.spans[state.picked];
    setStatus("Picked “" + state.task.text.slice(span.start, span.end) + "” (" + span.label + "): Del removes it, 1…9 relabels it.", "");
  }

  function tokenAt(x, y) {
    const element = document.elementFromPoint(x, y);
    const token = element && element.closest ? element.closest(".tok") : null;
    return token ? Number(token.dataset.i) : null;
  }

  function onPointerDown(event) {
    const mark = event.target.closest(".ent");
    const spanIndex = mark ? mark.dataset.span : event.target.dataset.span;  // an underline or its label
    if (event.target.matches(".tag, .underline") && spanIndex !== undefined) {
      state.picked = Number(spanIndex);
      state.anchor = state.focus = null;
      return render();
    }
    const index = tokenAt(event.clientX, event.clientY);
    if (index === null) return;
    event.preventDefault();
    state.dragging = true;
    state.anchor = state.focus = index;
    state.picked = null;
    state.downOnSpan = mark ? Number(mark.dataset.span) : null;
    render();
  }

  function onPointerMove(event) {
    if (!state.dragging) return;
    const index = tokenAt(event.clientX, event.clientY);
    if (index !== null && index !== state.focus) {
      state.focus = index;
      render();
    }
  }

  function onPointerUp() {
    if (!state.dragging) return;
    state.dragging = false;
    if (state.anchor === state.focus && state.downOnSpan !== null) {
      state.picked = state.downOnSpan;  // a click on a span picks it
      state.anchor = state.focus = null;
      render();
    }
  }

  textBox.addEventListener("pointerdown", onPointerDown);
  document.addEventListener("pointermove", onPointerMove);
  document.addEventListener("pointerup", onPointerUp);

  return {
    load,
    setLabels,
    setOverlapping,
    // the spans on screen, as an answer sends them
    spans: () => state.spans.map(({ start, end, label }) => ({ start, end, label })),
    // words selected or a span picked: a number key labels them
    active: () => state.picked !== null || selectionRange() !== null,
    applyLabel,
    // the editor's keys (a page may take the number keys over while the editor is not active)
    keys: (event) => {
      const keys = {
        ArrowRight: () => moveCursor(1, event.shiftKey), ArrowLeft: () => moveCursor(-1, event.shiftKey),
        "]": () => pickSpan(1), "[": () => pickSpan(-1),
        Delete: removePicked, Backspace: removePicked, Escape: clear,
      };
      if (/^[1-9]$/.test(event.key)) keys[event.key] = () => applyLabel(Number(event.key) - 1);
      return keys;
    },
  };
}
