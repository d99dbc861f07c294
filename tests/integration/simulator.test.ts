// The integration scenarios on the simulator, in every `npm test`, so that the real-controller
// suite's scenarios are never dead code.
import { integrationScenarios } from "./scenarios.ts";
import { SimulatorDriver } from "./simulator-driver.ts";

integrationScenarios("integration scenarios on the simulator", () => SimulatorDriver.create());
