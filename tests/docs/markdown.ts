// Just enough Markdown and shell to check the docs: fenced blocks with their line numbers,
// the commands in a shell block as words, the links and headings of a page.

/** A fenced code block: its language, its lines (fence indentation removed), where it starts. */
export interface Fence {
  readonly lang: string;
  readonly lines: readonly string[];
  /** 1-based line of the block's first content line. */
  readonly line: number;
  /** The last non-blank line before the opening fence, for markers such as `<!-- … -->`. */
  readonly before: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;

export function fences(text: string): Fence[] {
  const lines = text.split("\n");
  const found: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent = "", marker = "", lang = ""] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      if (line.trim().startsWith(marker) && line.trim().replace(/[`~]/g, "") === "") break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    let previous = i - 1;
    while (previous >= 0 && lines[previous]!.trim() === "") previous--;
    found.push({ lang, lines: body, line: i + 2, before: (lines[previous] ?? "").trim() });
    i = j;
  }
  return found;
}

/** The page's lines with every fenced line blanked, so line numbers still hold. */
function outsideFences(text: string): string[] {
  let inFence: string | undefined;
  return text.split("\n").map((line) => {
    const open = FENCE.exec(line);
    if (inFence === undefined && open) {
      inFence = open[2];
      return "";
    }
    if (inFence !== undefined) {
      if (line.trim().startsWith(inFence) && line.trim().replace(/[`~]/g, "") === "") {
        inFence = undefined;
      }
      return "";
    }
    return line;
  });
}

/** The text outside fenced blocks, inline code blanked too: what a link may stand in. */
export function prose(text: string): string[] {
  return outsideFences(text).map((line) =>
    line.replace(/`[^`]*`/g, (code) => " ".repeat(code.length)),
  );
}

/** One simple command of a shell block: its words as written (quotes kept), and its line. */
export interface ShellCommand {
  readonly words: readonly string[];
  readonly line: number;
}

/**
 * The simple commands of a shell block. Lines ending in `\` continue; `|`, `;`, `&&` and `||`
 * outside quotes and `$(…)` separate commands; a word keeps its quotes, so `k="$(cat f)"` stays
 * one word. Comments and redirections are dropped. Good for the commands the docs show, not a shell.
 */
export function shellCommands(lines: readonly string[], firstLine: number): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let words: string[] = [];
  let word = "";
  let start = firstLine;
  let quote: '"' | "'" | undefined;
  let depth = 0;
  // A redirection (`> out.json`, `2>/dev/null`, `>&2`) is no word of the command: it and its
  // target are left out.
  let redirectTarget = false;
  const endWord = () => {
    if (word === "") return;
    if (redirectTarget) redirectTarget = false;
    else if (/^\d*(>>?|<|&>)$/.test(word)) redirectTarget = true;
    else if (!/^\d*(>>?|<|&>)\S/.test(word)) words.push(word);
    word = "";
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push({ words, line: start });
    words = [];
  };
  lines.forEach((raw, index) => {
    const line = raw.replace(/^\$ /, "");
    if (words.length === 0 && word === "") start = firstLine + index;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote === "'") {
        word += c;
        if (c === "'") quote = undefined;
        continue;
      }
      if (c === "\\" && i === line.length - 1) return; // continued on the next line
      if (c === "\\") {
        word += c + (line[i + 1] ?? "");
        i++;
        continue;
      }
      if (c === "$" && line[i + 1] === "(") {
        depth++;
        word += "$(";
        i++;
        continue;
      }
      if (depth > 0) {
        if (c === "(") depth++;
        if (c === ")") depth--;
        word += c;
        continue;
      }
      if (quote === '"') {
        word += c;
        if (c === '"') quote = undefined;
        continue;
      }
      if (c === '"' || c === "'") {
        quote = c;
        word += c;
        continue;
      }
      if (c === "#" && word === "") break; // a comment to the end of the line
      if (c === " " || c === "\t") {
        endWord();
        continue;
      }
      if (c === "|" || c === ";" || (c === "&" && line[i + 1] === "&")) {
        if (c !== ";" && line[i + 1] === c) i++;
        endCommand();
        start = firstLine + index;
        continue;
      }
      word += c;
    }
    if (quote === undefined && depth === 0) endCommand();
  });
  endCommand();
  return commands;
}

/** A Markdown link's target, where it stands. */
export interface Link {
  readonly target: string;
  readonly line: number;
}

export function links(text: string): Link[] {
  const found: Link[] = [];
  prose(text).forEach((line, index) => {
    for (const match of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      found.push({ target: match[1]!, line: index + 1 });
    }
    const definition = /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(line);
    if (definition) found.push({ target: definition[1]!, line: index + 1 });
  });
  return found;
}

/** The anchors GitHub makes for a page's headings: lower case, punctuation gone, `-` for space. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of outsideFences(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line.replace(/`([^`]*)`/g, "$1"));
    if (!heading) continue;
    const base = heading[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}
