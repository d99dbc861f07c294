// Small timing helpers. Figures are medians; the machine is shared, so compare ratios taken in
// one run rather than absolute times across runs.
import { spawn } from "node:child_process";

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Wall time of one process from spawn to exit, in ms. */
export function timeProcess(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(file, args, { stdio: "ignore", env });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`${file} ${args.join(" ")} exited ${code}`));
      else resolve(Number(process.hrtime.bigint() - started) / 1e6);
    });
  });
}

export async function timeAsync(run: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The argv lists that occur more than once, each joined with spaces. */
export function duplicateCalls(calls: readonly (readonly string[])[]): string[] {
  const seen = new Map<string, number>();
  for (const call of calls) {
    const key = call.join("\u0000");
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen]
    .filter(([, count]) => count > 1)
    .map(([key, count]) => `${key.replaceAll("\u0000", " ")} (x${count})`);
}

export const fmt = (value: number, digits = 0): string =>
  Number.isFinite(value) ? value.toFixed(digits) : "–";
