export { deleteKeysUnder } from "./delete-keys-under.js";
