import { ModelAccessError } from "./errors.ts";

// relation-set reads `--file` with gopkg.in/yaml.v2's Unmarshal into map[string]string
// (internal/worker/uniter/runner/jujuc/relation-set.go, readSettings). JSON is YAML, and in a
// double-quoted scalar yaml.v2 turns every JSON escape back into its character. What JSON leaves
// raw, yaml.v2 reads differently or not at all:
//  - readerc.go refuses DEL, C1 controls, U+FFFE and U+FFFF anywhere in the document
//    ("control characters are not allowed");
//  - scannerc.go's is_break makes NEL, LS and PS line breaks: a quoted scalar folds them (NEL
//    becomes a space) and drops the blanks around them;
//  - U+FEFF is a byte order mark to the reader and scanner.
// Written as \uXXXX, each is just a character in a double-quoted scalar (scannerc.go,
// yaml_parser_scan_flow_scalar), so the text yaml.v2 reads back is exactly ours.
const REREAD_BY_YAML_V2 = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// scannerc.go, yaml_simple_key_is_valid: an implicit key's ":" must come at most 1024
// characters after the key's start (its opening quote). Past that, the key is silently not a key.
const MAX_IMPLICIT_KEY_CHARS = 1024;

/** The settings as one line of YAML that yaml.v2 reads back into exactly these strings. */
export function settingsYaml(settings: Readonly<Record<string, string>>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(settings)) {
    checkText(key, "key", key);
    checkText(key, "value", value);
    const quotedKey = escapeForYamlV2(JSON.stringify(key));
    if ([...quotedKey].length > MAX_IMPLICIT_KEY_CHARS) {
      throw new ModelAccessError(
        `cannot write databag key ${JSON.stringify(key.slice(0, 40))}…: Juju's YAML reader ` +
          `needs a key's ":" within ${MAX_IMPLICIT_KEY_CHARS} characters of its start`,
      );
    }
    parts.push(`${quotedKey}:${escapeForYamlV2(JSON.stringify(value))}`);
  }
  return `{${parts.join(",")}}`;
}

/** JSON text with what yaml.v2 would reread differently written as \u escapes. */
export function escapeForYamlV2(json: string): string {
  return json.replace(
    REREAD_BY_YAML_V2,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A lone surrogate has no UTF-8 form; sent as it is, it would arrive as U+FFFD. */
function checkText(key: string, part: "key" | "value", text: string): void {
  const match = LONE_SURROGATE.exec(text);
  if (match) {
    throw new ModelAccessError(
      `cannot write the ${part} of databag key ${JSON.stringify(key.slice(0, 40))}: it holds a ` +
        `lone UTF-16 surrogate at index ${match.index}, which no UTF-8 text (and so no Juju ` +
        "setting) can hold",
    );
  }
}
