import { describe, expect, it } from "vitest";
import { actionRequestSchema } from "../../../shared/index.js";
import { actionDigest, approvalPayload } from "../../src/actions/summarize-action.js";

describe("the message kept with a send approval", () => {
  it("keeps recipient, subject and body for the approver, with credentials quoted in them redacted", () => {
    const request = actionRequestSchema.parse({
      action: "send_email",
      crm: "hubspot",
      object: "contact",
      payload: {
        to: "ada@acme.test",
        subject: "Your API access",
        body: "Hi Ada, use Authorization: Bearer sk_live_abcdefghijklmnop and pat-na1-12345678-1234-1234-1234-123456789012 to connect.",
      },
    });
    const kept = approvalPayload(request)!;
    expect(kept).toMatchObject({ to: "ada@acme.test", subject: "Your API access" });
    expect(kept.body).toBe("Hi Ada, use Authorization: Bearer [redacted] and [redacted] to connect.");
    // What is approved is still bound to the body as sent (its hash), not to the redacted copy.
    expect(actionDigest(request)).not.toContain("[redacted]");
  });

  it("keeps nothing for a verb without a payload", () => {
    const request = actionRequestSchema.parse({
      action: "update_field",
      crm: "hubspot",
      object: "contact",
      objectId: "1",
      field: "jobtitle",
      value: "CTO",
    });
    expect(approvalPayload(request)).toBeNull();
  });
});
