import { describe, expect, it } from "vitest";
import { resultFromApproval, resultFromBatchItem, resultFromError } from "../lib/decision-result";
import { TollgateRequestError } from "../lib/fetch-tollgate";
import { makeApproval } from "./fixtures";

const fieldOf = (id: string) => `field-of-${id}`;

describe("decision results", () => {
  it("reads the outcome from the approval as it now stands", () => {
    expect(resultFromApproval(makeApproval({ status: "applied" }))).toEqual({ id: "ap_1", field: "industry", outcome: "applied", message: "Applied to the record" });
    expect(resultFromApproval(makeApproval({ status: "expired" }))).toMatchObject({ outcome: "refused", message: "Expired before it was decided" });
    expect(resultFromApproval(makeApproval({ status: "conflict" })).outcome).toBe("conflict");
    expect(resultFromApproval(makeApproval({ status: "failed" })).outcome).toBe("refused");
  });

  it("branches on the error code, never its text", () => {
    const conflict = new TollgateRequestError({ code: "conflict", message: "changed" }, 409);
    const other = new TollgateRequestError({ code: "forbidden", message: "conflict in wording only" }, 403);
    expect(resultFromError("ap_1", "industry", conflict)).toEqual({ id: "ap_1", field: "industry", outcome: "conflict", message: "changed" });
    expect(resultFromError("ap_1", "industry", other).outcome).toBe("refused");
    expect(resultFromError("ap_1", "industry", new Error("boom"))).toMatchObject({ outcome: "refused", message: "boom" });
  });

  it("reads a batch item from its approval, its error, or a bare status", () => {
    expect(resultFromBatchItem({ id: "ap_9", status: "applied" }, fieldOf)).toEqual({ id: "ap_9", field: "field-of-ap_9", outcome: "applied", message: "Applied to the record" });
    expect(resultFromBatchItem({ id: "ap_9", error: { code: "not_found", message: "no such approval" } }, fieldOf)).toMatchObject({ outcome: "refused", message: "no such approval" });
    expect(resultFromBatchItem({ id: "ap_9" }, fieldOf)).toMatchObject({ outcome: "refused", message: "Tollgate gave no result for this proposal" });
  });
});
