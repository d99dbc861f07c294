// juju/gnuflag as the hook tools use it: interspersed flags, "--" ends flags, long flags take
// "--name=value" or "--name value", short flags take "-r 3" or "-r3" (so "-r=3" yields "=3"),
// bool flags take an optional "=value" parsed like strconv.ParseBool. Errors use the
// "option" wording of jujucmd.Info (FlagKnownAs = "option").

export class UsageError extends Error {}
export class HelpRequested extends Error {}

interface FlagBase {
  /** Every name of the flag, e.g. ["r", "relation"]; one letter means "-r", longer "--relation". */
  names: string[];
}
export interface BoolFlag extends FlagBase {
  kind: "bool";
}
export interface ValueFlag extends FlagBase {
  kind: "value";
  /** Checks and converts the value; a thrown Error becomes `invalid value "v" for option -x: msg`. */
  set?: (value: string) => void;
}
export type FlagDef = BoolFlag | ValueFlag;

export interface Parsed {
  /** The last value given per flag, keyed by the flag's first name. */
  values: Map<string, string | boolean>;
  args: string[];
}

const withMinus = (name: string): string => (name.length > 1 ? `--${name}` : `-${name}`);

export function parseBool(value: string): boolean {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
  throw new Error(`strconv.ParseBool: parsing ${goQuote(value)}: invalid syntax`);
}

export function parseFlags(argv: string[], defs: FlagDef[]): Parsed {
  const byName = new Map<string, FlagDef>();
  for (const def of defs) for (const name of def.names) byName.set(name, def);
  const values = new Map<string, string | boolean>();
  const args: string[] = [];
  const pending = [...argv];
  let cluster = ""; // rest of a "-abc" group still to be read as single-letter flags

  const apply = (name: string, long: boolean): void => {
    const def = byName.get(name);
    if (!def) {
      if (name === "help" || name === "h") throw new HelpRequested();
      throw new UsageError(`option provided but not defined: ${withMinus(name)}`);
    }
    const key = def.names[0]!;
    if (def.kind === "bool" && !cluster.startsWith("=")) {
      values.set(key, true);
      return;
    }
    let value: string;
    if (cluster !== "") {
      value = long ? cluster.slice(1) : cluster;
      cluster = "";
    } else if (pending.length > 0) {
      value = pending.shift()!;
    } else {
      throw new UsageError(`option needs an argument: ${withMinus(name)}`);
    }
    try {
      if (def.kind === "bool") values.set(key, parseBool(value));
      else {
        def.set?.(value);
        values.set(key, value);
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new UsageError(
        `invalid value ${goQuote(value)} for option ${withMinus(name)}: ${reason}`,
      );
    }
  };

  for (;;) {
    if (cluster !== "") {
      const name = [...cluster][0]!;
      cluster = cluster.slice(name.length);
      apply(name, false);
      continue;
    }
    const arg = pending.shift();
    if (arg === undefined) break;
    if (arg === "-" || arg === "" || !arg.startsWith("-")) {
      args.push(arg);
    } else if (arg === "--") {
      args.push(...pending.splice(0));
    } else if (arg[1] === "-") {
      const eq = arg.indexOf("=");
      if (eq < 0) {
        apply(arg.slice(2), true);
      } else {
        const name = arg.slice(2, eq);
        if (name === "") throw new UsageError(`empty flag in argument ${goQuote(arg)}`);
        cluster = arg.slice(eq);
        apply(name, true);
      }
    } else {
      const rest = arg.slice(1);
      const name = [...rest][0]!;
      cluster = rest.slice(name.length);
      apply(name, false);
    }
  }
  return { values, args };
}

/** Go's %q: a double-quoted string with Go escapes for quotes, backslashes and non-printables. */
export function goQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\x07") out += "\\a";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (ch === "\v") out += "\\v";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (/[\p{C}\p{Zl}\p{Zp}]/u.test(ch)) {
      out +=
        code > 0xffff
          ? `\\U${code.toString(16).padStart(8, "0")}`
          : `\\u${code.toString(16).padStart(4, "0")}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** cmd.CheckEmpty: leftover positional arguments are a usage error, printed with %q. */
export function checkEmpty(args: string[]): void {
  if (args.length > 0) throw new UsageError(`unrecognized args: [${args.map(goQuote).join(" ")}]`);
}
