import { beforeEach, describe, expect, it, vi } from "vitest";

// The one module that calls hubspot.fetch is tested against a stand-in for hubspot.fetch itself
// (the testing library does not provide one: in a card it calls the worker's `self.hsFetch`).
const { hubspotFetch } = vi.hoisted(() => ({ hubspotFetch: vi.fn() }));
vi.mock("@hubspot/ui-extensions", () => ({ hubspot: { fetch: hubspotFetch } }));

const { fetchTollgate, REQUEST_TIMEOUT_MS, TollgateRequestError } = await import("../lib/fetch-tollgate");

function answer(status: number, body: unknown) {
  return {
    ok: status >= 200 && status < 300,
    status,
    json: () => (body === undefined ? Promise.reject(new SyntaxError("no body")) : Promise.resolve(body)),
  };
}

beforeEach(() => {
  hubspotFetch.mockReset();
});

describe("fetchTollgate", () => {
  it("calls hubspot.fetch with the method, the body and a timeout under HubSpot's 15 s, and returns the JSON", async () => {
    hubspotFetch.mockResolvedValue(answer(200, { id: "ap_1", status: "applied" }));

    const result = await fetchTollgate("https://tollgate.acme.test/v1/approvals/ap_1/approve?portalId=1", {
      method: "POST",
      body: { expected: { value: "x" } },
    });

    expect(result).toEqual({ id: "ap_1", status: "applied" });
    expect(hubspotFetch).toHaveBeenCalledWith("https://tollgate.acme.test/v1/approvals/ap_1/approve?portalId=1", {
      method: "POST",
      timeout: REQUEST_TIMEOUT_MS,
      body: { expected: { value: "x" } },
    });
    expect(REQUEST_TIMEOUT_MS).toBeLessThan(15_000);
  });

  it("sends no body on a GET", async () => {
    hubspotFetch.mockResolvedValue(answer(200, { approvals: [] }));
    await fetchTollgate("https://tollgate.acme.test/v1/x", { method: "GET" });
    expect(hubspotFetch.mock.calls[0]![1]).not.toHaveProperty("body");
  });

  it("turns Tollgate's error answer into a TollgateRequestError with its code and message", async () => {
    hubspotFetch.mockResolvedValue(
      answer(409, { error: { code: "conflict", message: "industry changed", details: { now: "Retail" } } }),
    );

    const err = await fetchTollgate("https://tollgate.acme.test/v1/x", { method: "POST", body: {} }).catch(
      (e: unknown) => e,
    );

    expect(err).toBeInstanceOf(TollgateRequestError);
    expect(err).toMatchObject({
      code: "conflict",
      message: "industry changed",
      status: 409,
      details: { now: "Retail" },
    });
  });

  it("unwraps Tollgate's error from HubSpot's proxy envelope (BAD_GATEWAY, HTTP 200, body nested)", async () => {
    // What @hubspot/ui-extensions-dev-server's AppProxyService sends when the backend answers 409.
    hubspotFetch.mockResolvedValue(
      answer(200, {
        status: "error",
        category: "BAD_GATEWAY",
        message: "Error returned from Request Uri",
        responseBody: { error: { code: "approval_expired", message: "the proposal expired at 14:30" } },
        errors: [{ message: "Unacceptable HTTP status 409 calling https://tollgate.acme.test/v1/x" }],
        context: { appServerStatusCode: ["409"], correlationId: ["c-1"] },
      }),
    );
    await expect(fetchTollgate("https://tollgate.acme.test/v1/x", { method: "POST", body: {} })).rejects.toMatchObject({
      code: "approval_expired",
      message: "the proposal expired at 14:30",
      status: 409,
    });
  });

  it("unwraps a success the proxy wrapped", async () => {
    hubspotFetch.mockResolvedValue(
      answer(200, { status: "success", responseBody: { approvals: [] }, context: { appServerStatusCode: ["200"] } }),
    );
    await expect(fetchTollgate("https://tollgate.acme.test/v1/x", { method: "GET" })).resolves.toEqual({
      approvals: [],
    });
  });

  it("refuses to call anywhere when the profile set no Tollgate URL", async () => {
    await expect(fetchTollgate("${TOLLGATE_URL}/v1/x", { method: "GET" })).rejects.toMatchObject({
      code: "not_configured",
    });
    expect(hubspotFetch).not.toHaveBeenCalled();
  });

  it("names the status when the error answer is not Tollgate's shape", async () => {
    hubspotFetch.mockResolvedValue(answer(502, undefined));
    await expect(fetchTollgate("https://tollgate.acme.test/v1/x", { method: "GET" })).rejects.toMatchObject({
      code: "http_502",
      status: 502,
    });
  });

  it("reports a timeout or network failure as unreachable", async () => {
    hubspotFetch.mockRejectedValue(new Error("Request timed out"));
    await expect(fetchTollgate("https://tollgate.acme.test/v1/x", { method: "GET" })).rejects.toMatchObject({
      code: "unreachable",
      status: 0,
      message: "Tollgate did not answer: Request timed out",
    });
  });
});
