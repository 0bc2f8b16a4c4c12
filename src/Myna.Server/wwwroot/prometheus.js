// The Prometheus text exposition format, read just far enough to show the server's live gauges and counters.

/**
 * Parses Prometheus text into samples: name, labels and value. Comments (# HELP, # TYPE) and malformed lines are
 * skipped; timestamps after the value are ignored.
 * @param {string} text
 * @returns {{ name: string, labels: Record<string, string>, value: number }[]}
 */
export function parsePrometheus(text) {
  const samples = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([A-Za-z_:][A-Za-z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const value = parseValue(match[4]);
    if (Number.isNaN(value) && match[4] !== "NaN") continue;
    samples.push({ name: match[1], labels: parseLabels(match[3] ?? ""), value });
  }
  return samples;
}

function parseValue(text) {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  return Number(text);
}

function parseLabels(text) {
  const labels = {};
  // Label values are quoted strings with \\, \" and \n escapes.
  const pattern = /([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g;
  let match;
  while ((match = pattern.exec(text)) !== null) {
    labels[match[1]] = match[2].replace(/\\(.)/g, (_, c) => (c === "n" ? "\n" : c));
  }
  return labels;
}

/**
 * The sum of every sample of a metric family (across its labels), or null when the server does not report it.
 * @param {{ name: string, value: number }[]} samples
 * @param {string} name
 */
export function total(samples, name) {
  const matching = samples.filter((s) => s.name === name);
  return matching.length === 0 ? null : matching.reduce((sum, s) => sum + s.value, 0);
}
