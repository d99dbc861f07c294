// The runtime validates params and config with whatever schema the charm hands it, through the
// Standard Schema interface that zod and other libraries implement. It imports no schema
// library itself, so a hook that validates nothing loads none.

interface Issue {
  readonly message: string;
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
}

type Result<T> =
  { readonly value: T; readonly issues?: undefined } | { readonly issues: readonly Issue[] };

export interface StandardSchema<T> {
  readonly "~standard": {
    readonly validate: (value: unknown) => Result<T> | Promise<Result<T>>;
  };
}

export type Validation<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Validates synchronously; each problem reads "<path>: <message>". */
export function validate<T>(schema: StandardSchema<T>, value: unknown): Validation<T> {
  const result = schema["~standard"].validate(value);
  if (result instanceof Promise) throw new TypeError("asynchronous schemas are not supported");
  if (result.issues === undefined) return { ok: true, value: result.value };
  return {
    ok: false,
    problems: result.issues.map((issue) => {
      const path = (issue.path ?? [])
        .map((segment) => String(typeof segment === "object" ? segment.key : segment))
        .join(".");
      return path ? `${path}: ${issue.message}` : issue.message;
    }),
  };
}
