// One planted defect: the shape every mutant list in this folder shares.

export interface Mutant {
  readonly id: string;
  readonly file: string;
  readonly find: string;
  readonly replace: string;
  /** What the change breaks, in a reviewer's words. */
  readonly defect: string;
  readonly tests: readonly string[];
}
