import { createCharm } from "./charm/charm.ts";
import { dispatchTracing } from "./charm/tracing.ts";
import { spawnTool, tuneForShortLivedProcess } from "./juju/index.ts";

process.exitCode = await createCharm().dispatch(process.env, spawnTool, {
  beforeHandler: tuneForShortLivedProcess,
  observer: dispatchTracing(),
});
