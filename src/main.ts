import { createCharm } from "./charm/charm.ts";
import { tuneForShortLivedProcess } from "./juju/index.ts";

tuneForShortLivedProcess();
process.exitCode = await createCharm().dispatch();
