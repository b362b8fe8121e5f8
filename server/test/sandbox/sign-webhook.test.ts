import { Signature } from "@hubspot/api-client";
import { describe, expect, it } from "vitest";
import { signWebhook } from "../../sandbox/hubspot/index.js";

// HubSpot's published v1 test vector (developers.hubspot.com/docs/api/webhooks/validating-requests).
const SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
const BODY =
  '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';

describe("signWebhook", () => {
  it("matches HubSpot's v1 test vector", () => {
    expect(signWebhook(SECRET, "https://example.com/webhooks/hubspot", BODY, 1)["X-HubSpot-Signature"]).toBe(
      "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de",
    );
  });

  it("computes v3 over method, URL, body and timestamp as the SDK does", () => {
    const url = "https://tollgate.example.com/webhooks/hubspot?x=1";
    const headers = signWebhook(SECRET, url, BODY, 1_700_000_000_000);
    expect(headers["X-HubSpot-Signature-v3"]).toBe(
      Signature.getSignature("POST", "v3", {
        signature: "",
        clientSecret: SECRET,
        requestBody: BODY,
        url,
        timestamp: 1_700_000_000_000,
      }),
    );
    expect(headers["X-HubSpot-Request-Timestamp"]).toBe("1700000000000");
    expect(signWebhook(SECRET, url, BODY, 1_700_000_000_001)["X-HubSpot-Signature-v3"]).not.toBe(
      headers["X-HubSpot-Signature-v3"],
    );
  });
});
