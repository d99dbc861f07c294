import { createCharm } from "./charm/charm.ts";

process.exitCode = await createCharm().dispatch();
