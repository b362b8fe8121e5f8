import { createSalesforceConnector } from "../../src/crm/salesforce/index.js";
import { createSalesforceSandbox } from "../../sandbox/salesforce/index.js";
import { crmConnectorContract } from "../../../test/contract/crm-connector.contract.js";

// The Salesforce connector against the local Salesforce-compatible sandbox, over real HTTP.
crmConnectorContract("Salesforce connector against the sandbox", async () => {
  const org = await createSalesforceSandbox();
  const tollgate = org.users.create("Tollgate Integration");
  const approver = org.users.create("Ada Approver");
  const connector = createSalesforceConnector({
    orgId: org.orgId,
    instanceUrl: org.url,
    accessToken: org.users.token(tollgate.id),
  });
  return {
    connector,
    objectType: "Lead",
    textProperties: ["Title", "Company"],
    seed: async (records) =>
      org.seed(
        "Lead",
        records.map((r) => ({ LastName: "Contract", ...r })),
      ),
    requiredValues: { LastName: "Contract" },
    missingId: "00Q5g00000ZZZZZZZZ",
    customPropertyName: (base) => `${base}__c`,
    newTextProperty: (name) => ({ name, label: name, type: "string", fieldType: "text" }),
    reportsRateLimit: true,
    missingTaskId: "00T5g00000ZZZZZZZZ",
    tasks: {
      userId: approver.id,
      read: async (taskId) => {
        const task = org.getRecord("Task", taskId);
        return (
          task && {
            assignedToUser: task["OwnerId"] === approver.id,
            linkedTo: [task["WhoId"], task["WhatId"]].filter((x): x is string => typeof x === "string"),
            done: task["Status"] === "Completed",
          }
        );
      },
    },
    close: () => org.close(),
  };
});
