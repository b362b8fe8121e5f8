// HubSpot's template lint config for 2025.2 UI extensions: the cards' own (one copy, see ../cards/eslint.config.js).
export { default } from "tollgate-hubspot-cards/eslint.config.js";
