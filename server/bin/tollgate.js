#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx tollgate …` works right after `npm ci`.
// `tollgate drill …` runs the drills, which start the local sandbox: they live in server/sandbox/,
// which the production CLI (server/src/cli) never imports, and are loaded only when asked for.
import { existsSync } from "node:fs";
import { register } from "tsx/esm/api";

register();
if (process.argv[2] === "drill") {
  const drills = new URL("../sandbox/drills/main.ts", import.meta.url);
  if (!existsSync(drills)) {
    console.error("tollgate drill: the drills need the local sandbox (server/sandbox/), which this installation lacks");
    process.exitCode = 1;
  } else await import(drills.href);
} else await import("../src/cli/main.ts");
