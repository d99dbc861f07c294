// gnuflag parsing and cmd.Output formatting, checked in process (the tool tests cover them again
// through the real executables).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  checkEmpty,
  goQuote,
  HelpRequested,
  parseFlags,
  UsageError,
  type FlagDef,
} from "../simulator/hook-tool/flags.ts";
import { formatSmart, goJson, goYaml } from "../simulator/hook-tool/format.ts";

const defs: FlagDef[] = [
  { names: ["r", "relation"], kind: "value" },
  { names: ["app"], kind: "bool" },
  { names: ["format"], kind: "value" },
];

const parse = (...argv: string[]) => parseFlags(argv, defs);
const usage = (argv: string[], message: string) =>
  assert.throws(
    () => parseFlags(argv, defs),
    (e: unknown) => e instanceof UsageError && e.message === message,
  );

describe("gnuflag parsing", () => {
  test("flags may be interspersed with positional arguments", () => {
    const p = parse("key", "-r", "3", "unit/0", "--app");
    assert.deepEqual(p.args, ["key", "unit/0"]);
    assert.equal(p.values.get("r"), "3");
    assert.equal(p.values.get("app"), true);
  });

  test("-- ends flag parsing", () => {
    assert.deepEqual(parse("--", "--app", "-r").args, ["--app", "-r"]);
  });

  test("long flags take --name=value or --name value", () => {
    assert.equal(parse("--format=json").values.get("format"), "json");
    assert.equal(parse("--format", "json").values.get("format"), "json");
    assert.equal(parse("--relation=db:2").values.get("r"), "db:2");
  });

  test("short flags take -r 3 or -r3, and -r=3 yields =3", () => {
    assert.equal(parse("-r", "3").values.get("r"), "3");
    assert.equal(parse("-r3").values.get("r"), "3");
    assert.equal(parse("-r=3").values.get("r"), "=3");
  });

  test("bool flags accept strconv.ParseBool forms after =", () => {
    assert.equal(parse("--app=true").values.get("app"), true);
    assert.equal(parse("--app=False").values.get("app"), false);
    assert.equal(parse("--app=0").values.get("app"), false);
    usage(
      ["--app=maybe"],
      'invalid value "maybe" for option --app: strconv.ParseBool: parsing "maybe": invalid syntax',
    );
  });

  test("a multi-letter flag with one dash is read as single letters", () => {
    usage(["-format=json"], "option provided but not defined: -f");
  });

  test("unknown options, missing values and empty names are usage errors", () => {
    usage(["--foo"], "option provided but not defined: --foo");
    usage(["--format"], "option needs an argument: --format");
    usage(["-r"], "option needs an argument: -r");
    usage(["--=x"], 'empty flag in argument "--=x"');
  });

  test("-h and --help ask for help", () => {
    assert.throws(() => parse("-h"), HelpRequested);
    assert.throws(() => parse("--help"), HelpRequested);
  });

  test("a lone - and the empty string are positional", () => {
    assert.deepEqual(parse("-", "").args, ["-", ""]);
  });

  test("leftover arguments are listed with Go %q quoting", () => {
    assert.throws(() => checkEmpty(["x", "y"]), { message: 'unrecognized args: ["x" "y"]' });
    assert.equal(goQuote('a"b\\c\n\x01é'), '"a\\"b\\\\c\\n\\x01é"');
  });
});

describe("output formats", () => {
  test("json is Go's json.Marshal: sorted keys, no spaces, HTML escapes, null", () => {
    assert.equal(
      goJson({ b: 1, a: "<x&y>", c: null, d: [true, 1.5] }),
      '{"a":"\\u003cx\\u0026y\\u003e","b":1,"c":null,"d":[true,1.5]}',
    );
    assert.equal(goJson(null), "null");
    assert.equal(goJson("line\nbreak\ttab\u2028"), '"line\\nbreak\\ttab\\u2028"');
  });

  test("smart prints strings raw, string lists by line, bools as True/False, nothing for nil", () => {
    assert.equal(formatSmart("value"), "value\n");
    assert.equal(formatSmart(["a", "b"]), "a\nb\n");
    assert.equal(formatSmart([]), "");
    assert.equal(formatSmart(true), "True\n");
    assert.equal(formatSmart(false), "False\n");
    assert.equal(formatSmart(null), "");
    assert.equal(formatSmart(""), "");
    assert.equal(formatSmart({ b: "2", a: "1" }), 'a: "1"\nb: "2"\n');
  });

  test("yaml sorts keys, does not indent sequences and quotes YAML 1.1 look-alikes", () => {
    assert.equal(goYaml({ z: ["x", "y"], a: "yes" }), 'a: "yes"\nz:\n- x\n- "y"\n');
    assert.equal(goYaml(null), "");
  });
});
