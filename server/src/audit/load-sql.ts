import { createSqlLoader } from "../db/index.js";

/** The audit's `sql/<name>.sql` files. */
export const loadSql = createSqlLoader(import.meta.url);
