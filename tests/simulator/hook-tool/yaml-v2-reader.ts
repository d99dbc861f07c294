// What gopkg.in/yaml.v2 v2.4.0 (the YAML reader of Juju's relation-set, see
// internal/worker/uniter/runner/jujuc/relation-set.go readSettings) does to a document's
// characters before and while scanning it, where the `yaml` package that parses the structure
// here would do otherwise. Followed from yaml.v2's readerc.go and scannerc.go.
import { RunError } from "./tool.ts";

/**
 * readerc.go, yaml_parser_update_buffer: every decoded character must be in YAML 1.1's printable
 * set (#x9 | #xA | #xD | [#x20-#x7E] | #x85 | [#xA0-#xD7FF] | [#xE000-#xFFFD] |
 * [#x10000-#x10FFFF]), else "control characters are not allowed". The error has no line: a
 * reader error sets problem_offset, not problem_mark, so decode.go's parser.fail prints none.
 */
function isYamlPrintable(code: number): boolean {
  return (
    code === 0x09 ||
    code === 0x0a ||
    code === 0x0d ||
    (code >= 0x20 && code <= 0x7e) ||
    code === 0x85 ||
    (code >= 0xa0 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/**
 * Checks the document as yaml.v2's reader would and returns it with yaml.v2's line breaks made
 * plain LF, ready for the `yaml` package. scannerc.go's read_line reads CR LF, CR, LF and NEL
 * each as one LF in every context (so a raw NEL in a quoted scalar folds to a space, like a
 * newline). It keeps LS and PS as themselves while still treating them as breaks (is_break),
 * trimming the blanks around them; the `yaml` package does neither, so rather than pass such a
 * document on differently, the simulator refuses it and says so.
 *
 * yaml.v2 decodes lazily, so in a document with both a syntax error and a forbidden character
 * it reports whichever its scanner reaches first; this checks the characters first. Either way
 * relation-set fails.
 */
export function readAsYamlV2(text: string): string {
  // What reaches the tool is the UTF-8 the charm wrote to the pipe: a lone surrogate arrives as
  // U+FFFD, as Node encodes it.
  const decoded = Buffer.from(text, "utf8").toString("utf8");
  for (const char of decoded) {
    const code = char.codePointAt(0)!;
    if (!isYamlPrintable(code)) throw new RunError("yaml: control characters are not allowed");
    if (code === 0x2028 || code === 0x2029) {
      throw new RunError(
        `simulator: a raw U+${code.toString(16).toUpperCase()} in --file YAML is a line ` +
          "break to yaml.v2 that this simulator does not emulate; write it as a \\u escape",
      );
    }
  }
  return decoded.replace(/\r\n|\r|\u0085/g, "\n");
}
