import { ModelAccessError } from "./errors.ts";

export type DatabagOwner =
  | { readonly kind: "unit"; readonly name: string; readonly local: boolean }
  | { readonly kind: "app"; readonly name: string; readonly local: boolean };

/**
 * One relation databag. Reads come from a snapshot taken once per dispatch; writes are kept
 * here and reach Juju in one relation-set when the handler succeeds.
 */
export class Databag {
  private snapshot: Readonly<Record<string, string>> | undefined;
  private readonly changes = new Map<string, string>();

  constructor(
    readonly relationId: number,
    readonly owner: DatabagOwner,
    private readonly load: () => Record<string, string>,
    private readonly writable: boolean,
    private readonly refusal: string,
  ) {}

  get(key: string): string | undefined {
    if (this.changes.has(key)) {
      const value = this.changes.get(key);
      return value === "" ? undefined : value;
    }
    return this.read()[key];
  }

  /** The whole bag as it will be after this dispatch's writes. */
  entries(): Readonly<Record<string, string>> {
    // Most bags are only read: hand out the snapshot rather than a copy of every one.
    if (this.changes.size === 0) return this.read();
    const merged: Record<string, string> = { ...this.read() };
    for (const [key, value] of this.changes) {
      if (value === "") delete merged[key];
      else merged[key] = value;
    }
    return merged;
  }

  /** An empty value deletes the key, as relation-set does. */
  set(key: string, value: string): void {
    this.assertWritable();
    if (key.length === 0) throw new ModelAccessError("a databag key cannot be empty");
    if (this.read()[key] === value || (value === "" && !(key in this.read()))) {
      this.changes.delete(key);
      return;
    }
    this.changes.set(key, value);
  }

  delete(key: string): void {
    this.set(key, "");
  }

  /** Keys whose value differs from what Juju holds, with "" for deletions. */
  pendingChanges(): Record<string, string> {
    return Object.fromEntries(this.changes);
  }

  private read(): Readonly<Record<string, string>> {
    this.snapshot ??= this.load();
    return this.snapshot;
  }

  private assertWritable(): void {
    if (!this.writable) throw new ModelAccessError(this.refusal);
  }
}
