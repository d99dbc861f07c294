import type { BuildOptions } from "esbuild";

export declare const bundleOptions: BuildOptions & {
  readonly bundle: true;
  readonly platform: "node";
  readonly format: "esm";
};
