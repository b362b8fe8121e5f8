// The dependency rules of docs/architecture.md#dependency-rules, checked by `npm run lint`
// (`depcruise server/src server/sandbox`). server/test/lint/dependency-rules.test.ts shows each
// rule failing on a small fixture tree.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-folder-cycle",
      comment:
        "Capability folders depend one way: a folder that needs something of a folder above it takes it as a port " +
        "(docs/architecture.md#dependency-rules).",
      severity: "error",
      scope: "folder",
      from: { path: "^server/src/" },
      to: { circular: true },
    },
    {
      name: "no-deep-import",
      comment:
        "Another folder is imported only through its index.ts (a CRM connector through crm/<crm>/index.ts) " +
        "(docs/architecture.md#dependency-rules).",
      severity: "error",
      from: { path: "^server/src/([^/]+)/" },
      to: {
        path: "^server/src/([^/]+)/",
        pathNot: ["^server/src/$1/", "^server/src/[^/]+/index\\.ts$", "^server/src/crm/[^/]+/index\\.ts$"],
      },
    },
    {
      name: "no-deep-import-from-entry",
      comment: "server/src/main.ts imports folders through their index.ts.",
      severity: "error",
      from: { path: "^server/src/[^/]+\\.ts$" },
      to: {
        path: "^server/src/[^/]+/",
        pathNot: ["^server/src/[^/]+/index\\.ts$"],
      },
    },
    {
      name: "no-deep-shared-import",
      comment: "The root shared/ is imported only through shared/index.ts.",
      severity: "error",
      from: { pathNot: "^shared/" },
      to: { path: "^shared/", pathNot: "^shared/index\\.ts$" },
    },
    {
      name: "no-sandbox-in-production",
      comment: "server/sandbox/ serves the demo, drills and tests; nothing under server/src reaches it.",
      severity: "error",
      from: { path: "^server/src/" },
      to: { path: "^server/sandbox/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)node_modules/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs", ".cjs", ".json"] },
  },
};
