export { createSettingsView } from "./create-settings-view.js";
export type { SettingsViewOptions, SettingsViewReader } from "./create-settings-view.js";
