// `npm run test:integration`: the integration scenarios against the controller `juju` is logged
// into, in a temporary model. Without juju, or without a controller, every scenario is reported
// as skipped with the reason.
//
//   TLS_OPERATOR_CHARM=path.charm   deploy this charm instead of packing one
//   TLS_OPERATOR_ARCH=arm64         pack for this architecture (default: this machine's)
//   TLS_IT_CLOUD=microk8s           add the model on this cloud of the controller (a Kubernetes
//                                   cloud runs the same scenarios on a k8s model)
//   TLS_IT_KEEP_MODEL=1             keep the model afterwards
import { controllerUnavailable } from "./juju-cli.ts";
import { JujuDriver } from "./juju-driver.ts";
import { integrationScenarios } from "./scenarios.ts";

const skip = await controllerUnavailable();
if (skip) console.log(`# ${skip}`);

integrationScenarios("integration scenarios on a real controller", () => JujuDriver.create(), {
  skip,
  timeoutMs: 30 * 60_000,
});
