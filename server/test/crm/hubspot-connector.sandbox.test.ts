import { createHubSpotConnector } from "../../src/crm/hubspot/index.js";
import { createHubSpotSandbox } from "../../sandbox/hubspot/index.js";
import { crmConnectorContract } from "../../../test/contract/crm-connector.contract.js";

// The HubSpot connector against the local HubSpot-compatible sandbox, over real HTTP.
crmConnectorContract("HubSpot connector against the sandbox", async () => {
  const sandbox = await createHubSpotSandbox({
    clientSecret: "contract-secret",
    appId: 4242,
    rateLimit: { max: 1000 },
    accountUsers: [{ id: "501", email: "rep@acme.test", ownerId: "9501" }],
  });
  const connector = createHubSpotConnector({
    accessToken: sandbox.tokens.issue({ appId: 4242 }),
    portalId: sandbox.portalId,
    baseUrl: sandbox.url,
  });
  return {
    connector,
    objectType: "contacts",
    textProperties: ["jobtitle", "industry"],
    seed: async (records) =>
      sandbox
        .seed(
          "contacts",
          records.map((properties) => ({ properties })),
        )
        .map((r) => r.id),
    missingId: "999999999",
    customPropertyName: (base) => base,
    newTextProperty: (name, group) => ({ name, label: name, type: "string", fieldType: "text", groupName: group }),
    reportsRateLimit: true,
    tasks: {
      userId: "501",
      read: async (taskId) => {
        const task = sandbox.getRecord("tasks", taskId)?.properties;
        return (
          task && {
            assignedToUser: task["hubspot_owner_id"] === "9501",
            linkedTo: sandbox.associated("tasks", taskId, "contacts"),
            done: task["hs_task_status"] === "COMPLETED",
          }
        );
      },
    },
    close: () => sandbox.close(),
  };
});
