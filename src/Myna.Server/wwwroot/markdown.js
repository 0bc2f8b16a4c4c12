// A small Markdown renderer for model cards: headings, paragraphs, lists, tables, fenced code, inline code, bold,
// italics and links. It builds DOM nodes and never assigns HTML, so a card's text cannot inject markup or script.

/**
 * Renders <paramref name="markdown"/> into <paramref name="container"/> (replacing its children).
 * @param {string} markdown
 * @param {HTMLElement} container
 */
export function renderMarkdown(markdown, container) {
  container.replaceChildren();
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === "") {
      i++;
    } else if (line.startsWith("```")) {
      const code = [];
      for (i++; i < lines.length && !lines[i].startsWith("```"); i++) code.push(lines[i]);
      i++; // the closing fence
      const pre = element("pre");
      pre.append(element("code", code.join("\n")));
      container.append(pre);
    } else if (/^#{1,6}\s/.test(line)) {
      const level = line.indexOf(" ");
      // The card sits inside the page: its headings start below the page's own.
      const heading = element(`h${Math.min(level + 2, 6)}`);
      appendInline(heading, line.slice(level + 1).trim());
      container.append(heading);
      i++;
    } else if (line.trimStart().startsWith("|") && i + 1 < lines.length && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1])) {
      const rows = [];
      for (; i < lines.length && lines[i].trimStart().startsWith("|"); i++) rows.push(cells(lines[i]));
      container.append(table(rows[0], rows.slice(2)));
    } else if (/^\s*([-*+]|\d+[.)])\s/.test(line)) {
      const ordered = /^\s*\d/.test(line);
      const list = element(ordered ? "ol" : "ul");
      for (; i < lines.length && /^\s*([-*+]|\d+[.)])\s/.test(lines[i]); i++) {
        const item = element("li");
        appendInline(item, lines[i].replace(/^\s*([-*+]|\d+[.)])\s+/, ""));
        list.append(item);
      }
      container.append(list);
    } else {
      const paragraph = [];
      for (; i < lines.length && lines[i].trim() !== "" && !startsBlock(lines[i]); i++) paragraph.push(lines[i].trim());
      if (paragraph.length === 0) paragraph.push(lines[i++].trim());
      const p = element("p");
      appendInline(p, paragraph.join(" "));
      container.append(p);
    }
  }
}

function startsBlock(line) {
  return line.startsWith("```") || /^#{1,6}\s/.test(line) || /^\s*([-*+]|\d+[.)])\s/.test(line) || line.trimStart().startsWith("|");
}

function cells(row) {
  const inner = row.trim().replace(/^\|/, "").replace(/\|$/, "");
  // "\|" is a literal bar inside a cell (ModelCardFile writes it that way).
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, "|"));
}

function table(header, rows) {
  const t = element("table");
  const head = element("thead");
  const headRow = element("tr");
  for (const cell of header) {
    const th = element("th");
    appendInline(th, cell);
    headRow.append(th);
  }
  head.append(headRow);
  const body = element("tbody");
  for (const row of rows) {
    const tr = element("tr");
    for (const cell of row) {
      const td = element("td");
      appendInline(td, cell);
      tr.append(td);
    }
    body.append(tr);
  }
  t.append(head, body);
  return t;
}

const inlinePattern = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|!?\[([^\]]*)\]\(([^)\s]+)\)/g;

function appendInline(parent, text) {
  let last = 0;
  for (const match of text.matchAll(inlinePattern)) {
    if (match.index > last) parent.append(text.slice(last, match.index));
    if (match[1] !== undefined) parent.append(element("code", match[1]));
    else if (match[2] !== undefined) parent.append(element("strong", match[2]));
    else if (match[3] !== undefined) parent.append(element("em", match[3]));
    else if (match[4] !== undefined) parent.append(element("em", match[4]));
    else if (match[0].startsWith("!")) parent.append(match[5]); // images are not fetched: only their alt text shows
    else if (/^https?:\/\//.test(match[6])) {
      const a = element("a", match[5]);
      a.href = match[6];
      a.rel = "noopener noreferrer";
      a.target = "_blank";
      parent.append(a);
    } else parent.append(match[5]); // a path inside the model folder: the server does not serve it
    last = match.index + match[0].length;
  }
  if (last < text.length) parent.append(text.slice(last));
}

function element(tag, text) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
}
