export { createContainment } from "./create-containment.js";
export type { Containment, ContainmentOptions } from "./types.js";
export { agentsInScope, freezeTargets } from "./scope-agents.js";
export type { FreezeTarget } from "./scope-agents.js";
