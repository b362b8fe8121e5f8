// Two suites. "lwc": the cards, with sfdx-lwc-jest's shared config (jsdom, c/* modules resolved,
// lightning/* stubbed). "source": the offline checks of the whole SFDX tree, in plain Node —
// the LWC preset's setup needs a DOM, and source-deploy-retrieve needs none.
const { jestConfig } = require("@salesforce/sfdx-lwc-jest/config");

module.exports = {
  testTimeout: 60000,
  projects: [
    { ...jestConfig, displayName: "lwc", testMatch: ["<rootDir>/force-app/**/__tests__/**/*.test.js"] },
    {
      displayName: "source",
      rootDir: __dirname,
      testEnvironment: "node",
      testMatch: ["<rootDir>/test/**/*.test.js"],
      transform: {},
    },
  ],
};
