import { createSqlLoader } from "../db/index.js";

/** Reads this folder's `sql/<name>.sql` once. */
export const loadSql = createSqlLoader(import.meta.url);
