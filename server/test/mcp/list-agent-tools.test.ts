import { describe, expect, it } from "vitest";
import { enabledTools, listAgentTools } from "../../src/mcp/index.js";
import { describeAgentAccess, loadPolicy, readableFields } from "../../src/policy/index.js";

const policy = loadPolicy(`
version: 1
tenant: default
agents:
  - { id: writer-bot, role: writer }
  - { id: reader-bot, role: reader }
  - { id: sender-bot, role: sender }
roles:
  writer:
    objects:
      contact:
        read: allow
        fields:
          industry: { tier: 2 }
          email: { tier: 3 }
          hs_lead_status: { tier: 1 }
          hs_email_optout: { tier: 4 }
          secret_score: { tier: 0 }
      deal:
        fields:
          amount: { tier: 2 }
  reader:
    objects:
      company: { read: allow, fields: { name: { tier: 1 } } }
  sender:
    objects: { contact: { read: allow } }
    actions:
      send_email: { tier: 3 }
      mark_dnc: { tier: 4 }
`);

describe("what a role may read (policy readableFields)", () => {
  it("is the fields listed at tier 1–4 of an object with read: allow; tier 0 and unlisted fields are not", () => {
    expect([...readableFields(policy, "writer-bot", "contact")!].sort()).toEqual([
      "email",
      "hs_email_optout",
      "hs_lead_status",
      "industry",
    ]);
  });
  it("is nothing for an object without read: allow, an object not listed, or an unknown agent", () => {
    expect(readableFields(policy, "writer-bot", "deal")).toBeUndefined();
    expect(readableFields(policy, "writer-bot", "company")).toBeUndefined();
    expect(readableFields(policy, "nobody", "contact")).toBeUndefined();
  });
  it("describes writable fields (tier 2 and 3) and usable actions (tier 2 and 3)", () => {
    const access = describeAgentAccess(policy, "sender-bot")!;
    expect(access.actions).toEqual([{ action: "send_email", tier: 3 }]);
    expect(describeAgentAccess(policy, "writer-bot")!.objects.find((o) => o.object === "contact")!.writable).toEqual([
      { field: "email", tier: 3 },
      { field: "industry", tier: 2 },
    ]);
  });
});

describe("the tools an agent sees (listAgentTools)", () => {
  it("gives a role with writable fields the write tools and names the fields, without request_action", () => {
    const list = listAgentTools(policy, "writer-bot");
    expect(enabledTools(list)).toEqual([
      "crm_get_record",
      "crm_search_records",
      "crm_propose_change",
      "crm_update_field",
      "get_decision",
    ]);
    expect(list.crm_propose_change.description).toContain("contact.email (needs a person's approval)");
    expect(list.crm_propose_change.description).toContain("deal.amount (applied when the policy allows)");
    expect(list.crm_get_record.description).not.toContain("secret_score");
  });
  it("gives a read-only role only the read tools, and a role with actions request_action", () => {
    expect(enabledTools(listAgentTools(policy, "reader-bot"))).toEqual(["crm_get_record", "crm_search_records"]);
    const sender = listAgentTools(policy, "sender-bot");
    expect(enabledTools(sender)).toEqual(["crm_get_record", "crm_search_records", "request_action", "get_decision"]);
    expect(sender.request_action.description).toContain("send_email (needs a person's approval)");
    expect(sender.request_action.description).not.toContain("mark_dnc");
  });
  it("hides the write tools while a switch stops the agent, and says which", () => {
    const list = listAgentTools(policy, "writer-bot", "agent:writer-bot");
    expect(enabledTools(list)).toEqual(["crm_get_record", "crm_search_records", "get_decision"]);
    expect(list.crm_get_record.description).toContain("kill switch agent:writer-bot is on");
  });
  it("lists nothing for an agent the policy does not declare", () => {
    expect(enabledTools(listAgentTools(policy, "ghost-bot"))).toEqual([]);
  });
});
