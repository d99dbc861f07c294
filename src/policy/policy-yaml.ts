import { parseDocument } from "yaml";
import { policyError } from "./policy-error.ts";

// The option's YAML text as plain data. The yaml library is the largest thing a policy loads,
// so this is apart from the checks that follow (read-policy.ts).

const MAX_TEXT_BYTES = 1024 * 1024;

/** The document the text holds; throws PolicyError when it is not YAML. */
export function readPolicyYaml(source: string): unknown {
  if (Buffer.byteLength(source) > MAX_TEXT_BYTES) throw policyError([], "is larger than 1 MiB");
  const document = parseDocument(source, { uniqueKeys: true });
  const [error] = document.errors;
  if (error !== undefined) {
    throw policyError([], `is not valid YAML: ${error.message.split("\n")[0]!.replace(/:$/, "")}`);
  }
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (problem) {
    throw policyError(
      [],
      `is not valid YAML: ${problem instanceof Error ? problem.message : String(problem)}`,
    );
  }
}
