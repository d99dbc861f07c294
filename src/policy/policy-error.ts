// The one error a signing policy's text can raise: where in it, and what is wrong.

export class PolicyError extends Error {
  constructor(message: string) {
    super(`signing-policy: ${message}`);
    this.name = "PolicyError";
  }
}

export type Path = readonly (string | number)[];

/** `applications.postgresql.dns[1]`, `applications."*".ip[0]`. */
export function pathText(path: Path): string {
  return path
    .map((part, i) => {
      if (typeof part === "number") return `[${part}]`;
      const key = /^[A-Za-z0-9_-]+$/.test(part) ? part : JSON.stringify(part);
      return i === 0 ? key : `.${key}`;
    })
    .join("");
}

/** The error for a problem at this path ("" for the whole text). */
export const policyError = (path: Path, problem: string): PolicyError =>
  new PolicyError(path.length === 0 ? problem : `${pathText(path)}: ${problem}`);
