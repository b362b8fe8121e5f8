export { createDatabase } from "./database.js";
export type { Database, DatabaseOptions, Sql } from "./database.js";
export { migrate, listMigrations, grantRuntimeRole } from "./migrate.js";
export type { Migration } from "./migrate.js";
export { createSqlLoader } from "./create-sql-loader.js";
export { openDatabase } from "./open-database.js";
