export { findOnboardedProviders } from "./find-onboarded-providers.js";
